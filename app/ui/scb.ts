/** The monthly SCB file as SCB reads it: its columns, and one row per participant who started or ended. */
import type { ScbExport } from "~/domain/scb.server";
import { enrolmentStatusLabels } from "./labels";

export const SCB_EXPORT_HEADER = ["ESF-projektnummer", "Personnummer", "Förnamn", "Efternamn", "Kommun", "Omgång", "Startdatum", "Slutdatum", "Status", "Händelse i månaden"];

export function scbExportCells(file: ScbExport): string[][] {
  return file.rows.map((r) => [
    file.programme.esfProjectNumber ?? "",
    r.personnummer,
    r.firstName,
    r.lastName,
    r.municipalityName,
    r.cohortName,
    r.startedOn,
    r.endedOn ?? "",
    enrolmentStatusLabels[r.status],
    [r.startedInMonth ? "Började" : null, r.endedInMonth ? "Slutade" : null].filter(Boolean).join(" och "),
  ]);
}

/** scb-<programme>[-<municipality>]-<month>, without the extension. */
export function scbFileStem(file: ScbExport): string {
  return `scb-${file.programme.name}${file.municipalityName ? `-${file.municipalityName}` : ""}-${file.month}`;
}
