import type { Migration } from "kysely";
import * as initial from "./2026-11-26T2000_initial";

/**
 * Every migration, by name. Listed here (not read from the folder at run time)
 * so the same list works in scripts, tests and the bundled server.
 * Names sort by date; a landed migration is never edited, only followed.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-26T2000_initial": initial,
};
