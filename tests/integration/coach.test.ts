/**
 * The coach over HTTP (issue 16, ADR 036): 404 on a report nobody shared with
 * them, the report once its owner shares it (every view audited), 404 again
 * after the owner revokes; the start page and Delade rapporter follow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/http";
import { demoIds, type DemoIds } from "./demo-ids";

const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "");

describe("the coach over HTTP", () => {
  let server: TestServer;
  let ids: DemoIds;
  beforeAll(async () => {
    server = await startTestServer();
    ids = await demoIds(server.db);
  }, 60_000);
  afterAll(() => server?.close());

  it("gets 404 on an unshared report, reads it once shared (audited), and 404 again after the participant revokes", async () => {
    const report = `/aterkoppling/${ids.params.subjectId}/rapport`;
    const coach = await server.login(ids.emails.coach);
    const trainee = await server.login(ids.emails.trainee);
    const coachId = (await server.db.selectFrom("users").select("id").where("email", "=", ids.emails.coach).executeTakeFirstOrThrow()).id;
    const views = () => server.db.selectFrom("audit_log").select("id").where("action", "=", "feedback_report.viewed").where("actor_user_id", "=", coachId).execute();

    expect((await server.fetch(report, { cookie: coach })).status).toBe(404);
    const shared = await server.fetch(`/aterkoppling/${ids.params.subjectId}`, { method: "POST", cookie: trainee, body: new URLSearchParams({ intent: "share", userId: String(coachId) }) });
    expect(shared.status).toBeLessThan(400);

    const page = await server.fetch(report, { cookie: coach });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toContain("no-store");
    expect(visible(await page.text())).toContain("Deltagaren har delat rapporten med dig. Att du läser den loggas.");
    expect(await views()).toHaveLength(1);
    const start = visible(await (await server.fetch("/", { cookie: coach })).text());
    expect(start).toContain(`/aterkoppling/${ids.params.subjectId}/rapport`);

    const share = await server.db.selectFrom("feedback_shares").select("id").where("subject_id", "=", Number(ids.params.subjectId)).where("user_id", "=", coachId).where("revoked_at", "is", null).executeTakeFirstOrThrow();
    const revoked = await server.fetch(`/aterkoppling/${ids.params.subjectId}`, { method: "POST", cookie: trainee, body: new URLSearchParams({ intent: "unshare", shareId: String(share.id) }) });
    expect(revoked.status).toBeLessThan(400);
    expect((await server.fetch(report, { cookie: coach })).status).toBe(404);
    expect(await views()).toHaveLength(1);
    const list = visible(await (await server.fetch("/delade-rapporter", { cookie: coach })).text());
    expect(list).not.toContain(`/aterkoppling/${ids.params.subjectId}/rapport`);
  });

  it("refuses a share with a user who is not the programme's coach or lead, and changes nothing", async () => {
    const trainee = await server.login(ids.emails.trainee);
    const funderId = (await server.db.selectFrom("users").select("id").where("email", "=", ids.emails.funder).executeTakeFirstOrThrow()).id;
    const response = await server.fetch(`/aterkoppling/${ids.params.subjectId}`, { method: "POST", cookie: trainee, body: new URLSearchParams({ intent: "share", userId: String(funderId) }) });
    expect(response.status).toBe(400);
    expect(await server.db.selectFrom("feedback_shares").select("id").where("user_id", "=", funderId).execute()).toEqual([]);
  });

  it("shows the coach an empty state once nothing is shared with them", async () => {
    await server.db.updateTable("feedback_shares").set({ revoked_at: new Date().toISOString() }).where("revoked_at", "is", null).execute();
    const coach = await server.login(ids.emails.coach);
    for (const path of ["/", "/delade-rapporter"]) {
      expect(visible(await (await server.fetch(path, { cookie: coach })).text())).toContain("Ingen deltagare har delat sin 360-rapport med dig än.");
    }
  });
});
