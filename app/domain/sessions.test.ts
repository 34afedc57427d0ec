import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { sessionSchema, type SessionFormValue } from "~/schemas/sessions";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { ctxFor } from "../../tests/support/coordination";
import type { Ctx } from "./context.server";
import { notifyEnrolmentChanged } from "./internal/notices.server";
import { setCoordinatorsPlanSessions } from "./cofinancing.server";
import { checked } from "./result";
import { changeSessionStatus, createSession as planSession, getNewSessionForm, getSessionDetail, getSessionForEdit, listCohortSessions, updateSession } from "./sessions.server";

async function expectStatus(promise: Promise<unknown>, status: number) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a ${status} response`).toBeInstanceOf(Response);
  expect((error as Response).status).toBe(status);
}

/** The domain actions as a form calls them, with input that passed its schema. */
const plan = (ctx: Ctx, cohortId: number, value: SessionFormValue) => planSession(ctx, cohortId, checked(value));
const update = (ctx: Ctx, sessionId: number, value: SessionFormValue) => updateSession(ctx, sessionId, checked(value));
const cancelSession = (ctx: Ctx, sessionId: number) => changeSessionStatus(ctx, sessionId, checked({ intent: "cancel" as const }));
const reinstateSession = (ctx: Ctx, sessionId: number) => changeSessionStatus(ctx, sessionId, checked({ intent: "reinstate" as const }));

async function planned(ctx: Ctx, cohortId: number, value: SessionFormValue): Promise<number> {
  const result = await plan(ctx, cohortId, value);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.value;
}

const form = (overrides: Partial<Record<keyof SessionFormValue, string>> = {}): SessionFormValue =>
  sessionSchema.parse({
    title: "Feedback som verktyg",
    kind: "workshop",
    startDate: "2027-03-16",
    startTime: "09:00",
    endTime: "16:00",
    hostMunicipalityId: "0",
    venue: "Stadshuset",
    address: "Sevedegatan 39, Vimmerby",
    facilitator: "Eva Lindahl",
    ...overrides,
  });

describe("sessions (Träffar)", () => {
  let db: Db;
  let vimmerby: number;
  let hultsfred: number;
  let eksjo: number;
  let cohortId: number;
  let lead: Ctx;
  let vimmerbyCoordinator: Ctx;
  let hultsfredCoordinator: Ctx;
  let eksjoCoordinator: Ctx;
  let activeTrainee: Ctx;
  let waitlistedTrainee: Ctx;
  let sessionId: number;
  let programmeId: number;

  beforeEach(async () => {
    db = await emptyDb();
    vimmerby = await createMunicipality(db, { name: "Vimmerby" });
    hultsfred = await createMunicipality(db, { name: "Hultsfred" });
    eksjo = await createMunicipality(db, { name: "Eksjö" });
    programmeId = await createProgramme(db, {
      name: "Ledarutveckling över gränserna",
      ownerMunicipalityId: vimmerby,
      partnerMunicipalityIds: [hultsfred],
      startsOn: "2027-01-01",
      endsOn: "2027-12-31",
    });
    cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2027-01-10", endsOn: "2027-12-10", seats: { [vimmerby]: 2, [hultsfred]: 2 } });
    lead = await ctxFor(db, await createUser(db, { email: "lead@test.se", name: "Petra Programledare", grants: [{ role: "programme_lead", programmeId }] }));
    vimmerbyCoordinator = await ctxFor(db, await createUser(db, { email: "v@test.se", name: "Samordnare V", grants: [{ role: "coordinator", municipalityId: vimmerby }] }));
    hultsfredCoordinator = await ctxFor(db, await createUser(db, { email: "h@test.se", name: "Samordnare H", grants: [{ role: "coordinator", municipalityId: hultsfred }] }));
    eksjoCoordinator = await ctxFor(db, await createUser(db, { email: "e@test.se", name: "Samordnare E", grants: [{ role: "coordinator", municipalityId: eksjo }] }));

    const anna = await createParticipant(db, { municipalityId: vimmerby, firstName: "Anna", lastName: "Berg" });
    await createEnrolment(db, { cohortId, participantId: anna, municipalityId: vimmerby, status: "active" });
    activeTrainee = await ctxFor(
      db,
      await createUser(db, { email: "anna@test.se", name: "Anna Berg", grants: [{ role: "participant", municipalityId: vimmerby, participantId: anna }] }),
    );
    const olle = await createParticipant(db, { municipalityId: hultsfred, firstName: "Olle", lastName: "Holm" });
    await createEnrolment(db, { cohortId, participantId: olle, municipalityId: hultsfred, status: "waitlisted", waitlistPosition: 1 });
    waitlistedTrainee = await ctxFor(
      db,
      await createUser(db, { email: "olle@test.se", name: "Olle Holm", grants: [{ role: "participant", municipalityId: hultsfred, participantId: olle }] }),
    );
    sessionId = await createSession(db, {
      cohortId,
      title: "Uppstart",
      startsAt: "2027-03-14T08:00:00.000Z",
      endsAt: "2027-03-14T15:00:00.000Z",
      hostMunicipalityId: vimmerby,
      venue: "Stadshuset Vimmerby",
      address: "Sevedegatan 39, Vimmerby",
    });
  });

  const count = async (table: "sessions" | "session_changes" | "notifications" | "mail_outbox") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const audit = (action: string) => db.selectFrom("audit_log").selectAll().where("action", "=", action).execute();

  it("lets a programme lead plan a session, entered in Stockholm time and stored in UTC", async () => {
    const id = await planned(lead, cohortId, form({ hostMunicipalityId: String(hultsfred), startDate: "2027-03-30", startTime: "09:00", endTime: "16:00" }));
    const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    // 30 March 2027 is summer time (UTC+2).
    expect(row.starts_at).toBe("2027-03-30T07:00:00.000Z");
    expect(row.ends_at).toBe("2027-03-30T14:00:00.000Z");
    expect(row.sequence).toBe(0);
    expect(await audit("session.created")).toHaveLength(1);
  });

  it("lets a session cross midnight when an end date is given", async () => {
    const id = await planned(lead, cohortId, form({ hostMunicipalityId: String(vimmerby), startDate: "2027-02-10", startTime: "18:00", endDate: "2027-02-11", endTime: "01:00" }));
    const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.starts_at).toBe("2027-02-10T17:00:00.000Z");
    expect(row.ends_at).toBe("2027-02-11T00:00:00.000Z");
  });

  it("refuses an end before the start, and a session without a place or link", () => {
    const early = sessionSchema.safeParse({ title: "X", kind: "workshop", startDate: "2027-02-10", startTime: "10:00", endTime: "09:00", hostMunicipalityId: "1", address: "Gatan 1" });
    expect(early.success).toBe(false);
    expect(early.error?.issues[0].path).toEqual(["endTime"]);
    const nowhere = sessionSchema.safeParse({ title: "X", kind: "workshop", startDate: "2027-02-10", startTime: "09:00", endTime: "10:00", hostMunicipalityId: "1" });
    expect(nowhere.error?.issues[0].message).toBe("Ange lokal och adress, eller en möteslänk.");
    const badDate = sessionSchema.safeParse({ title: "X", kind: "workshop", startDate: "2027-02-30", startTime: "09:00", endTime: "10:00", hostMunicipalityId: "1", address: "a" });
    expect(badDate.success).toBe(false);
  });

  it("finding 4: lets a coordinator plan only where the programme allows it, and only sessions their municipality hosts", async () => {
    const before = await count("sessions");
    // Off by default: a session reaches every municipality's trainees, so the lead plans it.
    await expectStatus(plan(vimmerbyCoordinator, cohortId, form({ hostMunicipalityId: String(vimmerby) })), 404);
    await expectStatus(getNewSessionForm(vimmerbyCoordinator, cohortId), 404);
    expect((await listCohortSessions(vimmerbyCoordinator, cohortId)).canCreate).toBe(false);
    await expectStatus(plan(activeTrainee, cohortId, form({ hostMunicipalityId: String(vimmerby) })), 403);
    expect(await count("sessions")).toBe(before);
    expect((await audit("authz.denied")).length).toBe(3);

    await setCoordinatorsPlanSessions(lead, programmeId, true);
    await plan(vimmerbyCoordinator, cohortId, form({ hostMunicipalityId: String(vimmerby) }));
    await expectStatus(plan(vimmerbyCoordinator, cohortId, form({ hostMunicipalityId: String(hultsfred) })), 404);
    expect(await count("sessions")).toBe(before + 1);
    await expectStatus(setCoordinatorsPlanSessions(vimmerbyCoordinator, programmeId, true), 403);
  });

  it("refuses a host that is not a partner of the programme", async () => {
    expect(await plan(lead, cohortId, form({ hostMunicipalityId: String(eksjo) }))).toEqual({
      ok: false,
      status: 400,
      message: "Värdkommunen måste vara en av programmets partnerkommuner.",
    });
  });

  it("shows a cohort's sessions to partner coordinators and active trainees, and hides them from others", async () => {
    const now = new Date("2027-01-01T00:00:00Z");
    expect((await listCohortSessions(hultsfredCoordinator, cohortId, now)).upcoming).toHaveLength(1);
    const trainee = await listCohortSessions(activeTrainee, cohortId, now);
    expect(trainee.upcoming.map((s) => s.title)).toEqual(["Uppstart"]);
    expect(trainee.canCreate).toBe(false);
    await expectStatus(listCohortSessions(eksjoCoordinator, cohortId, now), 404);
    await expectStatus(listCohortSessions(waitlistedTrainee, cohortId, now), 404);
    await expectStatus(getSessionDetail(eksjoCoordinator, sessionId), 404);
    const denials = await audit("authz.denied");
    expect(denials.map((d) => d.actor_user_id)).toEqual(expect.arrayContaining([eksjoCoordinator.user.id, waitlistedTrainee.user.id]));
  });

  it("records a move: what changed, sequence + 1, audit, a notice to active trainees with a login and an e-mail to each active participant's address in the register (ADR 031)", async () => {
    await db.updateTable("sessions").set({ updated_at: "2026-01-01T00:00:00.000Z" }).where("id", "=", sessionId).execute();
    const result = await update(
      lead,
      sessionId,
      form({ title: "Uppstart", kind: "utbildningsdag", hostMunicipalityId: String(vimmerby), startDate: "2027-03-16", startTime: "09:00", endTime: "16:00", venue: "Stadshuset Vimmerby", facilitator: "" }),
    );
    expect(result).toEqual({ ok: true, value: { changed: true } });
    const after = await db.selectFrom("sessions").selectAll().where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(after.sequence).toBe(1);
    expect(after.updated_at > "2026-01-01T00:00:00.000Z").toBe(true);
    const change = await db.selectFrom("session_changes").selectAll().where("session_id", "=", sessionId).executeTakeFirstOrThrow();
    expect(change.kind).toBe("moved");
    expect(change.changed_by).toBe(lead.user.id);
    expect(JSON.parse(change.changes).starts_at).toEqual({ from: "2027-03-14T08:00:00.000Z", to: "2027-03-16T08:00:00.000Z" });
    const [entry] = await audit("session.moved");
    expect(JSON.parse(entry.detail!).fields).toEqual(expect.arrayContaining(["starts_at", "ends_at"]));

    const notices = await db.selectFrom("notifications").selectAll().execute();
    expect(notices.map((n) => n.user_id)).toEqual([activeTrainee.user.id]);
    expect(notices[0].message).toContain("flyttad från 14 mars");
    const mail = await db.selectFrom("mail_outbox").selectAll().execute();
    // The register's address, not the login's; the waiting-listed trainee is not told.
    expect(mail.map((m) => m.to_address)).toEqual(["anna.berg@example.se"]);

    const detail = await getSessionDetail(activeTrainee, sessionId);
    expect(detail.changes).toHaveLength(1);
    expect(detail.changes[0].changedBy).toBeNull();
    const list = await listCohortSessions(activeTrainee, cohortId, new Date("2027-01-01T00:00:00Z"));
    expect(list.upcoming[0].lastMove?.starts_at?.from).toBe("2027-03-14T08:00:00.000Z");
  });

  it("saves nothing when nothing changed, and keeps a plain edit quiet for trainees", async () => {
    const defaults = (await getSessionForEdit(lead, sessionId)).defaults;
    const same = sessionSchema.parse(defaults);
    expect(await update(lead, sessionId, same)).toEqual({ ok: true, value: { changed: false } });
    expect(await count("session_changes")).toBe(0);

    await update(lead, sessionId, sessionSchema.parse({ ...defaults, title: "Uppstart och introduktion" }));
    const change = await db.selectFrom("session_changes").selectAll().executeTakeFirstOrThrow();
    expect(change.kind).toBe("edited");
    expect(JSON.parse(change.changes)).toEqual({ title: { from: "Uppstart", to: "Uppstart och introduktion" } });
    expect(await count("notifications")).toBe(0);
  });

  it("cancels and reinstates, each a change of its own that trainees hear about", async () => {
    await cancelSession(lead, sessionId);
    let row = await db.selectFrom("sessions").selectAll().where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(row.status).toBe("cancelled");
    expect(row.sequence).toBe(1);
    expect(await cancelSession(lead, sessionId)).toEqual({ ok: false, status: 400, message: "Träffen är redan inställd." });
    // A cancelled session stays visible, as cancelled.
    const list = await listCohortSessions(activeTrainee, cohortId, new Date("2027-01-01T00:00:00Z"));
    expect(list.upcoming.map((s) => s.status)).toEqual(["cancelled"]);

    await reinstateSession(lead, sessionId);
    row = await db.selectFrom("sessions").selectAll().where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(row.status).toBe("planned");
    expect(row.sequence).toBe(2);
    const kinds = (await db.selectFrom("session_changes").select("kind").orderBy("id").execute()).map((c) => c.kind);
    expect(kinds).toEqual(["cancelled", "reinstated"]);
    expect((await db.selectFrom("notifications").select("kind").orderBy("id").execute()).map((n) => n.kind)).toEqual([
      "session_cancelled",
      "session_reinstated",
    ]);
  });

  it("lets only the lead change a session, or the host's coordinator where the programme allows it", async () => {
    await expectStatus(cancelSession(hultsfredCoordinator, sessionId), 404);
    await expectStatus(getSessionForEdit(hultsfredCoordinator, sessionId), 404);
    await expectStatus(cancelSession(vimmerbyCoordinator, sessionId), 404);
    await expectStatus(cancelSession(activeTrainee, sessionId), 403);
    // The host's coordinator still takes attendance for their own participants, and the page links to it.
    expect(await getSessionDetail(vimmerbyCoordinator, sessionId)).toMatchObject({ canManage: false, canTakeAttendance: true });
    expect(await getSessionDetail(hultsfredCoordinator, sessionId)).toMatchObject({ canManage: false, canTakeAttendance: false });
    await setCoordinatorsPlanSessions(lead, programmeId, true);
    await expectStatus(cancelSession(hultsfredCoordinator, sessionId), 404);
    // The host's coordinator cannot hand the session to a municipality they do not coordinate.
    const defaults = (await getSessionForEdit(vimmerbyCoordinator, sessionId)).defaults;
    await expectStatus(update(vimmerbyCoordinator, sessionId, sessionSchema.parse({ ...defaults, hostMunicipalityId: String(hultsfred) })), 404);
    expect(await count("session_changes")).toBe(0);
  });

  it("tells every municipality's active trainees when the host municipality's coordinator cancels a session, on PostgreSQL too where the coordinator's own handle sees only their register", async () => {
    await db.updateTable("enrolments").set({ status: "active", waitlist_position: null }).where("municipality_id", "=", hultsfred).execute();
    await setCoordinatorsPlanSessions(lead, programmeId, true);
    expect((await cancelSession(vimmerbyCoordinator, sessionId)).ok).toBe(true);
    const notices = await db.selectFrom("notifications").select("user_id").orderBy("user_id").execute();
    expect(notices.map((n) => n.user_id)).toEqual([activeTrainee.user.id, waitlistedTrainee.user.id].sort((a, b) => a - b));
    const mail = await db.selectFrom("mail_outbox").select("recipient_participant_id").execute();
    expect(mail).toHaveLength(2);
  });

  it("does not notify anyone about a session that is already over", async () => {
    const past = await createSession(db, { cohortId, title: "Gammal", startsAt: "2020-01-01T08:00:00.000Z", endsAt: "2020-01-01T15:00:00.000Z", hostMunicipalityId: vimmerby, address: "x" });
    await cancelSession(lead, past);
    expect(await count("notifications")).toBe(0);
  });

  it("tells a trainee with a login when their enrolment changes", async () => {
    const enrolment = await db.selectFrom("enrolments").select("id").where("participant_id", "=", activeTrainee.grants[0].participantId!).executeTakeFirstOrThrow();
    await db.transaction().execute((trx) => notifyEnrolmentChanged(trx, enrolment.id, { from: "active", to: "completed" }));
    const [notice] = await db.selectFrom("notifications").selectAll().execute();
    expect(notice.user_id).toBe(activeTrainee.user.id);
    expect(notice.message).toContain("avslutad");
    expect(await count("mail_outbox")).toBe(1);
  });
});
