/**
 * `npm run db:fixture`: writes the current schema, its migration history and a
 * few rows per core table as SQL to db/fixtures/<last migration>.sql.
 *
 * Run it when a release ships: the migration test then proves that every later
 * release migrates a database of this shape (with data in it) without loss.
 * `-- --up-to NAME` writes the schema as it was after migration NAME instead.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Migrator, sql } from "kysely";
import { openDatabase } from "../app/db/connection.server";
import { migrations } from "../db/migrations/index";
import { seedFixtureRows } from "../db/fixtures/rows";

const { values } = parseArgs({ options: { "up-to": { type: "string" } } });
const name = values["up-to"] ?? Object.keys(migrations).sort().at(-1)!;
if (!migrations[name]) throw new Error(`No migration named ${name}`);

const db = openDatabase(":memory:");
const migrated = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(name);
if (migrated.error) throw migrated.error;
await seedFixtureRows(db);

const schema = await sql<{ type: string; name: string; sql: string | null }>`
  select type, name, sql from sqlite_master
  where sql is not null and name not like 'sqlite_%'
  order by case type when 'table' then 0 when 'index' then 1 else 2 end, rowid`.execute(db);

const lines = ["PRAGMA foreign_keys = OFF;", "BEGIN;"];
for (const object of schema.rows) lines.push(`${object.sql};`);
for (const table of schema.rows.filter((o) => o.type === "table")) {
  const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(db);
  for (const row of rows.rows) {
    const columns = Object.keys(row).map((c) => `"${c}"`).join(", ");
    const values = Object.values(row).map(literal).join(", ");
    lines.push(`INSERT INTO "${table.name}" (${columns}) VALUES (${values});`);
  }
}
lines.push("COMMIT;", "PRAGMA foreign_keys = ON;");
await db.destroy();

const target = path.resolve("db/fixtures", `${name}.sql`);
fs.writeFileSync(target, lines.join("\n") + "\n");
console.log(`Wrote ${path.relative(process.cwd(), target)}`);

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}
