import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { personnummerFor } from "../../db/seed/people";
import { demoDb, DEMO_TODAY } from "../../tests/support/db";
import { anonymiseParticipant, getAnonymisationView } from "./anonymisation.server";
import { loadGrants, type Ctx } from "./context.server";
import { checked } from "./result";
import { formatPersonnummer } from "./personnummer";
import { getOwnRegisterExtract, getRegisterExtract } from "./register-extract.server";
import { PERSONAL_DATA_HANDLING } from "./internal/personal-data.server";
import { extractAsJson, presentExtract } from "~/ui/register-extract";
import { addMonthsToDate } from "~/utils/time";
import { getProgrammeRetention, listDueForAnonymisation, setProgrammeRetention } from "./retention.server";
import { getStatistics } from "../../tests/support/statistics";

async function ctxByEmail(db: Db, email: string): Promise<Ctx> {
  const user = await db.selectFrom("users").select(["id", "email", "name"]).where("email", "=", email).executeTakeFirstOrThrow();
  return { db, user, grants: await loadGrants(db, user.id) };
}

async function responseOf(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected a thrown Response");
}

// Distinctive values, so a search of the whole database finds only this person.
const NAME = { first: "Majvor", last: "Quist-Testsson" };
const EMAIL = "majvor.quist-testsson@vimmerby.example";
const PNR = personnummerFor(1984, 5);
const CONFIRMED = checked({ confirm: true });
const ACTIVITY_TEXT = "Skuggade enhetschefen på Quistgården";
const DROP_REASON = "Flyttade till Quistby";
const END_REASON = "Ny tjänst hos Quist AB";
const CORRECTION_REASON = "Quist kom efter lunch";
const LATER = "2037-06-01"; // after the ESF programme's 120 months

let db: Db;
let participantId: number;
let traineeUserId: number;
let vimmerby: Ctx;
let hultsfred: Ctx;
let lead: Ctx;
let esfProgrammeId: number;

beforeEach(async () => {
  ({ db } = await demoDb());
  const trainee = await ctxByEmail(db, "deltagare@programportalen.test");
  traineeUserId = trainee.user.id;
  participantId = trainee.grants.find((g) => g.role === "participant")!.participantId!;
  vimmerby = await ctxByEmail(db, "samordnare.vimmerby@programportalen.test");
  hultsfred = await ctxByEmail(db, "samordnare.hultsfred@programportalen.test");
  lead = await ctxByEmail(db, "programledare@programportalen.test");
  esfProgrammeId = lead.grants[0].programmeId!;

  // Give the demo trainee every kind of personal data the portal can hold.
  await db.updateTable("participants").set({ first_name: NAME.first, last_name: NAME.last, email: EMAIL, birth_year: 1984 }).where("id", "=", participantId).execute();
  await db.updateTable("users").set({ name: `${NAME.first} ${NAME.last}` }).where("id", "=", traineeUserId).execute();
  await db.deleteFrom("participant_identities").where("participant_id", "=", participantId).execute();
  await db.insertInto("participant_identities").values({ participant_id: participantId, municipality_id: vimmerby.grants[0].municipalityId!, personnummer: PNR }).execute();
  const activity = await db.selectFrom("own_activities").select(["id", "kind"]).where("participant_id", "=", participantId).orderBy("id").executeTakeFirstOrThrow();
  await db.updateTable("own_activities").set({ description: ACTIVITY_TEXT, reason: "Bra, Majvor!" }).where("id", "=", activity.id).execute();
  const certified = await db.selectFrom("time_reports").select(["id", "certified_lines"]).where("participant_id", "=", participantId).where("status", "=", "certified").executeTakeFirstOrThrow();
  const lines = [...JSON.parse(certified.certified_lines!), { date: "2026-08-27", source: "own_activity", sourceId: activity.id, activity: `Hemuppgift: ${ACTIVITY_TEXT}`, minutes: 60 }];
  await db.updateTable("time_reports").set({ certified_lines: JSON.stringify(lines) }).where("id", "=", certified.id).execute();
  const attendance = await db.selectFrom("attendance").select(["id", "session_id", "municipality_id", "status", "minutes"]).where("participant_id", "=", participantId).executeTakeFirstOrThrow();
  await db
    .insertInto("attendance_corrections")
    .values({
      attendance_id: attendance.id,
      session_id: attendance.session_id,
      participant_id: participantId,
      municipality_id: attendance.municipality_id,
      from_status: attendance.status,
      to_status: attendance.status,
      from_minutes: attendance.minutes,
      to_minutes: attendance.minutes,
      reason: CORRECTION_REASON,
      changed_by: vimmerby.user.id,
      changed_at: "2026-09-01T10:00:00.000Z",
    })
    .execute();
  await db.insertInto("calendar_feeds").values({ user_id: traineeUserId, scope: "participant", token_hash: "hash-quist", created_at: "2026-09-01T10:00:00.000Z" }).execute();
  await db.insertInto("notifications").values({ user_id: traineeUserId, kind: "session_moved", session_id: attendance.session_id, enrolment_id: null, message: "Träffen är flyttad.", created_at: "2026-09-01T10:00:00.000Z", seen_at: null }).execute();
  for (const [to, subject, body] of [
    ["deltagare@programportalen.test", "Träff flyttad – Programportalen", "Träffen är flyttad."],
    [EMAIL, "Påminnelse – Programportalen", `Välkommen på träffen i morgon, ${NAME.first}.`],
  ]) {
    await db
      .insertInto("mail_outbox")
      .values({ kind: "test", to_address: to, recipient_user_id: traineeUserId, subject, body_text: body, created_at: "2026-09-01T10:00:00.000Z", next_attempt_at: "2026-09-01T10:00:00.000Z", sent_at: null, last_error: null, link_path: null })
      .execute();
  }
});

