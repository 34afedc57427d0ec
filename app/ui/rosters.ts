import type { RosterRow } from "~/domain/rosters.server";
import { z } from "zod";
import { searchTextSchema, sortSchema, type SortOrder } from "~/schemas/table-sort";
import { stockholmToday } from "~/utils/format";
import { enrolmentStatusLabels } from "./labels";

const HEADER = ["Förnamn", "Efternamn", "Kommun", "Status", "Plats i kö", "Anmäld", "Startdatum", "Slutdatum", "Orsak till avbrott", "E-post", "Titel", "Förvaltning"];

/** The roster file's columns: another municipality's participant has a name and a municipality only. */
export function rosterCsvTable(rows: RosterRow[]): { header: string[]; body: (string | number | null)[][] } {
  const body = rows.map((r) =>
    r.kind === "full"
      ? [
          r.firstName,
          r.lastName,
          r.municipality,
          enrolmentStatusLabels[r.status],
          r.waitlistPosition,
          stockholmToday(new Date(r.nominatedAt)),
          r.startedOn,
          r.endedOn,
          r.dropReason,
          r.email,
          r.title,
          r.department,
        ]
      : [r.firstName, r.lastName, r.municipality, ...HEADER.slice(3).map(() => null)],
  );
  return { header: HEADER, body };
}

export function rosterFilename(programmeName: string, cohortName: string): string {
  const safeName = `${programmeName} ${cohortName}`.replace(/[^\p{L}\p{N} _-]/gu, "").trim();
  return `Deltagarlista ${safeName}.csv`;
}

export const ROSTER_SORTS = ["kommun", "namn", "status"] as const;
export type RosterSort = (typeof ROSTER_SORTS)[number];

/** The roster's address parameters; anything odd falls back to the default. */
export const rosterQuerySchema = z.object({
  q: searchTextSchema(100, "").optional().catch(undefined),
  ...sortSchema(ROSTER_SORTS, "kommun"),
});

const STATUS_RANK = ["active", "accepted", "nominated", "waitlisted", "completed", "dropped"];

/**
 * The roster as the page shows it: filtered by a name typed in the filter box
 * and sorted by the column chosen. The domain's order (municipality, status,
 * queue, name) breaks ties, so "kommun" ascending is the domain's own order.
 */
export function sortedRoster<R extends RosterRow>(rows: R[], options: { q?: string; sortera: RosterSort; ordning: SortOrder }): R[] {
  const q = (options.q ?? "").trim().toLocaleLowerCase("sv");
  const kept = q ? rows.filter((r) => `${r.firstName} ${r.lastName} ${r.lastName}, ${r.firstName}`.toLocaleLowerCase("sv").includes(q)) : rows;
  const sign = options.ordning === "fallande" ? -1 : 1;
  const name = (r: RosterRow) => `${r.lastName} ${r.firstName}`;
  const compare = (a: R, b: R): number => {
    if (options.sortera === "namn") return name(a).localeCompare(name(b), "sv");
    if (options.sortera === "status") {
      const rank = (r: RosterRow) => (r.kind === "full" ? STATUS_RANK.indexOf(r.status) : 0);
      return rank(a) - rank(b);
    }
    return a.municipality.localeCompare(b.municipality, "sv");
  };
  return kept
    .map((row, index) => ({ row, index }))
    .sort((a, b) => sign * compare(a.row, b.row) || a.index - b.index)
    .map((x) => x.row);
}
