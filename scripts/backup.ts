/**
 * `npm run db:backup [-- path/to/copy.sqlite]`
 *
 * A consistent copy of the database while the portal keeps running, made with
 * SQLite's online backup API (pages are copied in steps; writers are not blocked
 * for long, and the copy is a single point-in-time snapshot).
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { ConfigError, loadConfig } from "../app/config.server";
import { databasePathFromUrl } from "../app/db/connection.server";

try {
  const config = loadConfig(process.env, () => {});
  const source = databasePathFromUrl(config.databaseUrl);
  if (source === ":memory:" || !fs.existsSync(source)) throw new ConfigError(`No database file at ${source}.`);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const target = path.resolve(process.argv[2] ?? path.join(path.dirname(source), "backups", `portal-${stamp}.sqlite`));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (fs.existsSync(target)) throw new ConfigError(`${target} already exists; choose another name.`);

  const db = new SQLite(source, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  await db.backup(target);
  db.close();

  const copy = new SQLite(target, { readonly: true });
  const integrity = copy.pragma("integrity_check", { simple: true });
  copy.close();
  if (integrity !== "ok") throw new ConfigError(`The copy failed its integrity check: ${integrity}`);
  console.log(`Backup written to ${path.relative(process.cwd(), target)} (integrity ok).`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
