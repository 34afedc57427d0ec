import { RouteErrorBoundary } from "~/components/route-error";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { TimeReportLines } from "~/components/time-report-lines";
import { formatPersonnummer } from "~/domain/personnummer";
import { getTimeReportCertificate } from "~/domain/timereports.server";
import { roundingLabels, timeReportStatusLabels } from "~/ui/labels";
import { certificationText } from "~/ui/timereports";
import { formatDateTime, formatMonth } from "~/utils/format";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Intyg ${formatMonth(`${data.month}-15`)}, ${data.participantName} – Programportalen` : "Intyg – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getTimeReportCertificate(ctx, idParam(params.reportId));
}

const MISSING = "saknas";

/**
 * The monthly certificate as the ESF funder's form asks for it: project,
 * participant with personnummer, employer with organisation number, hours per
 * date and activity, the participant's confirmation and the nearest manager's
 * certification (or signature), and whether the month needs review.
 */
export default function Certificate() {
  const report = useLoaderData<typeof loader>();
  const certified = report.status === "certified";
  const monthName = formatMonth(`${report.month}-15`);
  const managerRecorded = certified && report.certifiedAs === "manager";
  const managerName = (certified ? report.certifiedManagerName : report.managerName) ?? null;
  return (
    <div className="page">
      <div className="actions no-print">
        <Link to={`/tidrapporter/${report.id}`}>Tillbaka till tidrapporten</Link>
        <button type="button" className="button" onClick={() => window.print()}>
          Skriv ut
        </button>
      </div>
      <article className="certificate">
        <h1>Tidredovisning {monthName}</h1>
        {!certified ? (
          <p className="alert alert--warning">Utkast – inte attesterad. Status: {timeReportStatusLabels[report.status]}.</p>
        ) : null}
        <section aria-labelledby="project-heading">
          <h2 id="project-heading">Projekt</h2>
          <dl className="facts">
            <dt>Projektnamn</dt>
            <dd>{report.programmeName}</dd>
            <dt>ESF-projektnummer</dt>
            <dd>{report.esfProjectNumber ?? (report.funding === "esf" ? MISSING : "Inte ESF-finansierat")}</dd>
            <dt>Månad</dt>
            <dd>{monthName}</dd>
          </dl>
        </section>
        <section aria-labelledby="participant-heading">
          <h2 id="participant-heading">Deltagare och arbetsgivare</h2>
          <dl className="facts">
            <dt>Deltagare</dt>
            <dd>{report.participantName}</dd>
            <dt>Personnummer</dt>
            <dd>{report.personnummer ? formatPersonnummer(report.personnummer) : MISSING}</dd>
            <dt>Arbetsgivare</dt>
            <dd>{report.municipalityName} kommun</dd>
            <dt>Organisationsnummer</dt>
            <dd>{report.employerOrgNumber ?? MISSING}</dd>
          </dl>
        </section>

        <TimeReportLines lines={report.lines} rawMinutes={report.rawMinutes} minutes={report.minutes} caption="Faktisk tid per datum och aktivitet" />
        <dl className="facts">
          <dt>Avrundning</dt>
          <dd>{roundingLabels[report.rounding]}, på månadens summa</dd>
          <dt>Granskning</dt>
          <dd>{report.needsReview ? "Behöver granskas: en tidigare månad öppnades igen efter attesten" : "Behöver inte granskas"}</dd>
        </dl>

        <div className="signatures">
          <div>
            <h2>Deltagarens bekräftelse</h2>
            <p>{report.confirmedAt ? `${report.confirmedByName}, ${formatDateTime(report.confirmedAt)}` : "Inte bekräftad"}</p>
          </div>
          <div>
            <h2>Närmaste chefens attest</h2>
            <p>{certified ? certificationText(report) : "Inte attesterad"}</p>
            {managerRecorded ? null : (
              <dl className="signature-lines">
                <dt>Underskrift</dt>
                <dd className="signature-line" />
                <dt>Namnförtydligande</dt>
                <dd className="signature-line">{managerName ?? ""}</dd>
              </dl>
            )}
          </div>
        </div>
        <p className="muted">Utskriven från Programportalen. Tidrapport nr {report.id}.</p>
      </article>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
