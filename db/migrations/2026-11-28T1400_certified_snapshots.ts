import { sql, type Kysely } from "kysely";

/**
 * What a funder audit needs to hold years later (docs/decisions/016-certified-time-reports.md):
 *
 * - A certified time report keeps the unit cost and the co-financing value it
 *   was certified with, and who certified it and how (the nearest manager, or
 *   the coordinator on the manager's behalf). Reports certified before this
 *   migration get the values they showed the day it ran, so nothing moves for
 *   their readers.
 * - Certified lines are stored as data (kind and title), not as a label text:
 *   the old text repeated the kind ("Studiebesök: Studiebesök: …").
 * - A programme has a version for optimistic locking of its edit form, and a
 *   setting that says whether coordinators may certify on the manager's behalf.
 * - The certificate names the employer's organisation number and the
 *   participant's nearest manager.
 */
/** The tables this migration reads and fills, as they are at this point in the history. */
interface Tables {
  time_reports: {
    id: number;
    programme_id: number;
    month: string;
    status: string;
    certified_at: string | null;
    certified_salary_group: string | null;
    certified_minutes: number | null;
    certified_lines: string | null;
    certified_hourly_cost_ore: number | null;
    certified_value_ore: number | null;
    certified_as: string | null;
  };
  unit_costs: { programme_id: number; salary_group: string; year: number; hourly_cost_ore: number };
  sessions: { id: number; kind: string };
  own_activities: { id: number; kind: string };
}

export async function up(db: Kysely<Tables>): Promise<void> {
  await db.schema.alterTable("programmes").addColumn("version", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable("municipalities").addColumn("org_number", "text").execute();
  await db.schema.alterTable("participants").addColumn("manager_name", "text").execute();
  await db.schema.alterTable("participants").addColumn("manager_email", "text").execute();
  await db.schema
    .alterTable("programme_settings")
    .addColumn("on_behalf_allowed", "integer", (c) => c.notNull().defaultTo(0).check(sql`on_behalf_allowed IN (0, 1)`))
    .execute();
  for (const column of ["certified_hourly_cost_ore", "certified_value_ore"]) {
    await db.schema.alterTable("time_reports").addColumn(column, "integer").execute();
  }
  await db.schema
    .alterTable("time_reports")
    .addColumn("certified_as", "text", (c) => c.check(sql`certified_as IN ('manager', 'on_behalf')`))
    .execute();
  await db.schema.alterTable("time_reports").addColumn("certified_manager_name", "text").execute();

  // Coordinators have certified "på chefens vägnar" until now; programmes that already did keep the right.
  const certifiedProgrammes = (
    await db.selectFrom("time_reports").select("programme_id").distinct().where("certified_at", "is not", null).execute()
  ).map((r) => r.programme_id);
  for (const programmeId of certifiedProgrammes) {
    await sql`insert into programme_settings (programme_id, completion_percent, rounding, updated_by, updated_at, on_behalf_allowed)
              values (${programmeId}, 80, 'hour_down', null, ${new Date().toISOString()}, 1)
              on conflict (programme_id) do update set on_behalf_allowed = 1`.execute(db);
  }

  const certified = await db
    .selectFrom("time_reports as r")
    .leftJoin("unit_costs as u", (join) =>
      join
        .onRef("u.programme_id", "=", "r.programme_id")
        .onRef("u.salary_group", "=", "r.certified_salary_group")
        .on(sql<boolean>`u.year = cast(substr(r.month, 1, 4) as integer)`),
    )
    .select(["r.id", "r.certified_minutes", "r.certified_lines", "u.hourly_cost_ore"])
    .where("r.status", "=", "certified")
    .execute();
  for (const r of certified) {
    const cost = r.hourly_cost_ore;
    await db
      .updateTable("time_reports")
      .set({
        certified_hourly_cost_ore: cost,
        certified_value_ore: cost == null ? null : Math.round(((r.certified_minutes ?? 0) * cost) / 60),
        certified_as: "on_behalf",
        certified_lines: JSON.stringify(await structuredLines(db, r.certified_lines)),
      })
      .where("id", "=", r.id)
      .execute();
  }
}

// The labels the old line text was built with, as they were when this migration was written.
const OLD_LABELS: Record<string, string> = {
  utbildningsdag: "Utbildningsdag",
  workshop: "Workshop",
  skuggning: "Skuggning",
  natverkstraff: "Nätverksträff",
  studiebesok: "Studiebesök",
  digital: "Digital träff",
  egen_studietid: "Egen studietid",
  hemuppgift: "Hemuppgift",
};

interface OldLine {
  date: string;
  source: "session" | "own_activity";
  sourceId: number;
  activity: string;
  minutes: number;
}

/** "Studiebesök: Studiebesök: x" with kind studiebesok becomes { kind: "studiebesok", title: "Studiebesök: x" }. */
async function structuredLines(db: Kysely<Tables>, json: string | null) {
  const lines = JSON.parse(json ?? "[]") as OldLine[];
  const result = [];
  for (const line of lines) {
    const row = await db
      .selectFrom(line.source === "session" ? "sessions" : "own_activities")
      .select("kind")
      .where("id", "=", line.sourceId)
      .executeTakeFirst();
    const kind = row?.kind ?? Object.keys(OLD_LABELS).find((k) => line.activity.startsWith(`${OLD_LABELS[k]}: `)) ?? null;
    const prefix = kind ? `${OLD_LABELS[kind]}: ` : "";
    const title = prefix && line.activity.startsWith(prefix) ? line.activity.slice(prefix.length) : line.activity;
    result.push({ date: line.date, source: line.source, sourceId: line.sourceId, kind, title, minutes: line.minutes });
  }
  return result;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ["certified_manager_name", "certified_as", "certified_value_ore", "certified_hourly_cost_ore"]) {
    await db.schema.alterTable("time_reports").dropColumn(column).execute();
  }
  await db.schema.alterTable("programme_settings").dropColumn("on_behalf_allowed").execute();
  await db.schema.alterTable("participants").dropColumn("manager_email").execute();
  await db.schema.alterTable("participants").dropColumn("manager_name").execute();
  await db.schema.alterTable("municipalities").dropColumn("org_number").execute();
  await db.schema.alterTable("programmes").dropColumn("version").execute();
}
