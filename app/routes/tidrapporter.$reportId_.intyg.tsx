import { RouteErrorBoundary } from "~/components/route-error";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { TimeReportLines } from "~/components/time-report-lines";
import { getTimeReport } from "~/domain/timereports.server";
import { roundingLabels, timeReportStatusLabels } from "~/ui/labels";
import { formatDateTime, formatMonth } from "~/utils/format";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Intyg ${formatMonth(`${data.month}-15`)}, ${data.participantName} – Programportalen` : "Intyg – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getTimeReport(ctx, idParam(params.reportId));
}

export default function Certificate() {
  const report = useLoaderData<typeof loader>();
  const certified = report.status === "certified";
  const monthName = formatMonth(`${report.month}-15`);
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
        <p>
          <strong>{report.programmeName}</strong>
        </p>
        {!certified ? (
          <p className="alert alert--warning">
            Utkast – inte attesterad. Status: {timeReportStatusLabels[report.status]}.
          </p>
        ) : null}
        <dl className="facts">
          <dt>Deltagare</dt>
          <dd>{report.participantName}</dd>
          <dt>Kommun</dt>
          <dd>{report.municipalityName}</dd>
          <dt>Period</dt>
          <dd>{monthName}</dd>
          <dt>Avrundning</dt>
          <dd>{roundingLabels[report.rounding]}, på månadens summa</dd>
        </dl>

        <TimeReportLines lines={report.lines} rawMinutes={report.rawMinutes} minutes={report.minutes} caption="Faktisk tid per datum och aktivitet" />

        <div className="signatures">
          <div>
            <p>
              <strong>Bekräftad av deltagaren</strong>
            </p>
            <p>{report.confirmedAt ? `${report.confirmedByName}, ${formatDateTime(report.confirmedAt)}` : "Inte bekräftad"}</p>
          </div>
          <div>
            <p>
              <strong>Attesterad på chefens vägnar</strong>
            </p>
            <p>{certified && report.certifiedAt ? `${report.certifiedByName ?? "–"}, ${formatDateTime(report.certifiedAt)}` : "Inte attesterad"}</p>
          </div>
        </div>
        <p className="muted">Utskriven från Programportalen. Tidrapport nr {report.id}.</p>
      </article>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
