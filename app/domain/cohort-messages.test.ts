/** Issue 15: messages to a cohort from the cohort page, by the lead and by a coordinator for their own participants. */
import { beforeEach, describe, expect, it } from "vitest";
import { cohortMessageSchema, type CohortMessageInput } from "~/schemas/messages";
import { createEnrolment, createUser } from "../../db/seed/factories";
import { consortium, ctxFor } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { cohortMessagesPage, sendCohortMessage } from "./cohort-messages.server";
import { listUnseenNotices } from "./notifications.server";
import { checked } from "./result";

type World = Awaited<ReturnType<typeof consortium>>;

async function refusedWith(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Response);
  return (error as Response).status;
}

const KEY = "abcdefghijklmnopqrstuv";
const message = (over: Partial<CohortMessageInput> = {}): CohortMessageInput => ({ subject: "Inför träffen", body: "Ta med datorn.\nVi ses!", to: "all", participantIds: [], key: KEY, ...over });

describe("cohort messages", () => {
  let w: World;
  let anebyPeople: number[];
  let eksjoPerson: number;
  let anebyTraineeUser: number;

  beforeEach(async () => {
    w = await consortium(await emptyDb());
    const { aneby, eksjo } = w.municipalities;
    anebyPeople = [await w.person(aneby), await w.person(aneby)];
    eksjoPerson = await w.person(eksjo);
    for (const p of anebyPeople) await createEnrolment(w.db, { cohortId: w.cohortId, participantId: p, municipalityId: aneby, status: "active" });
    await createEnrolment(w.db, { cohortId: w.cohortId, participantId: eksjoPerson, municipalityId: eksjo, status: "accepted" });
    anebyTraineeUser = await createUser(w.db, { email: "trainee@test.se", name: "Trainee", grants: [{ role: "participant", municipalityId: aneby, participantId: anebyPeople[0] }] });
  });

  it("the lead messages the whole cohort: one e-mail per participant, a notice for those who can log in, the history says who, when, how many", async () => {
    const result = await sendCohortMessage(await w.as("lead"), w.cohortId, checked(message()));
    expect(result).toMatchObject({ ok: true, value: { recipients: 3, repeated: false } });
    const mails = await w.db.selectFrom("mail_outbox").selectAll().where("kind", "=", "cohort_message").execute();
    expect(mails.map((x) => x.recipient_participant_id).toSorted()).toEqual([...anebyPeople, eksjoPerson].toSorted());
    expect(mails[0].body_text).toContain("Meddelande från Lead till deltagarna i Ledarutveckling, Omgång 1:\n\nInför träffen\n\nTa med datorn.");
    const [notice] = await listUnseenNotices(await ctxFor(w.db, anebyTraineeUser));
    expect(notice).toMatchObject({ kind: "cohort_message", subject: "Inför träffen", message: "Ta med datorn.\nVi ses!" });
    const page = await cohortMessagesPage(await w.as("lead"), w.cohortId);
    expect(page.history).toEqual([expect.objectContaining({ subject: "Inför träffen", senderName: "Lead", municipality: null, recipientCount: 3 })]);
    const audit = await w.db.selectFrom("audit_log").select(["action", "detail"]).where("action", "=", "cohort_message.sent").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).not.toContain("Ta med");
  });

  it("a coordinator messages only their own municipality's participants, and picks among them", async () => {
    const aneby = await w.as("aneby");
    const page = await cohortMessagesPage(aneby, w.cohortId);
    expect(page.recipients.map((r) => r.participantId).toSorted()).toEqual(anebyPeople.toSorted());
    expect(await sendCohortMessage(aneby, w.cohortId, checked(message()))).toMatchObject({ ok: true, value: { recipients: 2 } });
    const picked = await sendCohortMessage(aneby, w.cohortId, checked(message({ key: `${KEY}2`, to: "selected", participantIds: [anebyPeople[1]] })));
    expect(picked).toMatchObject({ ok: true, value: { recipients: 1 } });
    const to = await w.db.selectFrom("cohort_message_recipients").select("participant_id").execute();
    expect(to.map((r) => r.participant_id)).not.toContain(eksjoPerson);
  });

  it("wrong municipality can't message another's participants or read the history (404 like a made-up cohort)", async () => {
    await sendCohortMessage(await w.as("lead"), w.cohortId, checked(message()));
    const hogsby = await w.as("hogsby");
    expect(await refusedWith(cohortMessagesPage(hogsby, w.cohortId))).toBe(404);
    expect(await refusedWith(sendCohortMessage(hogsby, w.cohortId, checked(message({ key: `${KEY}h` }))))).toBe(404);
    expect(await refusedWith(cohortMessagesPage(hogsby, 999_999))).toBe(404);
    // Eksjö picks an Aneby participant: refused as a name not on its list, nothing sent.
    const eksjo = await w.as("eksjo");
    const before = await w.db.selectFrom("mail_outbox").select("id").execute();
    const foreign = await sendCohortMessage(eksjo, w.cohortId, checked(message({ key: `${KEY}e`, to: "selected", participantIds: [eksjoPerson, anebyPeople[0]] })));
    expect(foreign).toEqual({ ok: false, status: 400, message: "Välj deltagare ur listan." });
    expect(await w.db.selectFrom("mail_outbox").select("id").execute()).toEqual(before);
    expect(await w.db.selectFrom("cohort_messages").select("id").execute()).toHaveLength(1);
    // A funder and a trainee never message.
    expect(await refusedWith(cohortMessagesPage(await w.as("funder"), w.cohortId))).toBe(403);
  });

  it("the same form sent twice (its one-time key) sends once; another user's key is refused", async () => {
    const lead = await w.as("lead");
    const [first, second] = await Promise.all([sendCohortMessage(lead, w.cohortId, checked(message())), sendCohortMessage(lead, w.cohortId, checked(message()))]);
    expect([first, second].map((r) => r.ok && r.value.repeated).toSorted()).toEqual([false, true]);
    expect(await w.db.selectFrom("mail_outbox").select("id").where("kind", "=", "cohort_message").execute()).toHaveLength(3);
    expect(await sendCohortMessage(await w.as("aneby"), w.cohortId, checked(message()))).toMatchObject({ ok: false, status: 409 });
  });

  it("the form refuses an empty subject, a subject over 200 and a text over 5 000 characters, in Swedish", () => {
    const parse = (over: Record<string, unknown>) => cohortMessageSchema.safeParse({ ...message(), ...over });
    const issues = (over: Record<string, unknown>) => {
      const r = parse(over);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues({ subject: "  " })).toEqual(["Skriv en rubrik."]);
    expect(issues({ subject: "x".repeat(201) })).toEqual(["Rubriken får vara högst 200 tecken."]);
    expect(issues({ body: "x".repeat(5001) })).toEqual(["Meddelandet får vara högst 5 000 tecken."]);
    expect(issues({ to: "selected", participantIds: [] })).toEqual(["Välj minst en deltagare."]);
    expect(parse({ subject: "x".repeat(200), body: "x".repeat(5000) }).success).toBe(true);
  });
});
