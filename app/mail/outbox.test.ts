import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { dialectOf } from "~/db/dialect.server";
import { emptyDb, sharedEmptyDb, TEST_BACKEND } from "../../tests/support/db";
import { backoffMs, deliverDueMail, queueMail } from "./outbox.server";
import { queueDueReminders } from "./reminders.server";
import { fileTransport, type MailTransport, type OutgoingMail } from "./transport.server";
import { startMailWorker } from "./worker.server";

const options = { from: "Programportalen <no-reply@programportalen.invalid>", publicUrl: "https://portal.example.se" };

describe("the e-mail outbox", () => {
  it("writes each message as an .eml file when there is no SMTP server, and marks it sent", async () => {
    const db = await emptyDb();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mail-test-"));
    const id = await queueMail(db, { kind: "session_moved", to: "anna@example.se", recipientUserId: null, subject: "Träff flyttad – Programportalen", text: "Träffen är flyttad.", linkPath: "/schema" });
    expect(await deliverDueMail(db, fileTransport(dir), options)).toEqual({ sent: 1, failed: 0 });
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`-${id}\\.eml$`));
    const eml = fs.readFileSync(path.join(dir, files[0]), "utf8");
    expect(eml).toContain("To: anna@example.se");
    expect(eml).toMatch(/Subject: =\?UTF-8\?/);
    expect(eml).toContain("https://portal.example.se/schema");
    const row = await db.selectFrom("mail_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
    // Sent once: a second round has nothing to do.
    expect(await deliverDueMail(db, fileTransport(dir), options)).toEqual({ sent: 0, failed: 0 });
  });

  it("keeps a message whose send failed and retries it later with growing pauses", async () => {
    const db = await emptyDb();
    await queueMail(db, { kind: "test", to: "a@example.se", recipientUserId: null, subject: "S", text: "T" }, new Date("2027-01-01T10:00:00Z"));
    const sent: OutgoingMail[] = [];
    let failing = true;
    const transport: MailTransport = {
      description: "test",
      async send(mail) {
        if (failing) throw new Error("SMTP 451 try again later");
        sent.push(mail);
      },
      async forget() {},
    };
    const t0 = new Date("2027-01-01T10:00:00Z");
    expect(await deliverDueMail(db, transport, { ...options, now: t0 })).toEqual({ sent: 0, failed: 1 });
    let row = await db.selectFrom("mail_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain("451");
    expect(row.next_attempt_at).toBe(new Date(t0.getTime() + 60_000).toISOString());

    // Not due yet: nothing is tried.
    expect(await deliverDueMail(db, transport, { ...options, now: new Date(t0.getTime() + 30_000) })).toEqual({ sent: 0, failed: 0 });
    const t1 = new Date(t0.getTime() + 61_000);
    expect(await deliverDueMail(db, transport, { ...options, now: t1 })).toEqual({ sent: 0, failed: 1 });
    row = await db.selectFrom("mail_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(row.next_attempt_at).toBe(new Date(t1.getTime() + 120_000).toISOString());

    failing = false;
    expect(await deliverDueMail(db, transport, { ...options, now: new Date(t1.getTime() + 121_000) })).toEqual({ sent: 1, failed: 0 });
    expect(sent).toHaveLength(1);
    row = await db.selectFrom("mail_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
    expect(row.last_error).toBeNull();
  });

  it("caps the pause between attempts at six hours", () => {
    expect(backoffMs(1)).toBe(60_000);
    expect(backoffMs(4)).toBe(8 * 60_000);
    expect(backoffMs(30)).toBe(6 * 60 * 60_000);
  });

  it("queues one reminder per session and participant, a set number of days before, to every participant's own address", async () => {
    const db = await emptyDb();
    const m = await createMunicipality(db, { name: "Vimmerby" });
    const programmeId = await createProgramme(db, { name: "P", ownerMunicipalityId: m, partnerMunicipalityIds: [], startsOn: "2027-01-01", endsOn: "2027-12-31" });
    const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2027-01-01", endsOn: "2027-12-31", seats: { [m]: 3 } });
    const withLogin = await createParticipant(db, { municipalityId: m, firstName: "Anna", lastName: "Berg", email: "anna.berg@vimmerby.se" });
    const withoutLogin = await createParticipant(db, { municipalityId: m, firstName: "Bo", lastName: "Ek", email: "bo.ek@vimmerby.se" });
    for (const p of [withLogin, withoutLogin]) await createEnrolment(db, { cohortId, participantId: p, municipalityId: m, status: "active" });
    await createUser(db, { email: "anna@example.se", name: "Anna Berg", grants: [{ role: "participant", municipalityId: m, participantId: withLogin }] });
    const soon = await createSession(db, { cohortId, title: "Snart", startsAt: "2027-03-03T08:00:00.000Z", endsAt: "2027-03-03T15:00:00.000Z", hostMunicipalityId: m, venue: "Stadshuset", address: "Sevedegatan 39, Vimmerby" });
    await createSession(db, { cohortId, title: "Senare", startsAt: "2027-03-20T08:00:00.000Z", endsAt: "2027-03-20T15:00:00.000Z", hostMunicipalityId: m });
    const cancelled = await createSession(db, { cohortId, title: "Inställd", startsAt: "2027-03-02T08:00:00.000Z", endsAt: "2027-03-02T15:00:00.000Z", hostMunicipalityId: m });
    await db.updateTable("sessions").set({ status: "cancelled" }).where("id", "=", cancelled).execute();

    const now = new Date("2027-03-01T12:00:00Z");
    expect(await queueDueReminders(db, { daysBefore: 2, now })).toBe(2);
    expect(await queueDueReminders(db, { daysBefore: 2, now: new Date("2027-03-02T12:00:00Z") })).toBe(0);
    const reminders = await db.selectFrom("session_reminders").selectAll().orderBy("participant_id").execute();
    expect(reminders.map((r) => [r.session_id, r.participant_id])).toEqual([
      [soon, withLogin],
      [soon, withoutLogin],
    ]);
    const mails = await db.selectFrom("mail_outbox").selectAll().orderBy("recipient_participant_id").execute();
    expect(mails.map((m) => m.to_address)).toEqual(["anna.berg@vimmerby.se", "bo.ek@vimmerby.se"]);
    // The link into the portal only for the one who can log in; the opt-out link for both.
    expect(mails.map((m) => m.link_path)).toEqual([`/trafar/${soon}`, null]);
    expect(mails.every((m) => /^\/avsluta-paminnelser\/[A-Za-z0-9_-]{43}$/.test(m.unsubscribe_path ?? ""))).toBe(true);
    const mail = mails[0];
    expect(mail.body_text).toContain("onsdag 3 mars kl. 09:00–16:00");
    expect(mail.body_text).toContain("Stadshuset, Sevedegatan 39, Vimmerby");
    // The database itself refuses a second reminder for the same pair.
    const second = await db.insertInto("session_reminders").values({ session_id: soon, participant_id: withLogin, mail_id: mail.id, queued_at: now.toISOString() }).execute().catch((error: unknown) => error);
    expect(dialectOf(db).isUniqueViolation(second)).toBe(true);
    expect(await queueDueReminders(db, { daysBefore: 0, now })).toBe(0);
  });

  it("runs rounds on its own timer and stops cleanly", async () => {
    const db = await emptyDb();
    await queueMail(db, { kind: "test", to: "a@example.se", recipientUserId: null, subject: "S", text: "T" });
    const sent: OutgoingMail[] = [];
    const log = vi.fn();
    const worker = startMailWorker({
      db,
      config: { smtpUrl: null, mailOutboxDir: "", mailFrom: options.from, publicUrl: options.publicUrl, reminderDaysBefore: 2, mailWorkerIntervalMs: 20 },
      transport: { description: "test", send: async (mail) => void sent.push(mail), forget: async () => {} },
      log,
    });
    await vi.waitFor(() => expect(sent).toHaveLength(1), { timeout: 2000 });
    await worker.stop();
    expect(log).toHaveBeenCalledWith(expect.stringContaining("Mail worker: sending test"));
  });

  // Every app process runs a mail worker (WEB_CONCURRENCY, docs/deployment.md).
  describe("with a worker in each of three processes", () => {
    it("sends every message exactly once when three workers deliver at the same time", async () => {
      const shared = await sharedEmptyDb();
      const ids: number[] = [];
      for (let i = 0; i < 60; i++) ids.push(await queueMail(shared.db, { kind: "test", to: `p${i}@example.se`, recipientUserId: null, subject: "S", text: `T${i}` }));
      const handles = [shared.db, shared.open(), shared.open()];
      const sends: number[] = [];
      // Each send gives the other workers a turn, as a real SMTP conversation would.
      const transport: MailTransport = {
        description: "test",
        async send(mail) {
          sends.push(mail.id);
          await new Promise(setImmediate);
        },
        async forget() {},
      };
      const worker = async (db: (typeof handles)[number]) => {
        while ((await deliverDueMail(db, transport, { ...options, batchSize: 4 })).sent > 0);
      };
      await Promise.all(handles.map(worker));
      expect(sends.toSorted((a, b) => a - b)).toEqual(ids);
      const rows = await shared.db.selectFrom("mail_outbox").select(["sent_at", "attempts"]).execute();
      expect(rows.every((r) => r.sent_at !== null && r.attempts === 1)).toBe(true);
      for (const db of handles.slice(1)) await db.destroy();
    });

    // SQLite serialises writers across processes, and in one process better-sqlite3 would wait for itself:
    // on SQLite this is proved with three server processes (tests/integration/processes.test.ts).
    it.runIf(TEST_BACKEND === "postgres")("queues one reminder per session and participant when three workers look at once", async () => {
      const shared = await sharedEmptyDb();
      const db = shared.db;
      const m = await createMunicipality(db, { name: "Vimmerby" });
      const programmeId = await createProgramme(db, { name: "P", ownerMunicipalityId: m, partnerMunicipalityIds: [], startsOn: "2027-01-01", endsOn: "2027-12-31" });
      const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2027-01-01", endsOn: "2027-12-31", seats: { [m]: 10 } });
      for (let i = 0; i < 8; i++) {
        const p = await createParticipant(db, { municipalityId: m, firstName: `Deltagare${i}`, lastName: "Berg" });
        await createEnrolment(db, { cohortId, participantId: p, municipalityId: m, status: "active" });
        await createUser(db, { email: `d${i}@example.se`, name: `Deltagare ${i}`, grants: [{ role: "participant", municipalityId: m, participantId: p }] });
      }
      for (const day of ["02", "03"]) await createSession(db, { cohortId, title: `Träff ${day}`, startsAt: `2027-03-${day}T08:00:00.000Z`, endsAt: `2027-03-${day}T15:00:00.000Z`, hostMunicipalityId: m });
      const handles = [db, shared.open(), shared.open()];
      const now = new Date("2027-03-01T12:00:00Z");
      const queued = await Promise.all(handles.map((h) => queueDueReminders(h, { daysBefore: 2, now })));
      expect(queued.reduce((a, b) => a + b, 0)).toBe(16);
      const mails = await db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(mails.n).toBe(16);
      for (const h of handles.slice(1)) await h.destroy();
    });
  });
});
