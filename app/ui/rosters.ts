import type { RosterRow } from "~/domain/rosters.server";
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
