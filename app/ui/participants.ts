/** The participant export's columns: the header the import also reads, and each row's cells. */
import type { ExportedParticipant } from "~/domain/participants.server";
import { educationLabels, genderLabels } from "./labels";

export const PARTICIPANT_EXPORT_HEADER = [
  "Förnamn",
  "Efternamn",
  "E-post",
  "Förvaltning",
  "Befattning",
  "Kön",
  "Födelseår",
  "Personnummer",
  "Utbildningsnivå",
  "Lönegrupp",
  "Status",
  "Slutdatum",
  "Orsak till avslut",
];

export function participantExportCells(r: ExportedParticipant): (string | number)[] {
  return [
    r.firstName,
    r.lastName,
    r.email,
    r.department,
    r.title,
    genderLabels[r.gender],
    r.birthYear,
    r.personnummerMasked ?? "",
    r.educationLevel ? educationLabels[r.educationLevel] : "",
    r.salaryGroup,
    r.endedOn ? "Avslutad" : "Aktiv",
    r.endedOn ?? "",
    r.endReason ?? "",
  ];
}
