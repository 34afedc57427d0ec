/**
 * Issue 15, "Everyone hears of changes": every participant's own address is
 * told of changes, reminders and cohort messages, login or not; the e-mail of
 * a change carries the session's calendar entry; reminders can be turned off,
 * changes cannot.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ICAL from "ical.js";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import type { Ctx } from "~/domain/context.server";
import { anonymisePersonalData, loadSubject } from "~/domain/internal/personal-data.server";
import { optOutByLink, optOutLinkExists, remindersWanted, setRemindersWanted } from "~/domain/reminder-opt-outs.server";
import { checked } from "~/domain/result";
import { changeSessionStatus, updateSession } from "~/domain/sessions.server";
import { sessionSchema } from "~/schemas/sessions";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { ctxFor } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { deliverDueMail, type MailAttachment } from "./outbox.server";
import { queueDueReminders } from "./reminders.server";
import { fileTransport } from "./transport.server";

const options = { from: "Programportalen <no-reply@programportalen.invalid>", publicUrl: "https://portal.example.se" };

function vevent(attachment: MailAttachment) {
  const [event] = new ICAL.Component(ICAL.parse(attachment.content)).getAllSubcomponents("vevent");
  return {
    uid: event.getFirstPropertyValue("uid"),
    sequence: event.getFirstPropertyValue("sequence"),
    status: event.getFirstPropertyValue("status"),
    start: (event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString(),
  };
}

describe("e-mail to every participant", () => {
  let db: Db;
  let m: number;
  let cohortId: number;
  let sessionId: number;
  let lead: Ctx;
  let participants: number[];
  let withLogin: number[];

  beforeEach(async () => {
    db = await emptyDb();
    m = await createMunicipality(db, { name: "Vimmerby" });
    const programmeId = await createProgramme(db, { name: "Ledarutveckling", ownerMunicipalityId: m, partnerMunicipalityIds: [m], startsOn: "2027-01-01", endsOn: "2027-12-31" });
    cohortId = await createCohort(db, { programmeId, name: "Omgång 2", startsOn: "2027-01-01", endsOn: "2027-12-31", seats: { [m]: 40 } });
    lead = await ctxFor(db, await createUser(db, { email: "lead@test.se", name: "Lena Ledare", grants: [{ role: "programme_lead", programmeId }] }));
    participants = [];
    withLogin = [];
    for (let i = 0; i < 40; i++) {
      const p = await createParticipant(db, { municipalityId: m, firstName: `Deltagare${i}`, lastName: "Berg", email: `d${i}@vimmerby.se` });
      await createEnrolment(db, { cohortId, participantId: p, municipalityId: m, status: "active" });
      participants.push(p);
      // One in eight can log in, as when Omgång 2's cancellation reached a single address.
      if (i % 8 === 0) {
        await createUser(db, { email: `login${i}@vimmerby.se`, name: `Deltagare ${i}`, grants: [{ role: "participant", municipalityId: m, participantId: p }] });
        withLogin.push(p);
      }
    }
    sessionId = await createSession(db, {
      cohortId,
      title: "Feedback som verktyg",
      startsAt: "2027-03-16T08:00:00.000Z",
      endsAt: "2027-03-16T15:00:00.000Z",
      hostMunicipalityId: m,
      venue: "Stadshuset",
      address: "Sevedegatan 39, Vimmerby",
    });
  });

  const mailsOf = (kind: string) => db.selectFrom("mail_outbox").selectAll().where("kind", "=", kind).orderBy("id").execute();

  it("a 40-participant cohort where only some have logins gets 40 e-mails when a session is cancelled", async () => {
    expect((await changeSessionStatus(lead, sessionId, checked({ intent: "cancel" as const }))).ok).toBe(true);
    const mails = await mailsOf("session_cancelled");
    expect(mails).toHaveLength(40);
    expect(new Set(mails.map((x) => x.to_address))).toEqual(new Set(participants.map((_, i) => `d${i}@vimmerby.se`)));
    expect(new Set(mails.map((x) => x.recipient_participant_id))).toEqual(new Set(participants));
    // A notice on the start page for the five who can log in; the link into the portal only in their e-mail.
    expect(await db.selectFrom("notifications").select("id").execute()).toHaveLength(withLogin.length);
    expect(mails.filter((x) => x.link_path === `/trafar/${sessionId}`).map((x) => x.recipient_participant_id)).toEqual(withLogin);
    // What, when, where and what changed, for someone who cannot log in.
    const text = mails.find((x) => x.link_path === null)!.body_text;
    expect(text).toContain("Träffen ”Feedback som verktyg” tisdag 16 mars är inställd.");
    expect(text).toContain("Tid: tisdag 16 mars kl. 09:00–16:00 (inställd)");
    expect(text).toContain("Plats: Stadshuset, Sevedegatan 39, Vimmerby");
  });

  it("the .ics attachment of a cancellation parses and has the feed's UID, the new SEQUENCE and STATUS:CANCELLED", async () => {
    await changeSessionStatus(lead, sessionId, checked({ intent: "cancel" as const }));
    const [mail] = await mailsOf("session_cancelled");
    const [ics] = JSON.parse(mail.attachments!) as MailAttachment[];
    expect(ics).toMatchObject({ filename: "traff.ics", contentType: expect.stringMatching(/^text\/calendar/) });
    const session = await db.selectFrom("sessions").select("sequence").where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(session.sequence).toBe(1);
    expect(vevent(ics)).toEqual({ uid: `session-${sessionId}@programportalen`, sequence: 1, status: "CANCELLED", start: "2027-03-16T08:00:00.000Z" });
  });

  it("the .ics of a moved session has the new time, a raised SEQUENCE and STATUS:CONFIRMED, and the .eml carries it", async () => {
    const moved = sessionSchema.parse({
      title: "Feedback som verktyg",
      kind: "utbildningsdag",
      startDate: "2027-03-18",
      startTime: "10:00",
      endTime: "16:00",
      hostMunicipalityId: String(m),
      venue: "Stadshuset",
      address: "Sevedegatan 39, Vimmerby",
    });
    expect((await updateSession(lead, sessionId, checked(moved))).ok).toBe(true);
    const mails = await mailsOf("session_moved");
    expect(mails).toHaveLength(40);
    const [ics] = JSON.parse(mails[0].attachments!) as MailAttachment[];
    expect(vevent(ics)).toEqual({ uid: `session-${sessionId}@programportalen`, sequence: 1, status: "CONFIRMED", start: "2027-03-18T09:00:00.000Z" });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mail-ics-"));
    expect(await deliverDueMail(db, fileTransport(dir), { ...options, batchSize: 100 })).toEqual({ sent: 40, failed: 0 });
    const eml = fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]), "utf8");
    expect(eml).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=PUBLISH; name=traff\.ics/);
    expect(eml).toMatch(/Content-Disposition: attachment; filename=traff\.ics/);
  });

  it("reminders reach participants without a login, respect an opt-out, and the opt-out never stops a cancellation", async () => {
    const [optedOut, other] = [participants[1], participants[2]];
    const now = new Date("2027-03-15T08:00:00Z");
    // The participant without a login turns reminders off through the link in an earlier reminder.
    expect(await queueDueReminders(db, { daysBefore: 2, now })).toBe(40);
    const reminder = (await mailsOf("session_reminder")).find((x) => x.recipient_participant_id === optedOut)!;
    const token = reminder.unsubscribe_path!.split("/").pop()!;
    expect(await optOutLinkExists({ db, token: token })).toBe(true);
    expect(await optOutByLink({ db, token: token })).toBe(true);
    expect(await optOutByLink({ db, token: token })).toBe(true);
    expect(await optOutByLink({ db, token: "x".repeat(43) })).toBe(false);
    // Only the hash is stored.
    expect(await db.selectFrom("reminder_opt_out_links").select("token_hash").where("token_hash", "=", token).execute()).toEqual([]);

    const next = await createSession(db, { cohortId, title: "Nästa", startsAt: "2027-03-17T08:00:00.000Z", endsAt: "2027-03-17T15:00:00.000Z", hostMunicipalityId: m });
    expect(await queueDueReminders(db, { daysBefore: 2, now: new Date("2027-03-15T09:00:00Z") })).toBe(39);
    const nextReminders = await db.selectFrom("session_reminders").select("participant_id").where("session_id", "=", next).execute();
    expect(nextReminders.map((r) => r.participant_id)).not.toContain(optedOut);
    expect(nextReminders.map((r) => r.participant_id)).toContain(other);

    await changeSessionStatus(lead, next, checked({ intent: "cancel" as const }));
    const cancellations = await mailsOf("session_cancelled");
    expect(cancellations.map((x) => x.recipient_participant_id)).toContain(optedOut);
    expect(cancellations).toHaveLength(40);
  });

  it("a trainee turns reminders off and on under Mitt schema; the reminder job follows", async () => {
    const trainee = await ctxFor(db, (await db.selectFrom("role_grants").select("user_id").where("participant_id", "=", withLogin[0]).executeTakeFirstOrThrow()).user_id);
    expect(await remindersWanted(trainee)).toBe(true);
    expect(await setRemindersWanted(trainee, checked({ reminders: "off" as const }))).toEqual({ ok: true, value: { wanted: false } });
    expect(await remindersWanted(trainee)).toBe(false);
    await queueDueReminders(db, { daysBefore: 2, now: new Date("2027-03-15T08:00:00Z") });
    expect((await mailsOf("session_reminder")).map((x) => x.recipient_participant_id)).not.toContain(withLogin[0]);
    await setRemindersWanted(trainee, checked({ reminders: "on" as const }));
    expect(await remindersWanted(trainee)).toBe(true);
    // A coordinator has no reminder setting of their own.
    const coordinator = await ctxFor(db, await createUser(db, { email: "c@test.se", name: "C", grants: [{ role: "coordinator", municipalityId: m }] }));
    await expect(remindersWanted(coordinator)).rejects.toMatchObject({ status: 403 });
  });

  it("anonymising a participant without a login removes the e-mail, reminders, opt-out and links addressed to them", async () => {
    const person = participants[3];
    await changeSessionStatus(lead, sessionId, checked({ intent: "cancel" as const }));
    await changeSessionStatus(lead, sessionId, checked({ intent: "reinstate" as const }));
    await queueDueReminders(db, { daysBefore: 2, now: new Date("2027-03-15T08:00:00Z") });
    const token = (await mailsOf("session_reminder")).find((x) => x.recipient_participant_id === person)!.unsubscribe_path!.split("/").pop()!;
    await optOutByLink({ db, token: token });
    const theirs = await db.selectFrom("mail_outbox").select("id").where("recipient_participant_id", "=", person).execute();
    expect(theirs).toHaveLength(3);

    const participant = await db.selectFrom("participants").selectAll().where("id", "=", person).executeTakeFirstOrThrow();
    const subject = await loadSubject(db, participant);
    expect(subject.mailIds.toSorted((a, b) => a - b)).toEqual(theirs.map((x) => x.id));
    const { removedMail } = await db.transaction().execute((trx) => anonymisePersonalData(trx, subject, new Date().toISOString()));
    // The .eml copies go by these after the commit (anonymisation.server.ts).
    expect(removedMail.map((x) => x.id).toSorted((a, b) => a - b)).toEqual(theirs.map((x) => x.id));
    expect(await db.selectFrom("mail_outbox").select("id").where("recipient_participant_id", "=", person).execute()).toEqual([]);
    expect(await db.selectFrom("reminder_opt_outs").select("participant_id").where("participant_id", "=", person).execute()).toEqual([]);
    expect(await db.selectFrom("reminder_opt_out_links").select("participant_id").where("participant_id", "=", person).execute()).toEqual([]);
    // Everyone else's e-mail stays.
    expect(await db.selectFrom("mail_outbox").select("id").execute()).toHaveLength(120 - 3);
  });
});
