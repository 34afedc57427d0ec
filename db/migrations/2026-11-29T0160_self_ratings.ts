import { sql, type Kysely } from "kysely";
import { autoId } from "./portable";

/**
 * Self-rating before and after (issue 16, learning; docs/decisions/035): the
 * programme's goals, written by its lead, and each participant's 1-5 rating
 * of themself against every goal at the start and the end of a cohort.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("programme_goals")
    .addColumn("id", "integer", autoId(db))
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull().check(sql`length(text) BETWEEN 1 AND 300`))
    .execute();
  await db.schema.createIndex("programme_goals_programme_idx").on("programme_goals").columns(["programme_id", "position"]).execute();

  await db.schema
    .createTable("self_ratings")
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohorts.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("phase", "text", (c) => c.notNull().check(sql`phase IN ('start', 'end')`))
    .addColumn("goal_id", "integer", (c) => c.notNull().references("programme_goals.id"))
    .addColumn("score", "integer", (c) => c.notNull().check(sql`score BETWEEN 1 AND 5`))
    .addColumn("rated_at", "text", (c) => c.notNull())
    // One rating per goal and phase: a second submission (or two at once) finds the key taken.
    .addPrimaryKeyConstraint("self_ratings_pk", ["cohort_id", "participant_id", "phase", "goal_id"])
    .addForeignKeyConstraint("self_ratings_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"])
    .execute();
  await db.schema.createIndex("self_ratings_participant_idx").on("self_ratings").columns(["participant_id", "municipality_id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("self_ratings").execute();
  await db.schema.dropTable("programme_goals").execute();
}
