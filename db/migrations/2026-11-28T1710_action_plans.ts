import { sql, type Kysely } from "kysely";
import { autoId } from "./portable";

/** The participant's personal action plan (handlingsplan): goals with actions, the manager's support and progress. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("action_plans")
    .addColumn("id", "integer", autoId(db))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohorts.id").onDelete("cascade"))
    // SHA-256 of the manager's read-only link; null when not shared.
    .addColumn("manager_token_hash", "text", (c) => c.unique())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("action_plans_participant_key", ["participant_id", "cohort_id"])
    .addForeignKeyConstraint("action_plans_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"])
    .execute();

  await db.schema
    .createTable("action_plan_goals")
    .addColumn("id", "integer", autoId(db))
    .addColumn("plan_id", "integer", (c) => c.notNull().references("action_plans.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    // A 360 dimension key, or "programme" for the programme's own goals.
    .addColumn("linked_to", "text", (c) => c.notNull())
    .addColumn("actions", "text", (c) => c.notNull())
    .addColumn("manager_support", "text", (c) => c.notNull())
    .addColumn("starts_on", "text")
    .addColumn("due_on", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("not_started").check(sql`status IN ('not_started', 'under_way', 'reached')`))
    .addColumn("reflection", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status_changed_at", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("action_plan_goals").execute();
  await db.schema.dropTable("action_plans").execute();
}
