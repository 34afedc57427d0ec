import { z } from "zod";
import type { CertifiedAs, TimeReportStatus } from "~/db/schema";
import { searchTextSchema, sortSchema, type SortOrder } from "~/schemas/table-sort";
import { formatDateTime } from "~/utils/format";

/** Who certified a report and how, as the report page and the certificate say it. */
export function certificationText(report: {
  certifiedAt: string | null;
  certifiedAs: CertifiedAs | null;
  certifiedByName: string | null;
  certifiedManagerName: string | null;
}): string {
  if (!report.certifiedAt) return "Inte attesterad";
  const when = formatDateTime(report.certifiedAt);
  const coordinator = report.certifiedByName ?? "–";
  switch (report.certifiedAs) {
    case "manager":
      return `${report.certifiedManagerName ?? "–"}, närmaste chef, ${when} (registrerat av ${coordinator})`;
    case "on_behalf":
      return `${coordinator} på chefens vägnar (närmaste chef: ${report.certifiedManagerName ?? "ej angiven"}), ${when}`;
    default:
      return `${coordinator}, ${when}`;
  }
}

export const TIME_REPORT_SORTS = ["namn", "program", "tid", "status"] as const;
export type TimeReportSort = (typeof TIME_REPORT_SORTS)[number];

/** The list's name filter and sort parameters; anything odd falls back to the default. */
export const timeReportListQuerySchema = z.object({
  q: searchTextSchema(100, "").optional().catch(undefined),
  ...sortSchema(TIME_REPORT_SORTS, "namn"),
});

const STATUS_RANK: TimeReportStatus[] = ["confirmed", "reopened", "draft", "certified"];

/** A month's reports as the list shows them: filtered by name, sorted by the column chosen, ties by the domain's order (name). */
export function sortedTimeReports<R extends { participantName: string; programmeName: string; minutes: number; status: TimeReportStatus }>(
  rows: R[],
  options: { q?: string; sortera: TimeReportSort; ordning: SortOrder },
): R[] {
  const q = (options.q ?? "").trim().toLocaleLowerCase("sv");
  const kept = q ? rows.filter((r) => r.participantName.toLocaleLowerCase("sv").includes(q)) : rows;
  const sign = options.ordning === "fallande" ? -1 : 1;
  type Indexed = { row: R; index: number };
  // The domain's order is by name, so "namn" is the index itself.
  const compare = ({ row: a, index: i }: Indexed, { row: b, index: j }: Indexed): number => {
    if (options.sortera === "program") return a.programmeName.localeCompare(b.programmeName, "sv");
    if (options.sortera === "tid") return a.minutes - b.minutes;
    if (options.sortera === "status") return STATUS_RANK.indexOf(a.status) - STATUS_RANK.indexOf(b.status);
    return i - j;
  };
  return kept
    .map((row, index): Indexed => ({ row, index }))
    .sort((a, b) => sign * compare(a, b) || a.index - b.index)
    .map((x) => x.row);
}
