import { Link } from "@remix-run/react";
import { roundKindLabels } from "~/ui/feedback";
import { formatDate } from "~/utils/format";

interface SharedReportItem {
  subjectId: number;
  kind: "first" | "follow_up";
  name: string;
  cohortName: string;
  programmeName: string;
  sharedAt: string;
}

/** The 360 reports participants share with a coach or lead now (ADR 036): the coach's start page and *Delade rapporter*. */
export function SharedReports({ reports, headingLevel = 2 }: { reports: SharedReportItem[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby="shared-reports">
      <Heading id="shared-reports">360-rapporter som delats med dig</Heading>
      {reports.length ? (
        <ul className="plain-list">
          {reports.map((r) => (
            <li key={r.subjectId}>
              <Link to={`/aterkoppling/${r.subjectId}/rapport`}>
                {r.name}: {roundKindLabels[r.kind].toLowerCase()}
              </Link>{" "}
              <span className="muted">
                ({r.programmeName} {r.cohortName}, delad {formatDate(r.sharedAt)})
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">
          Ingen deltagare har delat sin 360-rapport med dig än. När någon gör det visas rapporten här; slutar deltagaren dela den försvinner den
          härifrån.
        </p>
      )}
      <p className="muted">Rapporten är deltagarens. Varje gång du läser den loggas det, och deltagaren kan sluta dela den när som helst.</p>
    </section>
  );
}
