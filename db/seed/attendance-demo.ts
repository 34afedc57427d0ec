/**
 * Demo attendance, own activities, time reports in every state and unit
 * costs, laid over the sessions and enrolments seedDemo has created. Runs
 * inside seedDemo's transaction, after the users exist. Deterministic.
 *
 * The demo trainee (deltagare@programportalen.test) always has last month's
 * report as a draft with hours, so it can be confirmed in a demo or a test.
 */
import type { Db } from "../../app/db/connection.server";
import type { AttendanceStatus, OwnActivityKind, TimeReportStatus } from "../../app/db/schema";
import { enrolledOn } from "../../app/domain/attendance.server";
import { computeReportLines, sumMinutes } from "../../app/domain/internal/hours-ledger.server";
import { stockholmToday } from "../../app/utils/format";
import { addMonthsToMonth, floorToQuarter, minutesBetween, roundMonthTotal, stockholmMonthOf, valueInOre } from "../../app/utils/hours";
import { addDaysToDate } from "../../app/utils/time";
import { seededRandom } from "./people";

/** Hourly unit costs in öre per salary group; last year's are about 3 % lower. */
export const DEMO_UNIT_COSTS: Record<string, number> = { "1": 38_500, "2": 45_200, "3": 52_800 };

export async function seedAttendanceDemo(db: Db, today: string): Promise<void> {
  const random = seededRandom(2027);
  const thisMonth = today.slice(0, 7);
  const lastMonth = addMonthsToMonth(thisMonth, -1);
  const year = Number(today.slice(0, 4));

  const grants = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["g.user_id", "g.role", "g.municipality_id", "g.programme_id", "g.participant_id", "u.email"])
    .execute();
  const leadOf = new Map(grants.filter((g) => g.role === "programme_lead").map((g) => [g.programme_id!, g.user_id]));
  const coordinatorOf = new Map(grants.filter((g) => g.role === "coordinator").map((g) => [g.municipality_id!, g.user_id]));
  const demoTrainee = grants.find((g) => g.email === "deltagare@programportalen.test" && g.role === "participant");
  const demoParticipantId = demoTrainee?.participant_id ?? 0;

  const programmes = await db.selectFrom("programmes").select(["id", "funding"]).orderBy("id").execute();
  // The ESF programme wants the nearest manager's own certification; the regional one lets coordinators certify on the manager's behalf.
  const onBehalf = new Map(programmes.map((p) => [p.id, p.funding !== "esf"]));
  for (const p of programmes) {
    await db
      .insertInto("programme_settings")
      .values({
        programme_id: p.id,
        completion_percent: 80,
        rounding: "hour_down",
        on_behalf_allowed: onBehalf.get(p.id) ? 1 : 0,
        updated_by: null,
        updated_at: `${today}T07:00:00.000Z`,
      })
      .execute();
    for (const [group, ore] of Object.entries(DEMO_UNIT_COSTS)) {
      for (const [y, cost] of [
        [year, ore],
        [year - 1, Math.round((ore * 0.97) / 100) * 100],
      ]) {
        await db
          .insertInto("unit_costs")
          .values({ programme_id: p.id, salary_group: group, year: y, hourly_cost_ore: cost, updated_by: leadOf.get(p.id) ?? null, updated_at: `${today}T07:00:00.000Z` })
          .execute();
      }
    }
  }

  const enrolments = await db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .select(["e.cohort_id", "c.programme_id", "e.participant_id", "e.municipality_id", "e.status", "e.started_on", "e.ended_on"])
    .orderBy("e.participant_id")
    .execute();
  const sessions = await db
    .selectFrom("sessions as s")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .select(["s.id", "s.cohort_id", "c.programme_id", "s.starts_at", "s.ends_at"])
    .where("s.status", "=", "planned")
    .orderBy("s.starts_at")
    .execute();

  /** participant|programme|month -> municipality, for the time reports. */
  const months = new Map<string, { participantId: number; municipalityId: number; programmeId: number; month: string }>();
  const touch = (participantId: number, municipalityId: number, programmeId: number, month: string) =>
    months.set(`${participantId}|${programmeId}|${month}`, { participantId, municipalityId, programmeId, month });

  let corrections = 0;
  for (const s of sessions) {
    const date = stockholmToday(new Date(s.starts_at));
    if (date >= today) continue;
    const month = stockholmMonthOf(s.starts_at);
    const full = floorToQuarter(minutesBetween(s.starts_at, s.ends_at));
    const roster = enrolments.filter((e) => e.cohort_id === s.cohort_id && enrolledOn(e, date));
    for (const e of roster) {
      const r = random();
      let status: AttendanceStatus = "narvarande";
      let minutes = full;
      if (e.participant_id !== demoParticipantId) {
        if (r >= 0.82 && r < 0.9) {
          status = "sen_ankomst";
          minutes = Math.max(60, full - 60 * (1 + Math.floor(random() * 2)) - (random() < 0.5 ? 30 : 0));
        } else if (r >= 0.9 && r < 0.96) {
          status = "giltig_franvaro";
          minutes = 0;
        } else if (r >= 0.96) {
          status = "franvarande";
          minutes = 0;
        }
      }
      const recordedBy = leadOf.get(s.programme_id) ?? null;
      const corrected = status === "sen_ankomst" && corrections < 4 && month === thisMonth;
      const row = await db
        .insertInto("attendance")
        .values({
          session_id: s.id,
          participant_id: e.participant_id,
          municipality_id: e.municipality_id,
          status,
          minutes,
          recorded_by: recordedBy,
          recorded_at: s.ends_at,
          version: corrected ? 2 : 1,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (corrected) {
        // Marked absent in the room, corrected when the participant turned up late.
        corrections += 1;
        await db
          .insertInto("attendance_corrections")
          .values({
            attendance_id: row.id,
            session_id: s.id,
            participant_id: e.participant_id,
            municipality_id: e.municipality_id,
            from_status: "franvarande",
            to_status: status,
            from_minutes: 0,
            to_minutes: minutes,
            reason: "Kom efter lunch",
            changed_by: recordedBy,
            changed_at: s.ends_at,
          })
          .execute();
      }
      touch(e.participant_id, e.municipality_id, s.programme_id, month);
    }
  }

  // Own activities: shadowing and study time, mostly approved, some waiting, a few rejected.
  const active = enrolments.filter((e) => e.status === "active");
  const plan: { kind: OwnActivityKind; minutes: number; description: string }[] = [
    { kind: "skuggning", minutes: 360, description: "Skuggade förvaltningschef i annan kommun" },
    { kind: "egen_studietid", minutes: 120, description: "Läste kurslitteratur om förändringsledning" },
    { kind: "hemuppgift", minutes: 90, description: "Skrev reflektion till lärgruppen" },
  ];
  for (const [i, e] of active.entries()) {
    if (e.participant_id === demoParticipantId || i % 3 !== 0 || !e.started_on) continue;
    const p = plan[i % plan.length];
    const daysBack = 5 + Math.floor(random() * 60);
    const date = addDaysToDate(today, -daysBack);
    if (date < e.started_on) continue;
    const status = i % 9 === 0 ? "pending" : i % 15 === 0 ? "rejected" : "approved";
    await insertOwnActivity(db, {
      ...e,
      ...p,
      date,
      status,
      decidedBy: status === "pending" ? null : (coordinatorOf.get(e.municipality_id) ?? null),
      reason: status === "rejected" ? "Uppgiften hör till ordinarie arbete, inte till programmet." : null,
      today,
    });
    if (status === "approved") touch(e.participant_id, e.municipality_id, e.programme_id, date.slice(0, 7));
  }
  const demoEnrolment = enrolments.find((e) => e.participant_id === demoParticipantId && e.status === "active");
  if (demoEnrolment) {
    await insertOwnActivity(db, {
      ...demoEnrolment,
      kind: "hemuppgift",
      minutes: 90,
      description: "Skrev min personliga handlingsplan",
      date: `${lastMonth}-10`,
      status: "approved",
      decidedBy: coordinatorOf.get(demoEnrolment.municipality_id) ?? null,
      reason: null,
      today,
    });
    touch(demoParticipantId, demoEnrolment.municipality_id, demoEnrolment.programme_id, lastMonth);
    const recent = addDaysToDate(today, -2);
    if (recent.slice(0, 7) === thisMonth) {
      await insertOwnActivity(db, {
        ...demoEnrolment,
        kind: "egen_studietid",
        minutes: 120,
        description: "Förberedde studiebesöket",
        date: recent,
        status: "pending",
        decidedBy: null,
        reason: null,
        today,
      });
    }
  }

  // Time reports: the current month is open; older ones mostly certified, last month mixed.
  const participants = new Map((await db.selectFrom("participants").select(["id", "salary_group", "manager_name"]).execute()).map((p) => [p.id, p]));
  const unitCost = (salaryGroup: string, month: string) => {
    const y = Number(month.slice(0, 4));
    const ore = DEMO_UNIT_COSTS[salaryGroup];
    if (ore == null) return null;
    return y === year ? ore : y === year - 1 ? Math.round((ore * 0.97) / 100) * 100 : null;
  };
  const firstOfMunicipality = new Map<number, number>();
  for (const e of enrolments) {
    if (e.status === "active" && e.participant_id !== demoParticipantId && !firstOfMunicipality.has(e.municipality_id)) {
      firstOfMunicipality.set(e.municipality_id, e.participant_id);
    }
  }
  const reopenFor = new Set([...firstOfMunicipality.values()]);
  const twoMonthsAgo = addMonthsToMonth(thisMonth, -2);
  for (const key of [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || a.participantId - b.participantId)) {
    const r = random();
    let status: TimeReportStatus;
    if (key.month >= thisMonth) status = "draft";
    else if (key.month === lastMonth) status = key.participantId === demoParticipantId ? "draft" : r < 0.35 ? "draft" : r < 0.7 ? "confirmed" : "certified";
    else status = r < 0.05 ? "confirmed" : "certified";
    const reopened = reopenFor.has(key.participantId) && key.month === twoMonthsAgo;
    const flagged = reopenFor.has(key.participantId) && key.month === lastMonth;
    if (reopened || flagged) status = "certified";

    const lines = await computeReportLines(db, key.participantId, key.programmeId, key.month);
    const raw = sumMinutes(lines);
    const confirmedAt = stamp(key.month, 2, today);
    const certifiedAt = stamp(key.month, 4, today);
    const coordinator = coordinatorOf.get(key.municipalityId) ?? null;
    const isConfirmed = status === "confirmed" || status === "certified";
    const person = participants.get(key.participantId);
    const minutes = roundMonthTotal(raw, "hour_down");
    const cost = status === "certified" ? unitCost(person?.salary_group ?? "", key.month) : null;
    const report = await db
      .insertInto("time_reports")
      .values({
        participant_id: key.participantId,
        municipality_id: key.municipalityId,
        programme_id: key.programmeId,
        month: key.month,
        status: reopened ? "reopened" : status,
        confirmed_by: isConfirmed && !reopened && key.participantId === demoParticipantId ? (demoTrainee?.user_id ?? null) : null,
        confirmed_at: isConfirmed && !reopened ? confirmedAt : null,
        certified_by: status === "certified" ? coordinator : null,
        certified_at: status === "certified" ? certifiedAt : null,
        needs_review: flagged ? 1 : 0,
        rounding: status === "certified" ? "hour_down" : null,
        certified_raw_minutes: status === "certified" ? raw : null,
        certified_minutes: status === "certified" ? minutes : null,
        certified_salary_group: status === "certified" ? (person?.salary_group ?? "") : null,
        certified_lines: status === "certified" ? JSON.stringify(lines) : null,
        certified_hourly_cost_ore: cost,
        certified_value_ore: cost == null ? null : valueInOre(minutes, cost),
        certified_as: status === "certified" ? (onBehalf.get(key.programmeId) ? "on_behalf" : "manager") : null,
        certified_manager_name: status === "certified" ? (person?.manager_name ?? null) : null,
        version: 1,
        created_at: `${key.month}-01T08:00:00.000Z`,
        updated_at: certifiedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const events: { kind: "confirmed" | "certified" | "reopened" | "flagged_for_review"; actor: number | null; at: string; reason?: string }[] = [];
    if (isConfirmed) events.push({ kind: "confirmed", actor: key.participantId === demoParticipantId ? (demoTrainee?.user_id ?? null) : null, at: confirmedAt });
    if (status === "certified") events.push({ kind: "certified", actor: coordinator, at: certifiedAt });
    if (reopened) events.push({ kind: "reopened", actor: coordinator, at: stamp(lastMonth, 5, today), reason: "Skuggningsdagen registrerades på fel månad" });
    if (flagged) {
      events.push({ kind: "flagged_for_review", actor: coordinator, at: stamp(lastMonth, 5, today), reason: `Tidrapporten för ${twoMonthsAgo} öppnades igen.` });
    }
    for (const ev of events) {
      await db
        .insertInto("time_report_events")
        .values({ time_report_id: report.id, kind: ev.kind, actor_user_id: ev.actor, at: ev.at, reason: ev.reason ?? null })
        .execute();
    }
  }
}

/** A time on the given day of the month after `month`, but never later than yesterday. */
function stamp(month: string, day: number, today: string): string {
  const pad = String(day).padStart(2, "0");
  const wanted = `${addMonthsToMonth(month, 1)}-${pad}`;
  const latest = addDaysToDate(today, -1);
  return `${wanted < latest ? wanted : latest}T08:${pad}:00.000Z`;
}

async function insertOwnActivity(
  db: Db,
  a: {
    participant_id: number;
    municipality_id: number;
    programme_id: number;
    kind: OwnActivityKind;
    minutes: number;
    description: string;
    date: string;
    status: "pending" | "approved" | "rejected";
    decidedBy: number | null;
    reason: string | null;
    today: string;
  },
) {
  await db
    .insertInto("own_activities")
    .values({
      participant_id: a.participant_id,
      municipality_id: a.municipality_id,
      programme_id: a.programme_id,
      kind: a.kind,
      activity_on: a.date,
      minutes: a.minutes,
      description: a.description,
      status: a.status,
      created_by: null,
      created_at: `${a.date}T15:00:00.000Z`,
      decided_by: a.decidedBy,
      decided_at: a.status === "pending" ? null : `${addDaysToDate(a.date, 1) < a.today ? addDaysToDate(a.date, 1) : a.today}T07:30:00.000Z`,
      reason: a.reason,
    })
    .execute();
}
