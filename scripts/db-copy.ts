/**
 * `npm run db:copy -- --from file:db/data/portal.sqlite --to postgres://user:password@host:5432/portal`
 *
 * Moves an SQLite installation to a new, empty PostgreSQL database: every
 * table, ids and sequences, verified table by table (app/db/copy.server.ts).
 * Stop the portal first; start it afterwards with DATABASE_URL set to the
 * PostgreSQL address (README, "When to move to PostgreSQL").
 */
import { parseArgs } from "node:util";
import { copyDatabase, CopyRefused } from "../app/db/copy.server";

const USAGE = "usage: npm run db:copy -- --from file:path/to/portal.sqlite --to postgres://user:password@host:5432/portal";

let from: string | undefined;
let to: string | undefined;
try {
  ({ values: { from, to } } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" } }, strict: true }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!from || !to) {
  console.error(`Both --from and --to are needed.\n${USAGE}`);
  process.exit(2);
}

try {
  const started = performance.now();
  const tables = await copyDatabase(from, to, (line) => console.log(line));
  const rows = tables.reduce((sum, t) => sum + t.rows, 0);
  console.log(`Copied ${tables.length} tables, ${rows} rows, each verified by row count and checksum, in ${Math.round(performance.now() - started)} ms.`);
} catch (error) {
  if (error instanceof CopyRefused) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
