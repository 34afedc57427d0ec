/**
 * The course certificate (utbildningsbevis) over HTTP: the demo trainee's
 * Omgång 2 enrolment is completed here, with every held session attended.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowIso } from "~/db/connection.server";
import { minutesBetween } from "~/utils/hours";
import { startTestServer, type TestServer } from "../support/http";

const TRAINEE = "deltagare@programportalen.test";
const VIMMERBY = "samordnare.vimmerby@programportalen.test";
const HULTSFRED = "samordnare.hultsfred@programportalen.test";
const LEAD = "programledare@programportalen.test";
const FUNDER = "finansiar@programportalen.test";

describe("course certificates over HTTP", () => {
  let server: TestServer;
  let enrolmentId: number;
  let otherEnrolmentId: number;
  let participantId: number;
  let firstTheme: string;

  beforeAll(async () => {
    server = await startTestServer();
    const db = server.db;
    const user = await db.selectFrom("users").select("id").where("email", "=", TRAINEE).executeTakeFirstOrThrow();
    const grant = await db.selectFrom("role_grants").select("participant_id").where("user_id", "=", user.id).where("role", "=", "participant").executeTakeFirstOrThrow();
    participantId = grant.participant_id!;
    const enrolment = await db
      .selectFrom("enrolments as e")
      .innerJoin("cohorts as c", "c.id", "e.cohort_id")
      .select(["e.id", "e.cohort_id", "e.municipality_id"])
      .where("e.participant_id", "=", participantId)
      .where("c.name", "=", "Omgång 2")
      .executeTakeFirstOrThrow();
    enrolmentId = enrolment.id;
    const today = nowIso().slice(0, 10);
    await db.updateTable("enrolments").set({ status: "completed", ended_on: today }).where("id", "=", enrolmentId).execute();
    const held = await db
      .selectFrom("sessions")
      .select(["id", "title", "starts_at", "ends_at"])
      .where("cohort_id", "=", enrolment.cohort_id)
      .where("status", "<>", "cancelled")
      .where("starts_at", "<=", nowIso())
      .orderBy("starts_at")
      .execute();
    firstTheme = held[0].title;
    await db.deleteFrom("attendance").where("participant_id", "=", participantId).execute();
    for (const s of held) {
      await db
        .insertInto("attendance")
        .values({
          session_id: s.id,
          participant_id: participantId,
          municipality_id: enrolment.municipality_id,
          status: "narvarande",
          minutes: minutesBetween(s.starts_at, s.ends_at),
          recorded_by: null,
          recorded_at: nowIso(),
          version: 1,
        })
        .execute();
    }
    // Another Vimmerby participant of the cohort, still active: no certificate.
    otherEnrolmentId = (
      await db
        .selectFrom("enrolments")
        .select("id")
        .where("cohort_id", "=", enrolment.cohort_id)
        .where("municipality_id", "=", enrolment.municipality_id)
        .where("status", "=", "active")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => server.close());

  it("shows the trainee their certificate, linked from Mitt schema and Mina uppgifter, uncached", async () => {
    const cookie = await server.login(TRAINEE);
    const page = await server.fetch(`/utbildningsbevis/${enrolmentId}`, { cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    for (const text of ["Utbildningsbevis", "Ledarutveckling över gränserna", "Omgång 2", firstTheme, "Programledare", "Vimmerby kommun"]) expect(html).toContain(text);
    for (const path of ["/schema", "/mina-uppgifter"]) {
      expect(await (await server.fetch(path, { cookie })).text(), path).toContain(`href="/utbildningsbevis/${enrolmentId}"`);
    }
  });

  it("lets the participant's coordinator open it from the participant's page; another municipality's coordinator gets 404, lead and funder 403", async () => {
    const own = await server.login(VIMMERBY);
    expect((await server.fetch(`/utbildningsbevis/${enrolmentId}`, { cookie: own })).status).toBe(200);
    expect(await (await server.fetch(`/deltagare/${participantId}`, { cookie: own })).text()).toContain(`href="/utbildningsbevis/${enrolmentId}"`);
    const other = await server.fetch(`/utbildningsbevis/${enrolmentId}`, { cookie: await server.login(HULTSFRED) });
    const madeUp = await server.fetch(`/utbildningsbevis/99999999`, { cookie: await server.login(HULTSFRED) });
    expect(other.status).toBe(404);
    expect(madeUp.status).toBe(404);
    const withoutNonce = async (r: Response) => (await r.text()).replace(/nonce="[^"]*"/g, "");
    expect(await withoutNonce(other)).toBe(await withoutNonce(madeUp));
    for (const email of [LEAD, FUNDER]) expect((await server.fetch(`/utbildningsbevis/${enrolmentId}`, { cookie: await server.login(email) })).status, email).toBe(403);
  });

  it("answers 404 for an enrolment without a certificate, to its own coordinator too, and 404 (not 500) for a malformed id", async () => {
    const own = await server.login(VIMMERBY);
    expect((await server.fetch(`/utbildningsbevis/${otherEnrolmentId}`, { cookie: own })).status).toBe(404);
    expect((await server.fetch(`/utbildningsbevis/1e9x`, { cookie: own })).status).toBe(404);
  });
});
