import { sql, type Kysely } from "kysely";
import { autoId, isMonthText } from "./portable";

/**
 * Attendance, own activities, monthly time reports (tidredovisning) and the
 * unit costs that turn certified hours into co-financing. Time is stored as
 * whole minutes and money as whole öre, so sums never suffer float error.
 * Every participant-owned row carries municipality_id with a composite
 * foreign key into participants, so it can never point across municipalities.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("programme_settings")
    .addColumn("programme_id", "integer", (c) => c.primaryKey().references("programmes.id").onDelete("cascade"))
    .addColumn("completion_percent", "integer", (c) =>
      c.notNull().defaultTo(80).check(sql`completion_percent BETWEEN 0 AND 100`),
    )
    .addColumn("rounding", "text", (c) =>
      c.notNull().defaultTo("hour_down").check(sql`rounding IN ('hour_down', 'half_hour_down', 'quarter_down')`),
    )
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("unit_costs")
    .addColumn("id", "integer", autoId(db))
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("salary_group", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull().check(sql`year BETWEEN 2000 AND 2100`))
    .addColumn("hourly_cost_ore", "integer", (c) => c.notNull().check(sql`hourly_cost_ore >= 0`))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("unit_costs_programme_group_year_key", ["programme_id", "salary_group", "year"])
    .execute();

  await db.schema
    .createTable("attendance")
    .addColumn("id", "integer", autoId(db))
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status IN ('narvarande', 'sen_ankomst', 'giltig_franvaro', 'franvarande')`),
    )
    .addColumn("minutes", "integer", (c) => c.notNull().check(sql`minutes >= 0`))
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("attendance_session_participant_key", ["session_id", "participant_id"])
    .addForeignKeyConstraint("attendance_participant_fk", ["municipality_id", "participant_id"], "participants", [
      "municipality_id",
      "id",
    ])
    .addCheckConstraint("attendance_absent_no_minutes", sql`status IN ('narvarande', 'sen_ankomst') OR minutes = 0`)
    .execute();
  await db.schema.createIndex("attendance_participant_idx").on("attendance").columns(["participant_id", "session_id"]).execute();

  await db.schema
    .createTable("attendance_corrections")
    .addColumn("id", "integer", autoId(db))
    .addColumn("attendance_id", "integer", (c) => c.notNull().references("attendance.id").onDelete("cascade"))
    .addColumn("session_id", "integer", (c) => c.notNull())
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("from_minutes", "integer", (c) => c.notNull())
    .addColumn("to_minutes", "integer", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("changed_by", "integer", (c) => c.references("users.id"))
    .addColumn("changed_at", "text", (c) => c.notNull())
    .addForeignKeyConstraint("attendance_corrections_participant_fk", ["municipality_id", "participant_id"], "participants", [
      "municipality_id",
      "id",
    ])
    .execute();
  await db.schema
    .createIndex("attendance_corrections_attendance_idx")
    .on("attendance_corrections")
    .column("attendance_id")
    .execute();

  await db.schema
    .createTable("own_activities")
    .addColumn("id", "integer", autoId(db))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('skuggning', 'egen_studietid', 'hemuppgift')`))
    .addColumn("activity_on", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull().check(sql`minutes > 0 AND minutes <= 1440`))
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending', 'approved', 'rejected')`))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("decided_by", "integer", (c) => c.references("users.id"))
    .addColumn("decided_at", "text")
    .addColumn("reason", "text")
    .addForeignKeyConstraint("own_activities_participant_fk", ["municipality_id", "participant_id"], "participants", [
      "municipality_id",
      "id",
    ])
    .execute();
  await db.schema
    .createIndex("own_activities_participant_idx")
    .on("own_activities")
    .columns(["participant_id", "activity_on"])
    .execute();
  await db.schema
    .createIndex("own_activities_municipality_status_idx")
    .on("own_activities")
    .columns(["municipality_id", "status"])
    .execute();

  await db.schema
    .createTable("time_reports")
    .addColumn("id", "integer", autoId(db))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("month", "text", (c) => c.notNull().check(isMonthText(db, "month")))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status IN ('draft', 'confirmed', 'certified', 'reopened')`),
    )
    .addColumn("confirmed_by", "integer", (c) => c.references("users.id"))
    .addColumn("confirmed_at", "text")
    .addColumn("certified_by", "integer", (c) => c.references("users.id"))
    .addColumn("certified_at", "text")
    .addColumn("needs_review", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rounding", "text")
    .addColumn("certified_raw_minutes", "integer")
    .addColumn("certified_minutes", "integer")
    .addColumn("certified_salary_group", "text")
    .addColumn("certified_lines", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("time_reports_participant_programme_month_key", ["participant_id", "programme_id", "month"])
    .addForeignKeyConstraint("time_reports_participant_fk", ["municipality_id", "participant_id"], "participants", [
      "municipality_id",
      "id",
    ])
    .addCheckConstraint(
      "time_reports_certified_snapshot",
      sql`status <> 'certified' OR (certified_at IS NOT NULL AND certified_minutes IS NOT NULL AND certified_lines IS NOT NULL)`,
    )
    .execute();
  await db.schema
    .createIndex("time_reports_municipality_month_idx")
    .on("time_reports")
    .columns(["municipality_id", "month", "status"])
    .execute();
  await db.schema.createIndex("time_reports_programme_month_idx").on("time_reports").columns(["programme_id", "month"]).execute();

  await db.schema
    .createTable("time_report_events")
    .addColumn("id", "integer", autoId(db))
    .addColumn("time_report_id", "integer", (c) => c.notNull().references("time_reports.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("time_report_events_report_idx").on("time_report_events").column("time_report_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "time_report_events",
    "time_reports",
    "own_activities",
    "attendance_corrections",
    "attendance",
    "unit_costs",
    "programme_settings",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
