/** The attendance report's download: its columns and how a cell reads in Excel. */
import type { AttendanceReport } from "~/domain/attendance-report.server";
import { stockholmToday } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { attendanceStatusLabels } from "./labels";

export function attendanceReportCsvTable(report: AttendanceReport): { header: string[]; body: (string | number)[][] } {
  const header = [
    "Deltagare",
    "Kommun",
    ...report.sessions.map((s) => `${stockholmToday(new Date(s.startsAt))} ${s.title}`),
    "Närvarotimmar",
    "Schemalagda timmar",
    "Närvaro (%)",
    `Uppfyller kravet (${report.completionPercent} %)`,
  ];
  const body = report.rows.map((r) => [
    r.name,
    r.municipalityName,
    ...r.cells.map((c) =>
      c == null ? "" : c.status == null ? "Ej registrerad" : `${attendanceStatusLabels[c.status]}${c.minutes ? ` ${formatHours(c.minutes)} h` : ""}`,
    ),
    formatHours(r.attendedMinutes),
    formatHours(r.scheduledMinutes),
    r.rate == null ? "" : Math.round(r.rate * 100),
    r.fulfils ? "Ja" : "Nej",
  ]);
  return { header, body };
}

export function attendanceReportFilename(cohortName: string): string {
  return `narvaro-${cohortName}.csv`;
}
