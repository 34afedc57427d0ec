import type { CertifiedAs } from "~/db/schema";
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
