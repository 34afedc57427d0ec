/**
 * The personal-data registry's entries for the participant's records: the
 * register row, personnummer, enrolments, attendance, time and outcomes.
 * Part of PERSONAL_DATA_HANDLING (personal-data.server.ts; how to add a
 * table: docs/architecture.md).
 */
import type { Transaction } from "kysely";
import type { Database } from "~/db/schema";
import type { PersonalTable } from "./personal-data.server";
import { participantFields, personnummerOf } from "./participant-records.server";
import { retentionStatusOf } from "./retention-rule.server";

export const ANONYMISED_FIRST_NAME = "Anonymiserad";
export const ANONYMISED_LAST_NAME = "deltagare";
export const ANONYMISED_TEXT = "Anonymiserad";
export const anonymisedEmail = (participantId: number) => `anonymiserad-${participantId}@invalid`;

export const RECORD_TABLES = {
  participants: {
    handling:
      "Namn, e-post, förvaltning, befattning, närmaste chef och orsak till avslut ersätts eller tas bort; kommun, kön, födelseår, utbildningsnivå, lönegrupp och datum behålls för statistiken (utdrag: ja).",
    extract: async (db, { participant: p }) => {
      const municipality = await db.selectFrom("municipalities").select("name").where("id", "=", p.municipality_id).executeTakeFirstOrThrow();
      return [
        { ...participantFields(p), municipality: municipality.name, managerName: p.manager_name, managerEmail: p.manager_email },
      ];
    },
    anonymise: async (trx, { participant: p }, { now }) => {
      await trx
        .updateTable("participants")
        .set({
          first_name: ANONYMISED_FIRST_NAME,
          last_name: ANONYMISED_LAST_NAME,
          email: anonymisedEmail(p.id),
          department: "",
          title: "",
          manager_name: null,
          manager_email: null,
          end_reason: null,
          anonymised_at: now,
          updated_at: now,
        })
        .where("id", "=", p.id)
        .where("municipality_id", "=", p.municipality_id)
        .execute();
    },
  },
  participant_identities: {
    handling: "Personnumret raderas (utdrag: ja).",
    extract: async (db, { participant }) => {
      const personnummer = await personnummerOf(db, participant);
      return personnummer ? [{ personnummer }] : [];
    },
    anonymise: async (trx, { participant: p }) => {
      const deleted = await trx.deleteFrom("participant_identities").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).executeTakeFirst();
      return { identity: Number(deleted.numDeletedRows) };
    },
  },
  enrolments: {
    handling: "Status och datum behålls; orsak till avbrott tas bort (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("enrolments as e")
        .innerJoin("cohorts as c", "c.id", "e.cohort_id")
        .innerJoin("programmes as pr", "pr.id", "c.programme_id")
        .select([
          "e.id",
          "pr.name as programme",
          "c.name as cohort",
          "e.status",
          "e.nominated_at as nominatedAt",
          "e.waitlist_position as waitlistPosition",
          "e.status_changed_at as statusChangedAt",
          "e.started_on as startedOn",
          "e.ended_on as endedOn",
          "e.drop_reason as dropReason",
        ])
        .where("e.participant_id", "=", p.id)
        .where("e.municipality_id", "=", p.municipality_id)
        .orderBy("e.nominated_at")
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx.updateTable("enrolments").set({ drop_reason: null }).where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    },
  },
  enrolment_events: {
    handling: "Status och datum behålls; orsaken tas bort (utdrag: ja).",
    extract: async (db, s) =>
      s.enrolmentIds.length
        ? await db
            .selectFrom("enrolment_events as ev")
            .innerJoin("enrolments as e", "e.id", "ev.enrolment_id")
            .innerJoin("cohorts as c", "c.id", "e.cohort_id")
            .innerJoin("programmes as pr", "pr.id", "c.programme_id")
            .select(["ev.id", "pr.name as programme", "c.name as cohort", "ev.status", "ev.occurred_on as occurredOn", "ev.recorded_at as recordedAt", "ev.reason"])
            .where("ev.enrolment_id", "in", s.enrolmentIds)
            .orderBy("ev.recorded_at")
            .orderBy("ev.id")
            .execute()
        : [],
    anonymise: async (trx, s) => {
      if (s.enrolmentIds.length) await trx.updateTable("enrolment_events").set({ reason: null }).where("enrolment_id", "in", s.enrolmentIds).execute();
    },
  },
  attendance: {
    handling: "Status och minuter behålls (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("attendance as a")
        .innerJoin("sessions as s", "s.id", "a.session_id")
        .select(["a.id", "s.starts_at as sessionStartsAt", "s.title as session", "a.status", "a.minutes", "a.recorded_at as recordedAt"])
        .where("a.participant_id", "=", p.id)
        .where("a.municipality_id", "=", p.municipality_id)
        .orderBy("s.starts_at")
        .execute(),
    anonymise: "kept",
  },
  attendance_corrections: {
    handling: "Ändringarna behålls; orsaken tas bort (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("attendance_corrections")
        .select([
          "id",
          "attendance_id as attendanceId",
          "from_status as fromStatus",
          "to_status as toStatus",
          "from_minutes as fromMinutes",
          "to_minutes as toMinutes",
          "reason",
          "changed_at as changedAt",
        ])
        .where("participant_id", "=", p.id)
        .where("municipality_id", "=", p.municipality_id)
        .orderBy("changed_at")
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx.updateTable("attendance_corrections").set({ reason: null }).where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    },
  },
  own_activities: {
    handling: "Slag, datum, minuter och status behålls; beskrivning och motivering tas bort (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("own_activities as o")
        .innerJoin("programmes as pr", "pr.id", "o.programme_id")
        .select([
          "o.id",
          "pr.name as programme",
          "o.kind",
          "o.activity_on as activityOn",
          "o.minutes",
          "o.description",
          "o.status",
          "o.created_at as createdAt",
          "o.decided_at as decidedAt",
          "o.reason",
        ])
        .where("o.participant_id", "=", p.id)
        .where("o.municipality_id", "=", p.municipality_id)
        .orderBy("o.activity_on")
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx
        .updateTable("own_activities")
        .set({ description: ANONYMISED_TEXT, reason: null })
        .where("participant_id", "=", p.id)
        .where("municipality_id", "=", p.municipality_id)
        .execute();
    },
  },
  time_reports: {
    handling:
      "Attesterad tid, timkostnad och värde behålls; fritexten i attesterade rader och chefens namn i attesten tas bort (utdrag: ja, med timkostnad, värde och attest).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("time_reports as r")
        .innerJoin("programmes as pr", "pr.id", "r.programme_id")
        .select([
          "r.id",
          "pr.name as programme",
          "r.month",
          "r.status",
          "r.confirmed_at as confirmedAt",
          "r.certified_at as certifiedAt",
          "r.certified_minutes as certifiedMinutes",
          "r.certified_salary_group as certifiedSalaryGroup",
          "r.certified_lines as certifiedLines",
          "r.certified_hourly_cost_ore as certifiedCost",
          "r.certified_value_ore as certifiedValue",
          "r.certified_as as certifiedAs",
          "r.certified_manager_name as certifiedManager",
          "r.needs_review as needsReview",
          "r.created_at as createdAt",
          "r.updated_at as updatedAt",
        ])
        .where("r.participant_id", "=", p.id)
        .where("r.municipality_id", "=", p.municipality_id)
        .orderBy("r.month")
        .execute(),
    anonymise: (trx, { participant: p }) => scrubCertifiedLines(trx, p),
  },
  time_report_events: {
    handling: "Händelserna behålls; orsaken tas bort (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("time_report_events as ev")
        .innerJoin("time_reports as r", "r.id", "ev.time_report_id")
        .select(["ev.id", "ev.time_report_id as timeReportId", "ev.kind", "ev.at", "ev.reason"])
        .where("r.participant_id", "=", p.id)
        .where("r.municipality_id", "=", p.municipality_id)
        .orderBy("ev.at")
        .orderBy("ev.id")
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx
        .updateTable("time_report_events")
        .set({ reason: null })
        .where("time_report_id", "in", trx.selectFrom("time_reports").select("id").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id))
        .execute();
    },
  },
  outcomes: {
    handling: "Behålls för statistiken (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("outcomes as o")
        .innerJoin("enrolments as e", "e.id", "o.enrolment_id")
        .innerJoin("cohorts as c", "c.id", "e.cohort_id")
        .innerJoin("programmes as pr", "pr.id", "c.programme_id")
        .select(["o.id", "pr.name as programme", "c.name as cohort", "o.checkpoint", "o.result", "o.recorded_at as recordedAt"])
        .where("o.participant_id", "=", p.id)
        .where("o.municipality_id", "=", p.municipality_id)
        .orderBy("o.recorded_at")
        .execute(),
    anonymise: "kept",
  },
  programme_retention: {
    handling: "Inga personuppgifter; utdraget visar hur länge deltagarens uppgifter sparas.",
    extract: async (db, { participant }, today) => {
      const retention = await retentionStatusOf(db, participant, today);
      return [{ programmes: retention.programmes, anonymisableFrom: retention.anonymisableFrom }];
    },
    anonymise: "kept",
  },
} satisfies Partial<Record<keyof Database, PersonalTable>>;

