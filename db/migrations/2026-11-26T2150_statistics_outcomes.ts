import { sql, type Kysely } from "kysely";
import { autoId, isMonthText } from "./portable";

/**
 * Outcome follow-up (uppföljning) after a participant leaves a cohort, the
 * months reported to SCB, and the indexes the participation statistics group
 * by. An outcome carries municipality_id with a composite foreign key into
 * participants, so a coordinator's record can never point across municipalities.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("outcomes")
    .addColumn("id", "integer", autoId(db))
    .addColumn("enrolment_id", "integer", (c) => c.notNull().references("enrolments.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("checkpoint", "text", (c) => c.notNull().check(sql`checkpoint IN ('4_weeks', '6_months')`))
    .addColumn("result", "text", (c) =>
      c
        .notNull()
        .check(sql`result IN ('same_role', 'new_role', 'became_manager', 'studying', 'left_municipality', 'unknown')`),
    )
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addUniqueConstraint("outcomes_enrolment_checkpoint_key", ["enrolment_id", "checkpoint"])
    .addForeignKeyConstraint("outcomes_participant_fk", ["municipality_id", "participant_id"], "participants", [
      "municipality_id",
      "id",
    ])
    .execute();
  await db.schema.createIndex("outcomes_municipality_idx").on("outcomes").columns(["municipality_id", "checkpoint"]).execute();

  await db.schema
    .createTable("scb_reports")
    .addColumn("id", "integer", autoId(db))
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    // Null: the whole programme, reported by its lead; otherwise one municipality's share.
    .addColumn("municipality_id", "integer", (c) => c.references("municipalities.id"))
    .addColumn("month", "text", (c) => c.notNull().check(isMonthText(db, "month")))
    .addColumn("reported_at", "text", (c) => c.notNull())
    .addColumn("reported_by", "integer", (c) => c.references("users.id"))
    .addColumn("row_count", "integer", (c) => c.notNull())
    // SHA-256 of the list as reported, to notice later changes to it.
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("needs_rereport", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("flagged_at", "text")
    .addColumn("corrected_at", "text")
    .execute();
  await sql`CREATE UNIQUE INDEX scb_reports_scope_month_key ON scb_reports (programme_id, coalesce(municipality_id, 0), month)`.execute(db);

  // The statistics filter enrolments by cohort and dates, and group participants by their attributes.
  await db.schema
    .createIndex("enrolments_cohort_status_dates_idx")
    .on("enrolments")
    .columns(["cohort_id", "status", "started_on", "ended_on"])
    .execute();
  await db.schema
    .createIndex("participants_municipality_attributes_idx")
    .on("participants")
    .columns(["municipality_id", "gender", "birth_year", "education_level"])
    .execute();
  await db.schema.createIndex("attendance_session_status_idx").on("attendance").columns(["session_id", "status", "minutes"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("attendance_session_status_idx").execute();
  await db.schema.dropIndex("participants_municipality_attributes_idx").execute();
  await db.schema.dropIndex("enrolments_cohort_status_dates_idx").execute();
  await db.schema.dropTable("scb_reports").execute();
  await db.schema.dropTable("outcomes").execute();
}
