/**
 * The personal-data registry's entries for session evaluations (ADR 020) and
 * self-ratings (ADR 035). Part of PERSONAL_DATA_HANDLING (personal-data.server.ts).
 * Evaluation answers have no link to anyone, so they are neither in an extract
 * nor removed per person; self-ratings are the participant's own.
 */
import type { Database } from "~/db/schema";
import type { NoPersonalData, PersonalTable } from "./personal-data.server";

export const EFFECT_TABLES = {
  evaluation_invitations: {
    handling: "Vilka träffar deltagaren ombetts utvärdera och om hen svarat (aldrig vad); raderas (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("evaluation_invitations as i")
        .innerJoin("sessions as s", "s.id", "i.session_id")
        .select(["s.id as sessionId", "s.title as session", "s.starts_at as sessionStartsAt", "i.invited_at as invitedAt", "i.reminded_at as remindedAt", "i.answered"])
        .where("i.participant_id", "=", p.id)
        .where("i.municipality_id", "=", p.municipality_id)
        .orderBy("s.starts_at")
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("evaluation_invitations").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    },
  },
  self_ratings: {
    handling: "Deltagarens självskattning mot programmets mål vid start och slut; raderas (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("self_ratings as r")
        .innerJoin("programme_goals as g", "g.id", "r.goal_id")
        .innerJoin("cohorts as c", "c.id", "r.cohort_id")
        .select(["c.name as cohort", "r.phase", "g.text as goal", "r.score", "r.rated_at as ratedAt"])
        .where("r.participant_id", "=", p.id)
        .where("r.municipality_id", "=", p.municipality_id)
        .orderBy("c.starts_on")
        .orderBy("r.phase", "desc")
        .orderBy("g.position")
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("self_ratings").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    },
  },
} satisfies Partial<Record<keyof Database, PersonalTable>>;

export const EFFECT_TABLES_WITHOUT_PERSONAL_DATA = {
  evaluation_settings: { handling: "Inga personuppgifter.", personalData: false },
  evaluation_statements: { handling: "Inga personuppgifter.", personalData: false },
  evaluation_responses: { handling: "Anonyma svar utan koppling till någon person; kan inte tas fram eller raderas per person (ADR 020).", personalData: false },
  evaluation_scores: { handling: "Anonyma svar utan koppling till någon person (ADR 020).", personalData: false },
  programme_goals: { handling: "Inga personuppgifter (programmets mål).", personalData: false },
} satisfies Partial<Record<keyof Database, NoPersonalData>>;