/** The trainee leaves: every enrolment ends (one dropped, with a reason) and so does the participation. */
async function leave(endedOn = DEMO_TODAY) {
  const enrolments = await db.selectFrom("enrolments").select("id").where("participant_id", "=", participantId).execute();
  for (const e of enrolments) {
    await db.updateTable("enrolments").set({ status: "dropped", ended_on: endedOn, drop_reason: DROP_REASON, waitlist_position: null }).where("id", "=", e.id).execute();
    await db.insertInto("enrolment_events").values({ enrolment_id: e.id, status: "dropped", occurred_on: endedOn, recorded_at: `${endedOn}T10:00:00.000Z`, recorded_by: vimmerby.user.id, reason: DROP_REASON }).execute();
  }
  await db.updateTable("participants").set({ ended_on: endedOn, end_reason: END_REASON }).where("id", "=", participantId).execute();
}

/** Every text value in every table, with where it was found. */
async function everyText(): Promise<{ where: string; value: string }[]> {
  const found: { where: string; value: string }[] = [];
  const tables = await db.introspection.getTables();
  for (const t of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(db);
    for (const row of rows.rows) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === "string") found.push({ where: `${t.name}.${column}`, value });
      }
    }
  }
  return found;
}

async function statisticsSnapshot() {
  const filter = { programmeId: esfProgrammeId };
  const own = await sql<{ status: string; gender: string; birth_year: number; education_level: string | null; n: number }>`
    select e.status, p.gender, p.birth_year, p.education_level, count(*) as n
    from enrolments e join participants p on p.id = e.participant_id
    group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(db);
  const hours = await sql<{ m: number }>`select sum(minutes) as m from attendance`.execute(db);
  const certified = await sql<{ m: number }>`select sum(certified_minutes) as m from time_reports where status = 'certified'`.execute(db);
  const outcomes = await sql<{ result: string; n: number }>`select result, count(*) as n from outcomes group by 1 order by 1`.execute(db);
  return {
    programme: await getStatistics(lead, filter, DEMO_TODAY),
    municipality: await getStatistics(vimmerby, filter, DEMO_TODAY),
    own: own.rows,
    hours: hours.rows,
    certified: certified.rows,
    outcomes: outcomes.rows,
  };
}

describe("registerutdrag", () => {
  it("holds everything stored about the participant and nothing about anyone else", async () => {
    await leave();
    const extract = await getRegisterExtract(vimmerby, participantId, "json");
    const json = extractAsJson(presentExtract(extract));
    const parsed = JSON.parse(json);

    expect(parsed.readme).toMatch(/Registerutdrag/);
    expect(parsed.participant).toMatchObject({ id: participantId, firstName: NAME.first, lastName: NAME.last, email: EMAIL, endReason: END_REASON });
    expect(parsed.identity).toEqual({ personnummer: formatPersonnummer(PNR) });
    for (const text of [ACTIVITY_TEXT, DROP_REASON, CORRECTION_REASON, "deltagare@programportalen.test", "Välkommen på träffen i morgon"]) {
      expect(json).toContain(text);
    }
    const count = async (table: "attendance" | "time_reports" | "own_activities" | "enrolments" | "outcomes") =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("participant_id", "=", participantId).executeTakeFirstOrThrow()).n);
    expect(parsed.attendance).toHaveLength(await count("attendance"));
    expect(parsed.timeReports).toHaveLength(await count("time_reports"));
    expect(parsed.ownActivities).toHaveLength(await count("own_activities"));
    expect(parsed.enrolments).toHaveLength(await count("enrolments"));
    expect(parsed.outcomes).toHaveLength(await count("outcomes"));
    expect(parsed.calendarFeeds).toHaveLength(1);
    expect(parsed.notifications).toHaveLength(1);
    // The two e-mails to the trainee's account.
    expect(parsed.emails).toHaveLength(2);
    // Secrets stay out.
    expect(json).not.toContain("hash-quist");
    expect(json).not.toMatch(/\$argon2/);

    const others = await db.selectFrom("participants").select(["email"]).where("id", "!=", participantId).execute();
    const leaked = others.filter((o) => json.includes(o.email));
    expect(leaked).toEqual([]);
    expect(json).not.toContain("samordnare.vimmerby@programportalen.test");

    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "participant.register_extract").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: vimmerby.user.id, entity: "participant", entity_id: String(participantId) });
    expect(audit[0].detail).not.toContain(NAME.last);
  });

  it("is a 404 for another municipality's coordinator, audited, and the trainee gets their own", async () => {
    expect((await responseOf(getRegisterExtract(hultsfred, participantId, "html"))).status).toBe(404);
    const denied = await db.selectFrom("audit_log").selectAll().where("action", "=", "authz.denied").where("actor_user_id", "=", hultsfred.user.id).execute();
    expect(denied.map((d) => d.entity_id)).toContain(String(participantId));
    expect((await responseOf(getRegisterExtract(lead, participantId, "html"))).status).toBe(403);

    const own = await getOwnRegisterExtract(await ctxByEmail(db, "deltagare@programportalen.test"), "html");
    expect(own.participantId).toBe(participantId);
    expect(presentExtract(own).sections.find((s) => s.key === "identity")!.rows[0].personnummer).toBe(formatPersonnummer(PNR));
    expect((await responseOf(getOwnRegisterExtract(vimmerby, "json"))).status).toBe(403);
  });
});

describe("retention", () => {
  it("defaults by funding, and only the administrator or the programme's lead changes it", async () => {
    expect((await getProgrammeRetention(lead, esfProgrammeId)).months).toBe(120);
    expect((await responseOf(setProgrammeRetention(vimmerby, esfProgrammeId, checked({ months: 12 })))).status).toBe(403);
    expect(await setProgrammeRetention(lead, esfProgrammeId, checked({ months: 0 }))).toMatchObject({ ok: false, status: 400 });
    expect(await setProgrammeRetention(lead, esfProgrammeId, checked({ months: 60 }))).toEqual({ ok: true, value: undefined });
    const after = await getProgrammeRetention(await ctxByEmail(db, "admin@programportalen.test"), esfProgrammeId);
    expect(after).toMatchObject({ months: 60, isDefault: false });
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "programme.retention_set").executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(esfProgrammeId));
  });

  it("adds months to a date, keeping to the month's last day", () => {
    expect(addMonthsToDate("2026-11-26", 120)).toBe("2036-11-26");
    expect(addMonthsToDate("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonthsToDate("2024-02-29", 12)).toBe("2025-02-28");
  });
});

describe("anonymisation", () => {
  it("is refused for an active participant and before the retention period has passed, and changes nothing", async () => {
    const before = await everyText();
    const active = await anonymiseParticipant(vimmerby, participantId, CONFIRMED, { today: LATER });
    expect(active).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/inte avslutad/) });

    await db.updateTable("participants").set({ ended_on: DEMO_TODAY }).where("id", "=", participantId).execute();
    const open = await anonymiseParticipant(vimmerby, participantId, CONFIRMED, { today: LATER });
    expect(open).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/pågående anmälan/) });
    await db.updateTable("participants").set({ ended_on: null }).where("id", "=", participantId).execute();

    await leave();
    const view = await getAnonymisationView(vimmerby, participantId, DEMO_TODAY);
    // ESF: 120 months after the last month with reported time (November 2026).
    expect(view.status.anonymisableFrom).toBe("2036-11-30");
    expect(view.status.canAnonymise).toBe(false);
    expect(view.explanation).toMatch(/30 november 2036/);
    const early = await anonymiseParticipant(vimmerby, participantId, CONFIRMED, { today: "2036-11-29" });
    expect(early).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/Gallringsfristen har inte gått ut/) });

    expect((await responseOf(anonymiseParticipant(hultsfred, participantId, CONFIRMED, { today: LATER }))).status).toBe(404);
    const untouched = await db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirstOrThrow();
    expect(untouched).toMatchObject({ first_name: NAME.first, anonymised_at: null });
    expect(before.filter((t) => t.value.includes(NAME.last)).length).toBeGreaterThan(0);
  });

  it("keeps every statistic and leaves no trace of the person anywhere in the database", async () => {
    await leave();
    const statsBefore = await statisticsSnapshot();

    expect((await getAnonymisationView(vimmerby, participantId, LATER)).status.canAnonymise).toBe(true);
    await anonymiseParticipant(vimmerby, participantId, CONFIRMED, { today: LATER });

    expect(await statisticsSnapshot()).toEqual(statsBefore);

    const traces = [
      NAME.first,
      NAME.last,
      EMAIL,
      "deltagare@programportalen.test",
      PNR,
      formatPersonnummer(PNR),
      PNR.slice(2),
      ACTIVITY_TEXT,
      DROP_REASON,
      END_REASON,
      CORRECTION_REASON,
      "Bra, Majvor!",
    ];
    const remaining = (await everyText()).filter((t) => traces.some((trace) => t.value.includes(trace)));
    expect(remaining).toEqual([]);

    const p = await db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirstOrThrow();
    expect(p).toMatchObject({ first_name: "Anonymiserad", email: `anonymiserad-${participantId}@invalid`, birth_year: 1984, ended_on: DEMO_TODAY });
    expect(p.anonymised_at).not.toBeNull();
    // The login is gone: no grant, no sessions, no password.
    expect(await db.selectFrom("role_grants").select("id").where("user_id", "=", traineeUserId).execute()).toEqual([]);
    const user = await db.selectFrom("users").selectAll().where("id", "=", traineeUserId).executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
    expect(user.disabled_at).not.toBeNull();
    expect(await db.selectFrom("calendar_feeds").select("id").where("user_id", "=", traineeUserId).execute()).toEqual([]);

    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "participant.anonymised").executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: vimmerby.user.id, entity_id: String(participantId) });

    // Irreversible: a second time is refused, and so is editing the row.
    expect(await anonymiseParticipant(vimmerby, participantId, CONFIRMED, { today: LATER })).toMatchObject({ ok: false, status: 400 });
  });

  it("lists the municipality's participants whose retention has passed", async () => {
    // Two demo participants left years ago without ever being enrolled: nothing keeps their data.
    const due = await listDueForAnonymisation(vimmerby, {}, DEMO_TODAY);
    expect(due.items.map((p) => `${p.firstName} ${p.lastName}`).sort()).toEqual(["Bertil Sandén", "Gunnel Ekberg"]);
    expect((await listDueForAnonymisation(hultsfred, {}, DEMO_TODAY)).items).toEqual([]);
    expect((await responseOf(listDueForAnonymisation(lead, {}, DEMO_TODAY))).status).toBe(403);

    await leave();
    const later = await listDueForAnonymisation(vimmerby, {}, LATER);
    expect(later.items.map((p) => p.id)).toContain(participantId);
    await anonymiseParticipant(vimmerby, due.items[0].id, CONFIRMED, { today: DEMO_TODAY });
    expect((await listDueForAnonymisation(vimmerby, {}, DEMO_TODAY)).items).toHaveLength(1);
  });

  it("knows how every table of the database is handled", async () => {
    const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith("kysely_"));
    expect(tables.filter((t) => !(t in PERSONAL_DATA_HANDLING))).toEqual([]);
  });

  it("gives every table that points at a participant or a login an extract and an anonymisation step", async () => {
    const personal = (await db.introspection.getTables())
      .filter((t) => t.columns.some((c) => c.name === "participant_id" || c.name === "user_id"))
      .map((t) => t.name);
    expect(personal.length).toBeGreaterThan(5);
    const declaredNone = personal.filter((t) => "personalData" in PERSONAL_DATA_HANDLING[t as keyof typeof PERSONAL_DATA_HANDLING]);
    expect(declaredNone).toEqual([]);
  });
});
