import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "~/db/connection.server";
import { auditActions, consortium, ctxFor, expectResponse } from "../../tests/support/coordination";
import { createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import type { Ctx } from "./context.server";
import type { Result } from "./result";
import { nominateSeveral } from "./bulk-nominations.server";
import { getCohortWithRoster } from "./cohorts.server";
import { seatCounts } from "./internal/seats.server";
import {
  acceptNomination,
  changeEnrolmentStatus,
  changeStatusInCohort,
  decideNomination,
  nominate,
  withdrawNomination,
} from "./nominations.server";
import { checked } from "./result";

const TODAY = "2026-11-26";

const getRoster = async (ctx: Ctx, cohortId: number) => (await getCohortWithRoster(ctx, cohortId)).roster;
const nominationCandidates = async (ctx: Ctx, cohortId: number) => (await getCohortWithRoster(ctx, cohortId)).candidates;

async function setup() {
  return consortium(await emptyDb());
}

async function enrolment(c: Awaited<ReturnType<typeof setup>>, id: number) {
  return c.db.selectFrom("enrolments").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function eventsOf(c: Awaited<ReturnType<typeof setup>>, id: number) {
  return c.db.selectFrom("enrolment_events").select(["status", "occurred_on", "reason"]).where("enrolment_id", "=", id).orderBy("id").execute();
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`Expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

describe("nominations within a municipality's seats", () => {
  it("nominates within free seats and puts the rest on the waiting list in order", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    const [p1, p2, p3] = [await c.person(c.municipalities.eksjo), await c.person(c.municipalities.eksjo), await c.person(c.municipalities.eksjo)];

    const first = ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: p1 }, TODAY));
    const second = ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: p2 }, TODAY));
    const third = ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: p3 }, TODAY));

    expect(first).toMatchObject({ status: "nominated", waitlistPosition: null });
    expect(second).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
    expect(third).toMatchObject({ status: "waitlisted", waitlistPosition: 2 });
    expect(await seatCounts(c.db, c.cohortId, c.municipalities.eksjo)).toMatchObject({ seats: 1, nominated: 1, waitlisted: 2, free: 0 });
    expect(await eventsOf(c, second.enrolmentId)).toEqual([{ status: "waitlisted", occurred_on: TODAY, reason: null }]);
    expect((await auditActions(c.db)).filter((a) => a === "enrolment.nominated")).toHaveLength(3);
  });

  it("refuses another municipality's participant with 404, changes nothing and audits the attempt", async () => {
    const c = await setup();
    const anebyPerson = await c.person(c.municipalities.aneby);
    await expectResponse(nominate(await c.as("eksjo"), { cohortId: c.cohortId, participantId: anebyPerson }, TODAY), 404);
    expect(await c.db.selectFrom("enrolments").selectAll().execute()).toHaveLength(0);
    expect(await auditActions(c.db)).toEqual(["authz.denied"]);
  });

  it("refuses a lead or an administrator nominating: nominations are the coordinator's", async () => {
    const c = await setup();
    const p = await c.person(c.municipalities.aneby);
    // Roles that never nominate get 403, whatever the participant id: an existing one is not told from a made-up one.
    await expectResponse(nominate(await c.as("lead"), { cohortId: c.cohortId, participantId: p }, TODAY), 403);
    await expectResponse(nominate(await c.as("admin"), { cohortId: c.cohortId, participantId: p }, TODAY), 403);
    await expectResponse(nominate(await c.as("lead"), { cohortId: c.cohortId, participantId: 999_999 }, TODAY), 403);
  });

  it("refuses ended participants, double nominations, municipalities outside the cohort and ended cohorts", async () => {
    const c = await setup();
    const aneby = await c.as("aneby");
    const ended = await c.person(c.municipalities.aneby);
    await c.db.updateTable("participants").set({ ended_on: "2026-10-01", end_reason: "Slutat" }).where("id", "=", ended).execute();
    expect(await nominate(aneby, { cohortId: c.cohortId, participantId: ended }, TODAY)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { participantId: ["Deltagaren är avslutad och kan inte anmälas."] },
    });

    const p = await c.person(c.municipalities.aneby);
    ok(await nominate(aneby, { cohortId: c.cohortId, participantId: p }, TODAY));
    expect(await nominate(aneby, { cohortId: c.cohortId, participantId: p }, TODAY)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { participantId: ["Deltagaren är redan anmäld till omgången."] },
    });

    const hogsbyPerson = await c.person(c.municipalities.hogsby);
    // Högsby is no partner of the programme: to its coordinator the cohort does not exist (the cohort page's one check).
    await expectResponse(nominate(await c.as("hogsby"), { cohortId: c.cohortId, participantId: hogsbyPerson }, TODAY), 404);

    const late = await c.person(c.municipalities.aneby);
    expect((await nominate(aneby, { cohortId: c.cohortId, participantId: late }, "2028-01-01")).ok).toBe(false);
    expect(await c.db.selectFrom("enrolments").selectAll().execute()).toHaveLength(1);
  });

  it("offers nomination candidates: own, current participants not yet in the cohort", async () => {
    const c = await setup();
    const aneby = await c.as("aneby");
    const inCohort = await c.person(c.municipalities.aneby, "Inne");
    const free = await c.person(c.municipalities.aneby, "Ledig");
    const ended = await c.person(c.municipalities.aneby, "Slutad");
    await c.person(c.municipalities.eksjo, "Annan");
    await c.db.updateTable("participants").set({ ended_on: "2026-10-01" }).where("id", "=", ended).execute();
    ok(await nominate(aneby, { cohortId: c.cohortId, participantId: inCohort }, TODAY));
    expect((await nominationCandidates(aneby, c.cohortId)).map((p) => p.id)).toEqual([free]);
    expect(await nominationCandidates(await c.as("lead"), c.cohortId)).toEqual([]);
  });
});

describe("decisions and status changes", () => {
  it("lets the lead accept a nomination, and nobody else", async () => {
    const c = await setup();
    const p = await c.person(c.municipalities.aneby);
    const { enrolmentId } = ok(await nominate(await c.as("aneby"), { cohortId: c.cohortId, participantId: p }, TODAY));

    await expectResponse(acceptNomination(await c.as("aneby"), enrolmentId, TODAY), 403);
    await expectResponse(acceptNomination(await c.as("aneby"), 999_999, TODAY), 403);
    expect((await enrolment(c, enrolmentId)).status).toBe("nominated");

    ok(await acceptNomination(await c.as("lead"), enrolmentId, TODAY));
    expect((await enrolment(c, enrolmentId)).status).toBe("accepted");
    expect((await eventsOf(c, enrolmentId)).map((e) => e.status)).toEqual(["nominated", "accepted"]);
    expect((await acceptNomination(await c.as("lead"), enrolmentId, TODAY)).ok).toBe(false);
  });

  it("tells a trainee with a login on their start page and by e-mail when their enrolment changes", async () => {
    const c = await setup();
    const p = await c.person(c.municipalities.aneby, "Tilda");
    await createUser(c.db, { email: "tilda@test.se", name: "Tilda Testsson", grants: [{ role: "participant", municipalityId: c.municipalities.aneby, participantId: p }] });
    const { enrolmentId } = ok(await nominate(await c.as("aneby"), { cohortId: c.cohortId, participantId: p }, TODAY));
    ok(await acceptNomination(await c.as("lead"), enrolmentId, TODAY));

    const notices = await c.db.selectFrom("notifications").select(["message"]).orderBy("id").execute();
    expect(notices.map((n) => n.message)).toEqual([
      "Din plats i Ledarutveckling, Omgång 1 har ändrats: anmäld.",
      "Din plats i Ledarutveckling, Omgång 1 har ändrats: antagen.",
    ]);
    const mail = await c.db.selectFrom("mail_outbox").select(["to_address"]).execute();
    expect(mail.map((m) => m.to_address)).toEqual(["tilda@test.se", "tilda@test.se"]);
  });

  it("offers a dropped participant's seat to the first on the municipality's waiting list", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    const lead = await c.as("lead");
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push(ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY)).enrolmentId);
    }
    ok(await acceptNomination(lead, ids[0], TODAY));
    ok(await changeEnrolmentStatus(lead, ids[0], { status: "active", date: "2026-11-02" }, TODAY));

    expect(await changeEnrolmentStatus(eksjo, ids[0], { status: "dropped", date: "2026-11-20" }, TODAY)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { reason: ["Ange varför deltagaren avbryter."] },
    });
    ok(await changeEnrolmentStatus(eksjo, ids[0], { status: "dropped", date: "2026-11-20", reason: "Flyttar" }, TODAY));

    expect(await enrolment(c, ids[0])).toMatchObject({ status: "dropped", started_on: "2026-11-02", ended_on: "2026-11-20", drop_reason: "Flyttar" });
    expect(await enrolment(c, ids[1])).toMatchObject({ status: "nominated", waitlist_position: null });
    expect(await enrolment(c, ids[2])).toMatchObject({ status: "waitlisted", waitlist_position: 1 });
    expect((await eventsOf(c, ids[1])).map((e) => e.status)).toEqual(["waitlisted", "nominated"]);
    expect(await eventsOf(c, ids[0])).toEqual([
      { status: "nominated", occurred_on: TODAY, reason: null },
      { status: "accepted", occurred_on: TODAY, reason: null },
      { status: "active", occurred_on: "2026-11-02", reason: null },
      { status: "dropped", occurred_on: "2026-11-20", reason: "Flyttar" },
    ]);
    expect(await auditActions(c.db)).toContain("enrolment.seat_offered");
  });

  it("removes a withdrawn nomination and offers its seat; a started participant cannot be withdrawn", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    const first = ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY));
    const second = ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY));

    await expectResponse(withdrawNomination(await c.as("aneby"), first.enrolmentId, TODAY), 404);
    ok(await withdrawNomination(eksjo, first.enrolmentId, TODAY));
    expect(await c.db.selectFrom("enrolments").select("id").where("id", "=", first.enrolmentId).executeTakeFirst()).toBeUndefined();
    expect((await enrolment(c, second.enrolmentId)).status).toBe("nominated");

    const lead = await c.as("lead");
    ok(await acceptNomination(lead, second.enrolmentId, TODAY));
    ok(await changeEnrolmentStatus(lead, second.enrolmentId, { status: "active", date: TODAY }, TODAY));
    expect((await withdrawNomination(eksjo, second.enrolmentId, TODAY)).ok).toBe(false);
    expect(await auditActions(c.db)).toContain("enrolment.withdrawn");
  });

  it("allows only the dated transitions of the lifecycle", async () => {
    const c = await setup();
    const lead = await c.as("lead");
    const { enrolmentId } = ok(await nominate(await c.as("aneby"), { cohortId: c.cohortId, participantId: await c.person(c.municipalities.aneby) }, TODAY));

    expect((await changeEnrolmentStatus(lead, enrolmentId, { status: "active", date: TODAY }, TODAY)).ok).toBe(false);
    ok(await acceptNomination(lead, enrolmentId, TODAY));
    expect(await changeEnrolmentStatus(lead, enrolmentId, { status: "active", date: "2026-12-01" }, TODAY)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { date: ["Datumet kan inte vara i framtiden."] },
    });
    ok(await changeEnrolmentStatus(lead, enrolmentId, { status: "active", date: "2026-11-10" }, TODAY));
    expect(await changeEnrolmentStatus(lead, enrolmentId, { status: "completed", date: "2026-11-01" }, TODAY)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { date: ["Slutdatum kan inte vara före startdatum."] },
    });
    ok(await changeEnrolmentStatus(lead, enrolmentId, { status: "completed", date: "2026-11-25" }, TODAY));
    expect(await enrolment(c, enrolmentId)).toMatchObject({ status: "completed", started_on: "2026-11-10", ended_on: "2026-11-25" });
    expect((await changeEnrolmentStatus(lead, enrolmentId, { status: "dropped", date: TODAY, reason: "x" }, TODAY)).ok).toBe(false);
    // A completed participant keeps the seat: it is not offered again.
    expect(await seatCounts(c.db, c.cohortId, c.municipalities.aneby)).toMatchObject({ completed: 1, occupied: 1, free: 1 });
  });

  it("lets two coordinators race for the last seat: exactly one gets it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-race-"));
    const url = `file:${path.join(dir, "race.sqlite")}`;
    const setupDb = openDatabase(url);
    await migrateToLatest(setupDb);
    const c = await consortium(setupDb);
    // Both "coordinators" of Eksjö nominate; Eksjö has one seat.
    const second = await c.db
      .insertInto("users")
      .values({ email: "eksjo2@test.se", name: "Andra samordnaren", password_hash: null, disabled_at: null, created_at: new Date().toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await c.db
      .insertInto("role_grants")
      .values({ user_id: second.id, role: "coordinator", municipality_id: c.municipalities.eksjo, programme_id: null, participant_id: null, created_at: TODAY, created_by: null })
      .execute();
    const people = [await c.person(c.municipalities.eksjo), await c.person(c.municipalities.eksjo)];
    await setupDb.destroy();

    // Two connections, as two server processes would have. Both live on this one
    // thread, so a writer waiting for the lock would also block the holder:
    // a short busy timeout makes the loser get SQLITE_BUSY (and retry) at once.
    const one = openDatabase(url);
    const two = openDatabase(url);
    for (const db of [one, two]) await sql`pragma busy_timeout = 0`.execute(db);
    const [r1, r2] = await Promise.all([
      nominate(await ctxFor(one, c.users.eksjo), { cohortId: c.cohortId, participantId: people[0] }, TODAY),
      nominate(await ctxFor(two, second.id), { cohortId: c.cohortId, participantId: people[1] }, TODAY),
    ]);
    const statuses = [ok(r1).status, ok(r2).status].sort();
    expect(statuses).toEqual(["nominated", "waitlisted"]);
    const rows = await one.selectFrom("enrolments").select(["status", "waitlist_position"]).orderBy("status").execute();
    expect(rows).toEqual([
      { status: "nominated", waitlist_position: null },
      { status: "waitlisted", waitlist_position: 1 },
    ]);
    await one.destroy();
    await two.destroy();
  });
});

describe("the cohort page's forms", () => {
  it("refuse a funder, an administrator and an outside coordinator before reading the input (403/404), and tell an actor what is wrong", async () => {
    const c = await setup();
    const bad = { status: "error" as const };
    for (const who of ["funder", "admin"] as const) {
      await expectResponse(nominateSeveral(await c.as(who), c.cohortId, bad), 403);
      await expectResponse(decideNomination(await c.as(who), c.cohortId, bad), 403);
      await expectResponse(changeStatusInCohort(await c.as(who), c.cohortId, bad), 403);
    }
    expect((await auditActions(c.db)).filter((a) => a === "authz.denied")).toHaveLength(6);
    // Högsby is no partner of the programme: to its coordinator the cohort does not exist.
    await expectResponse(decideNomination(await c.as("hogsby"), c.cohortId, bad), 404);
    expect(await decideNomination(await c.as("eksjo"), c.cohortId, bad)).toEqual({ ok: false, status: 400 });
    expect(await c.db.selectFrom("enrolments").selectAll().execute()).toHaveLength(0);
  });

  it("nominate, decide and change status through one call each", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    const lead = await c.as("lead");
    const participantId = await c.person(c.municipalities.eksjo);
    ok(await nominateSeveral(eksjo, c.cohortId, checked({ participantIds: [participantId] }), TODAY));
    const { id: enrolmentId } = await c.db.selectFrom("enrolments").select("id").where("participant_id", "=", participantId).executeTakeFirstOrThrow();
    expect(ok(await decideNomination(lead, c.cohortId, checked({ intent: "accept" as const, enrolmentId })))).toBe("accepted");
    ok(await changeStatusInCohort(lead, c.cohortId, checked({ enrolmentId, status: "active" as const, date: TODAY })));
    expect((await enrolment(c, enrolmentId)).status).toBe("active");
  });
});

describe("rosters", () => {
  async function filledCohort() {
    const c = await setup();
    const lead = await c.as("lead");
    const anebyPerson = await c.person(c.municipalities.aneby, "Astrid");
    const eksjoAccepted = await c.person(c.municipalities.eksjo, "Erik");
    const eksjoWaiting = await c.person(c.municipalities.eksjo, "Elsa");
    ok(await nominate(await c.as("aneby"), { cohortId: c.cohortId, participantId: anebyPerson }, TODAY));
    const e = ok(await nominate(await c.as("eksjo"), { cohortId: c.cohortId, participantId: eksjoAccepted }, TODAY));
    ok(await nominate(await c.as("eksjo"), { cohortId: c.cohortId, participantId: eksjoWaiting }, TODAY));
    ok(await acceptNomination(lead, e.enrolmentId, TODAY));
    return c;
  }

  it("shows the lead the whole roster with contact details", async () => {
    const c = await filledCohort();
    const roster = (await getRoster(await c.as("lead"), c.cohortId))!;
    expect(roster.map((r) => [r.firstName, r.kind])).toEqual([
      ["Astrid", "full"],
      ["Erik", "full"],
      ["Elsa", "full"],
    ]);
    expect(roster[1]).toMatchObject({ email: "erik@test.se", title: "Handläggare", status: "accepted", municipality: "Eksjö" });
  });

  it("shows a coordinator their own in full and others' accepted participants by name and municipality only", async () => {
    const c = await filledCohort();
    const roster = (await getRoster(await c.as("aneby"), c.cohortId))!;
    expect(roster).toEqual([
      expect.objectContaining({ kind: "full", firstName: "Astrid", email: "astrid@test.se", status: "nominated" }),
      { kind: "limited", firstName: "Erik", lastName: "Testsson", municipality: "Eksjö" },
    ]);
    expect(JSON.stringify(roster)).not.toContain("erik@test.se");
  });

  it("gives administrators and funders no roster, and a coordinator outside the programme a 404", async () => {
    const c = await filledCohort();
    expect(await getRoster(await c.as("admin"), c.cohortId)).toBeNull();
    expect(await getRoster(await c.as("funder"), c.cohortId)).toBeNull();
    await expectResponse(getRoster(await c.as("hogsby"), c.cohortId), 404);
  });
});
