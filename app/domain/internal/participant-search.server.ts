/**
 * The search over a municipality's register (name, e-mail, department) that
 * the participant list and its CSV export share. Takes a bare handle and a
 * municipality id and checks no grant: callers pass the caller's own.
 */
import { sql } from "kysely";
import type { Db } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import type { ParticipantStatusFilter } from "~/schemas/participants";

export function filteredQuery(db: Db, municipalityId: number, q: string, status: ParticipantStatusFilter) {
  let query = db.selectFrom("participants as p").where("p.municipality_id", "=", municipalityId);
  if (status === "active") query = query.where("p.ended_on", "is", null);
  if (status === "ended") query = query.where("p.ended_on", "is not", null);
  if (q) {
    const dialect = dialectOf(db);
    query = query.where((eb) =>
      eb.or(
        [eb.ref("p.first_name"), eb.ref("p.last_name"), sql<string>`p.first_name || ' ' || p.last_name`, eb.ref("p.email"), eb.ref("p.department")].map(
          (column) => dialect.containsIgnoringCase(column, q),
        ),
      ),
    );
  }
  return query;
}
