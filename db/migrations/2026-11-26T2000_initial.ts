import { sql, type Kysely } from "kysely";
import { autoId, isPostgres, refuseChangesOnPostgres } from "./portable";

/**
 * The platform and coordination schema. Tenant-owned rows carry
 * municipality_id, and composite foreign keys make sure a row can only point
 * at a participant of its own municipality.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("municipalities")
    .addColumn("id", "integer", autoId(db))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("county", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "integer", autoId(db))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("disabled_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("programmes")
    .addColumn("id", "integer", autoId(db))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("funding", "text", (c) => c.notNull())
    .addColumn("owner_municipality_id", "integer", (c) => c.notNull().references("municipalities.id"))
    .addColumn("esf_project_number", "text")
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("programme_partners")
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("municipality_id", "integer", (c) => c.notNull().references("municipalities.id"))
    .addPrimaryKeyConstraint("programme_partners_pk", ["programme_id", "municipality_id"])
    .execute();

  await db.schema
    .createTable("participants")
    .addColumn("id", "integer", autoId(db))
    .addColumn("municipality_id", "integer", (c) => c.notNull().references("municipalities.id"))
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("department", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("gender", "text", (c) => c.notNull())
    .addColumn("birth_year", "integer", (c) => c.notNull())
    .addColumn("education_level", "text")
    .addColumn("salary_group", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("ended_on", "text")
    .addColumn("end_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("participants_municipality_id_id_key", ["municipality_id", "id"])
    .addUniqueConstraint("participants_municipality_email_key", ["municipality_id", "email"])
    .execute();
  await db.schema
    .createIndex("participants_municipality_name_idx")
    .on("participants")
    .columns(["municipality_id", "last_name", "first_name"])
    .execute();

  await db.schema
    .createTable("participant_identities")
    .addColumn("participant_id", "integer", (c) => c.primaryKey())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("personnummer", "text", (c) => c.notNull())
    .addForeignKeyConstraint(
      "participant_identities_participant_fk",
      ["municipality_id", "participant_id"],
      "participants",
      ["municipality_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("role_grants")
    .addColumn("id", "integer", autoId(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.references("municipalities.id"))
    .addColumn("programme_id", "integer", (c) => c.references("programmes.id").onDelete("cascade"))
    .addColumn("participant_id", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addForeignKeyConstraint(
      "role_grants_participant_fk",
      ["municipality_id", "participant_id"],
      "participants",
      ["municipality_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .addCheckConstraint(
      "role_grants_scope_check",
      sql`(role = 'admin' AND municipality_id IS NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role = 'coordinator' AND municipality_id IS NOT NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role IN ('programme_lead', 'funder') AND programme_id IS NOT NULL AND municipality_id IS NULL AND participant_id IS NULL)
       OR (role = 'participant' AND municipality_id IS NOT NULL AND participant_id IS NOT NULL AND programme_id IS NULL)`,
    )
    .execute();
  await db.schema.createIndex("role_grants_user_idx").on("role_grants").column("user_id").execute();
  await db.schema
    .createIndex("role_grants_participant_idx")
    .on("role_grants")
    .columns(["participant_id"])
    .execute();

  await db.schema
    .createTable("login_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_sessions_user_idx").on("login_sessions").column("user_id").execute();

  await db.schema
    .createTable("cohorts")
    .addColumn("id", "integer", autoId(db))
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("cohorts_id_programme_key", ["id", "programme_id"])
    .execute();
  await db.schema.createIndex("cohorts_programme_idx").on("cohorts").column("programme_id").execute();

  await db.schema
    .createTable("cohort_seats")
    .addColumn("cohort_id", "integer", (c) => c.notNull())
    .addColumn("programme_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("seats", "integer", (c) => c.notNull().check(sql`seats >= 0`))
    .addPrimaryKeyConstraint("cohort_seats_pk", ["cohort_id", "municipality_id"])
    .addForeignKeyConstraint("cohort_seats_cohort_fk", ["cohort_id", "programme_id"], "cohorts", ["id", "programme_id"], (fk) =>
      fk.onDelete("cascade"),
    )
    .addForeignKeyConstraint(
      "cohort_seats_partner_fk",
      ["programme_id", "municipality_id"],
      "programme_partners",
      ["programme_id", "municipality_id"],
    )
    .execute();

  await db.schema
    .createTable("seat_transfers")
    .addColumn("id", "integer", autoId(db))
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohorts.id").onDelete("cascade"))
    .addColumn("from_municipality_id", "integer", (c) => c.notNull().references("municipalities.id"))
    .addColumn("to_municipality_id", "integer", (c) => c.notNull().references("municipalities.id"))
    .addColumn("seats", "integer", (c) => c.notNull().check(sql`seats > 0`))
    .addColumn("moved_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("moved_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "integer", autoId(db))
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohorts.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("host_municipality_id", "integer", (c) => c.notNull().references("municipalities.id"))
    .addColumn("venue", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("meeting_url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("facilitator", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("planned"))
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("sessions_time_check", sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex("sessions_cohort_start_idx").on("sessions").columns(["cohort_id", "starts_at"]).execute();

  await db.schema
    .createTable("session_changes")
    .addColumn("id", "integer", autoId(db))
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("changed_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("changed_at", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("changes", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("session_changes_session_idx").on("session_changes").columns(["session_id", "changed_at"]).execute();

  await db.schema
    .createTable("enrolments")
    .addColumn("id", "integer", autoId(db))
    .addColumn("cohort_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("nominated_at", "text", (c) => c.notNull())
    .addColumn("waitlist_position", "integer")
    .addColumn("status_changed_at", "text", (c) => c.notNull())
    .addColumn("started_on", "text")
    .addColumn("ended_on", "text")
    .addColumn("drop_reason", "text")
    .addUniqueConstraint("enrolments_cohort_participant_key", ["cohort_id", "participant_id"])
    .addForeignKeyConstraint(
      "enrolments_participant_fk",
      ["municipality_id", "participant_id"],
      "participants",
      ["municipality_id", "id"],
    )
    .addForeignKeyConstraint("enrolments_seat_fk", ["cohort_id", "municipality_id"], "cohort_seats", [
      "cohort_id",
      "municipality_id",
    ])
    .execute();
  await db.schema
    .createIndex("enrolments_cohort_municipality_idx")
    .on("enrolments")
    .columns(["cohort_id", "municipality_id", "status"])
    .execute();
  await db.schema
    .createIndex("enrolments_participant_idx")
    .on("enrolments")
    .columns(["participant_id"])
    .execute();

  await db.schema
    .createTable("enrolment_events")
    .addColumn("id", "integer", autoId(db))
    .addColumn("enrolment_id", "integer", (c) => c.notNull().references("enrolments.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("occurred_on", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("enrolment_events_enrolment_idx").on("enrolment_events").column("enrolment_id").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", autoId(db))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "integer")
    .addColumn("municipality_id", "integer")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text")
    .addColumn("entity_id", "text")
    .addColumn("detail", "text")
    .execute();
  await db.schema.createIndex("audit_log_at_idx").on("audit_log").column("at").execute();
  await db.schema.createIndex("audit_log_action_idx").on("audit_log").columns(["action", "at"]).execute();

  // The audit log is append-only: the database itself refuses edits.
  if (isPostgres(db)) return refuseChangesOnPostgres(db, "audit_log", "audit_log is append-only");
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("The initial migration cannot be reverted; restore a backup instead.");
}