/** Certified lines keep date, source, kind and minutes; an own activity's description and the certifying manager's name go. */
async function scrubCertifiedLines(trx: Transaction<Database>, p: { id: number; municipality_id: number }): Promise<void> {
  const reports = await trx
    .selectFrom("time_reports")
    .select(["id", "certified_lines"])
    .where("participant_id", "=", p.id)
    .where("municipality_id", "=", p.municipality_id)
    .where("certified_lines", "is not", null)
    .execute();
  const kinds = await trx.selectFrom("own_activities").select(["id", "kind"]).where("participant_id", "=", p.id).execute();
  const kindOf = new Map(kinds.map((k) => [k.id, k.kind]));
  for (const r of reports) {
    let lines: { source?: string; sourceId?: number; kind?: string | null; title?: string; activity?: string }[];
    try {
      lines = JSON.parse(r.certified_lines!);
    } catch {
      continue;
    }
    if (!Array.isArray(lines)) continue;
    // An own activity's line keeps its kind; the description (in `title`, or in the text of lines written before 2026-11-28) goes.
    const cleaned = lines.map((l) =>
      l.source === "own_activity" ? { ...l, activity: undefined, kind: l.kind ?? kindOf.get(l.sourceId ?? 0) ?? null, title: ANONYMISED_TEXT } : l,
    );
    await trx
      .updateTable("time_reports")
      .set({ certified_lines: JSON.stringify(cleaned), certified_manager_name: null })
      .where("id", "=", r.id)
      .execute();
  }
}
