/**
 * Issue 15 over HTTP: a cancelled session reaches every participant's
 * address, cohort messages from the cohort page, the opt-out link in a
 * reminder.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueDueReminders } from "~/mail/reminders.server";
import { createCohort, createEnrolment, createParticipant, createSession } from "../../db/seed/factories";
import { form, startTestServer, type TestServer } from "../support/http";
import { demoIds, type DemoIds } from "./demo-ids";

const visible = async (response: Response) => (await response.text()).replace(/<script[\s\S]*?<\/script>/g, "");

describe("everyone hears of changes, and cohort messages, over HTTP", () => {
  let server: TestServer;
  let ids: DemoIds;
  beforeAll(async () => {
    server = await startTestServer();
    ids = await demoIds(server.db);
  }, 60_000);
  afterAll(() => server?.close());

  const count = async (kind: string) => (await server.db.selectFrom("mail_outbox").select("id").where("kind", "=", kind).execute()).length;
  const formKey = async (cohortId: number | string, cookie: string) => {
    const page = await (await server.fetch(`/omgangar/${cohortId}/meddelanden`, { cookie })).text();
    return /name="key" value="([A-Za-z0-9_-]+)"/.exec(page)![1];
  };

  it("cancelling a session of Omgång 2 sends one e-mail to every active participant, login or not", async () => {
    const cohortId = Number(ids.params.cohortId);
    const active = await server.db.selectFrom("enrolments").select("participant_id").where("cohort_id", "=", cohortId).where("status", "=", "active").execute();
    const withLogin = await server.db
      .selectFrom("role_grants")
      .select("participant_id")
      .where("role", "=", "participant")
      .where("participant_id", "in", active.map((a) => a.participant_id))
      .execute();
    expect(active.length).toBeGreaterThanOrEqual(30);
    expect(withLogin.length).toBeLessThan(active.length);
    const session = await server.db
      .selectFrom("sessions")
      .select("id")
      .where("cohort_id", "=", cohortId)
      .where("status", "=", "planned")
      .where("starts_at", ">", new Date().toISOString())
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const lead = await server.login(ids.emails.lead);
    const before = await count("session_cancelled");
    const response = await server.fetch(`/trafar/${session.id}`, { method: "POST", cookie: lead, body: form({ intent: "cancel" }) });
    expect(response.status).toBeLessThan(400);
    const mails = await server.db.selectFrom("mail_outbox").select(["recipient_participant_id", "attachments"]).where("kind", "=", "session_cancelled").execute();
    expect(mails.length - before).toBe(active.length);
    expect(new Set(mails.map((m) => m.recipient_participant_id))).toEqual(new Set(active.map((a) => a.participant_id)));
    expect(mails.every((m) => m.attachments?.includes("STATUS:CANCELLED"))).toBe(true);
  });

  it("the coordinator messages their participants from the cohort page; the trainee sees it on the start page; a second post of the same form sends nothing", async () => {
    const coordinator = await server.login(ids.emails.coordOwn);
    const cohortPage = await visible(await server.fetch(`/omgangar/${ids.params.cohortId}`, { cookie: coordinator }));
    expect(cohortPage).toContain(`href="/omgangar/${ids.params.cohortId}/meddelanden"`);
    const key = await formKey(ids.params.cohortId, coordinator);
    const body = form({ subject: "Byte av lokal på torsdag", body: "Vi ses i Rådhuset i stället.", to: "all", key });
    const sent = await server.fetch(`/omgangar/${ids.params.cohortId}/meddelanden`, { method: "POST", cookie: coordinator, body });
    expect(sent.status).toBe(302);
    const mails = await count("cohort_message");
    const again = await server.fetch(`/omgangar/${ids.params.cohortId}/meddelanden`, { method: "POST", cookie: coordinator, body });
    expect(again.status).toBe(302);
    expect(await count("cohort_message")).toBe(mails);
    expect(await server.db.selectFrom("cohort_messages").select("id").where("idempotency_key", "=", key).execute()).toHaveLength(1);

    const history = await visible(await server.fetch(`/omgangar/${ids.params.cohortId}/meddelanden`, { cookie: coordinator }));
    expect(history).toContain("Byte av lokal på torsdag");
    expect(history).toMatch(/till (<!-- -->)?\d+ deltagare/);
    const trainee = await server.login(ids.emails.trainee);
    const start = await visible(await server.fetch("/", { cookie: trainee }));
    expect(start).toContain("Byte av lokal på torsdag");
    expect(start).toContain("Vi ses i Rådhuset i stället.");
  });

  it("wrong municipality can't message another's participants or read the history: 404 like a made-up cohort", async () => {
    const hultsfred = await server.db.selectFrom("municipalities").select("id").where("slug", "=", "hultsfred").executeTakeFirstOrThrow();
    const programme = await server.db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow();
    const cohortId = await createCohort(server.db, { programmeId: programme.id, name: "Bara Hultsfred", startsOn: "2027-01-01", endsOn: "2027-06-30", seats: { [hultsfred.id]: 2 } });
    const person = await createParticipant(server.db, { municipalityId: hultsfred.id, firstName: "Hedda", lastName: "Hultsfredsson" });
    await createEnrolment(server.db, { cohortId, participantId: person, municipalityId: hultsfred.id, status: "active" });
    const coordinator = await server.login(ids.emails.coordOwn);
    const get = await server.fetch(`/omgangar/${cohortId}/meddelanden`, { cookie: coordinator });
    const madeUp = await server.fetch(`/omgangar/2000000000/meddelanden`, { cookie: coordinator });
    expect(get.status).toBe(404);
    expect(await visible(get)).toBe(await visible(madeUp));
    const post = await server.fetch(`/omgangar/${cohortId}/meddelanden`, {
      method: "POST",
      cookie: coordinator,
      body: form({ subject: "Hej", body: "Hej", to: "selected", participantIds: String(person), key: "k".repeat(22) }),
    });
    expect(post.status).toBe(404);
    // In a shared cohort, another municipality's participant is not on the coordinator's list.
    const other = await server.db
      .selectFrom("enrolments")
      .select("participant_id")
      .where("cohort_id", "=", Number(ids.params.cohortId))
      .where("municipality_id", "=", hultsfred.id)
      .where("status", "=", "active")
      .executeTakeFirstOrThrow();
    const foreign = await server.fetch(`/omgangar/${ids.params.cohortId}/meddelanden`, {
      method: "POST",
      cookie: coordinator,
      body: form({ subject: "Hej", body: "Hej", to: "selected", participantIds: String(other.participant_id), key: await formKey(ids.params.cohortId, coordinator) }),
    });
    expect(foreign.status).toBe(400);
    expect(await visible(foreign)).toContain("Välj deltagare ur listan.");
    expect(await server.db.selectFrom("cohort_messages").select("id").where("subject", "=", "Hej").execute()).toEqual([]);
  });

  it("refuses a huge or oddly shaped message with a 4xx in Swedish and sends nothing", async () => {
    const lead = await server.login(ids.emails.lead);
    const before = await count("cohort_message");
    const post = (values: Record<string, string | string[]>) => server.fetch(`/omgangar/${ids.params.cohortId}/meddelanden`, { method: "POST", cookie: lead, body: form(values) });
    const key = await formKey(ids.params.cohortId, lead);
    const longSubject = await post({ subject: "x".repeat(201), body: "Text", to: "all", key });
    expect(longSubject.status).toBe(400);
    expect(await visible(longSubject)).toContain("Rubriken får vara högst 200 tecken.");
    const longBody = await post({ subject: "Rubrik", body: "x".repeat(5001), to: "all", key });
    expect(longBody.status).toBe(400);
    expect(await visible(longBody)).toContain("Meddelandet får vara högst 5 000 tecken.");
    expect((await post({ subject: "Rubrik", body: "x".repeat(200_000), to: "all", key })).status).toBe(413);
    expect((await post({ subject: ["a", "b"], body: "Text", to: "everyone", participantIds: "-1", key })).status).toBe(400);
    expect(await count("cohort_message")).toBe(before);
  });

  it("the opt-out link in a reminder: opening it changes nothing, the button (or a mail program's one-click POST) turns reminders off", async () => {
    const cohortId = Number(ids.params.cohortId);
    const vimmerby = await server.db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
    const start = new Date(Date.now() + 86_400_000);
    await createSession(server.db, { cohortId, title: "Påminnelseprov", startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), hostMunicipalityId: vimmerby.id });
    await queueDueReminders(server.db, { daysBefore: 2 });
    const reminder = await server.db.selectFrom("mail_outbox").select(["unsubscribe_path", "recipient_participant_id"]).where("kind", "=", "session_reminder").where("unsubscribe_path", "is not", null).executeTakeFirstOrThrow();
    const optedOut = () => server.db.selectFrom("reminder_opt_outs").select("participant_id").where("participant_id", "=", reminder.recipient_participant_id!).execute();

    const page = await server.fetch(reminder.unsubscribe_path!);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await visible(page)).toContain("Avsluta påminnelser");
    expect(await optedOut()).toEqual([]);

    const oneClick = await server.fetch(reminder.unsubscribe_path!, { method: "POST", body: form({ "List-Unsubscribe": "One-Click" }) });
    expect(oneClick.status).toBe(200);
    expect(await optedOut()).toHaveLength(1);
    expect((await server.fetch(`/avsluta-paminnelser/${"A".repeat(43)}`)).status).toBe(404);
    expect((await server.fetch(`/avsluta-paminnelser/${"A".repeat(43)}`, { method: "POST" })).status).toBe(404);
  });
});
