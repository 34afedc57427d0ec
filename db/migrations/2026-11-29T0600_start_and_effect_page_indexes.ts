import type { Kysely } from "kysely";

/**
 * Indexes found missing by `npm run bench`'s query-plan check at national scale:
 * - the effect report counts action-plan goals per cohort, and read every goal of the country
 *   (SCAN action_plan_goals);
 * - the trainee's start page lists their open evaluations, and SQLite walked every session of the
 *   country to find them (the invitations' key starts with the session);
 * - a coordinator's start page counts their municipality's enrolments by status (nominations, the
 *   waiting list, follow-ups), and enrolments had no index that starts with the municipality.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("action_plans_cohort_idx").on("action_plans").column("cohort_id").execute();
  await db.schema.createIndex("action_plan_goals_plan_idx").on("action_plan_goals").column("plan_id").execute();
  await db.schema.createIndex("evaluation_invitations_participant_idx").on("evaluation_invitations").columns(["participant_id", "answered"]).execute();
  await db.schema.createIndex("enrolments_municipality_status_idx").on("enrolments").columns(["municipality_id", "status"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("enrolments_municipality_status_idx").execute();
  await db.schema.dropIndex("evaluation_invitations_participant_idx").execute();
  await db.schema.dropIndex("action_plan_goals_plan_idx").execute();
  await db.schema.dropIndex("action_plans_cohort_idx").execute();
}
