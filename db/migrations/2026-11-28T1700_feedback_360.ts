import { sql, type Kysely } from "kysely";
import { autoId } from "./portable";

/**
 * 360 feedback (issue 16): a programme's questionnaire (versioned once answered),
 * rounds per cohort, one subject per participant and round, raters invited by
 * e-mail who answer through a link whose token is stored only as a SHA-256,
 * and answers kept apart from who gave them (docs/decisions/022-360-anonymity.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("feedback_instruments")
    .addColumn("id", "integer", autoId(db))
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    // JSON: { dimensions: [{ key, title, statements: [{ id, text }] }], questions: [text, text] }
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("feedback_instruments_version_key", ["programme_id", "version"])
    .execute();

  await db.schema
    .createTable("feedback_rounds")
    .addColumn("id", "integer", autoId(db))
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohorts.id").onDelete("cascade"))
    .addColumn("instrument_id", "integer", (c) => c.notNull().references("feedback_instruments.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('first', 'follow_up')`))
    .addColumn("closes_on", "text", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addUniqueConstraint("feedback_rounds_kind_key", ["cohort_id", "kind"])
    .execute();

  await db.schema
    .createTable("feedback_subjects")
    .addColumn("id", "integer", autoId(db))
    .addColumn("round_id", "integer", (c) => c.notNull().references("feedback_rounds.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("self_answered_at", "text")
    .addUniqueConstraint("feedback_subjects_participant_key", ["round_id", "participant_id"])
    .addForeignKeyConstraint("feedback_subjects_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"])
    .execute();

  await db.schema
    .createTable("feedback_raters")
    .addColumn("id", "integer", autoId(db))
    .addColumn("subject_id", "integer", (c) => c.notNull().references("feedback_subjects.id").onDelete("cascade"))
    .addColumn("rater_group", "text", (c) => c.notNull().check(sql`rater_group IN ('manager', 'colleague', 'report')`))
    // Deleted when the round closes; then only the group and whether they answered remain.
    .addColumn("email", "text")
    // The manager was told in the invitation that their answers are shown as their own group.
    .addColumn("shown_apart", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("invited_at", "text", (c) => c.notNull())
    .addColumn("reminded_at", "text")
    .addColumn("answered_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("feedback_raters_subject_idx").on("feedback_raters").column("subject_id").execute();

  await db.schema
    .createTable("feedback_rater_links")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("rater_id", "integer", (c) => c.notNull().references("feedback_raters.id").onDelete("cascade"))
    .addColumn("mail_id", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  // No rater id and no time: an answer cannot be tied back to the invitation it came from.
  await db.schema
    .createTable("feedback_responses")
    .addColumn("id", "integer", autoId(db))
    .addColumn("subject_id", "integer", (c) => c.notNull().references("feedback_subjects.id").onDelete("cascade"))
    .addColumn("shown_as", "text", (c) => c.notNull().check(sql`shown_as IN ('self', 'manager', 'colleague', 'report', 'other')`))
    // JSON: { [statementId]: 1..5 | null } (null = "kan inte bedöma")
    .addColumn("scores", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("feedback_comments")
    .addColumn("id", "integer", autoId(db))
    .addColumn("subject_id", "integer", (c) => c.notNull().references("feedback_subjects.id").onDelete("cascade"))
    .addColumn("question", "integer", (c) => c.notNull())
    .addColumn("is_self", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("feedback_shares")
    .addColumn("id", "integer", autoId(db))
    .addColumn("subject_id", "integer", (c) => c.notNull().references("feedback_subjects.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("shared_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["feedback_shares", "feedback_comments", "feedback_responses", "feedback_rater_links", "feedback_raters", "feedback_subjects", "feedback_rounds", "feedback_instruments"]) {
    await db.schema.dropTable(table).execute();
  }
}
