/**
 * `npm run db:migrate`: brings the database `DATABASE_URL` names (default
 * `file:db/data/portal.sqlite`) to the newest schema, and says which
 * migrations ran. The portal also migrates at start; this is for migrating
 * ahead of a deploy, or a PostgreSQL database before its app processes start.
 */
import { migrateToLatest, openDatabase } from "../app/db/connection.server";

const url = process.env.DATABASE_URL || "file:db/data/portal.sqlite";
const db = openDatabase(url);
try {
  const { results } = await migrateToLatest(db);
  const ran = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  console.log(ran.length ? `Migrated: ${ran.join(", ")}` : "Already at the newest schema.");
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
