/** What the attendance pages show beside the domain: the report download's columns, trend labels, the name filter. */
import type { AttendanceReport, AttendanceTrend } from "~/domain/attendance-report.server";
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
      c == null ? "" : c.status == null ? "Ej registrerad" : `${attendanceStatusLabels[c.status]}${c.minutes ? ` ${formatHours(c.minutes)} tim` : ""}`,
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

/** How a participant's attendance moves (the definition is in attendance-report.server.ts `trendOf`). */
export const attendanceTrendLabels: Record<NonNullable<AttendanceTrend>, { arrow: string; text: string }> = {
  up: { arrow: "↗", text: "Ökar" },
  down: { arrow: "↘", text: "Minskar" },
  steady: { arrow: "→", text: "Jämn" },
};

/**
 * Whether a participant's row matches the attendance page's name filter:
 * every word typed is found in the name or the municipality, regardless of case.
 */
export function matchesNameFilter(row: { name: string; municipalityName: string }, filter: string): boolean {
  const haystack = `${row.name} ${row.municipalityName}`.toLocaleLowerCase("sv");
  return filter
    .toLocaleLowerCase("sv")
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}
