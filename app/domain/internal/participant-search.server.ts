/**
 * The search over a municipality's register (name, e-mail, department) that
 * the participant list and its CSV export share. Takes a bare handle and a
 * municipality id and checks no grant: callers pass the caller's own.
 */
import { sql, type Expression, type SqlBool } from "kysely";
import type { Db } from "~/db/connection.server";
import type { ParticipantStatusFilter } from "~/schemas/participants";

export function filteredQuery(db: Db, municipalityId: number, q: string, status: ParticipantStatusFilter) {
  let query = db.selectFrom("participants as p").where("p.municipality_id", "=", municipalityId);
  if (status === "active") query = query.where("p.ended_on", "is", null);
  if (status === "ended") query = query.where("p.ended_on", "is not", null);
  if (q) {
    const patterns = likePatterns(q);
    query = query.where((eb) =>
      eb.or(
        patterns.flatMap((pattern) =>
          [
            eb.ref("p.first_name"),
            eb.ref("p.last_name"),
            sql<string>`p.first_name || ' ' || p.last_name`,
            eb.ref("p.email"),
            eb.ref("p.department"),
          ].map((column): Expression<SqlBool> => sql<SqlBool>`${column} like ${pattern} escape '\\'`),
        ),
      ),
    );
  }
  return query;
}

/** `%term%` in each common spelling, LIKE's own wildcards escaped (use with `escape '\\'`). */
export function likePatterns(term: string): string[] {
  return caseVariants(term).map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

/**
 * SQLite's LIKE ignores case for A–Z only, so "åsa" would not find "Åsa".
 * Searching for the common spellings of the term covers what people type.
 */
function caseVariants(term: string): string[] {
  const lower = term.toLocaleLowerCase("sv");
  const capitalised = lower.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase("sv"));
  return [...new Set([term, lower, capitalised, term.toLocaleUpperCase("sv")])];
}
