import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { getAttendanceReport } from "~/domain/attendance-report.server";
import { attendanceStatusCodes, attendanceStatusLabels } from "~/ui/labels";
import { formatShortDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { idParam } from "~/utils/params";
import { ATTENDANCE_STATUSES } from "~/schemas/attendance";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Närvarorapport ${data.cohort.name} – Programportalen` : "Närvarorapport – Programportalen" },
];

function municipalityFilter(request: Request): number | undefined {
  const value = new URL(request.url).searchParams.get("kommun");
  return value && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getAttendanceReport(ctx, idParam(params.cohortId), { municipalityId: municipalityFilter(request) });
}

const percent = (rate: number | null) => (rate == null ? "–" : `${Math.round(rate * 100)} %`);

export default function AttendanceReport() {
  const report = useLoaderData<typeof loader>();
  const { cohort, sessions, rows, completionPercent } = report;
  const csvHref = `/omgangar/${cohort.id}/narvarorapport.csv${report.municipalityId ? `?kommun=${report.municipalityId}` : ""}`;
  const fulfilling = rows.filter((r) => r.fulfils).length;
  const municipalityName = report.municipalities.find((m) => m.id === report.municipalityId)?.name;

  return (
    <div className="page">
      <nav aria-label="Brödsmulor" className="breadcrumbs">
        <ol>
          <li>
            <Link to={`/program/${cohort.programmeId}`}>{cohort.programmeName}</Link>
          </li>
          <li>
            <Link to={`/omgangar/${cohort.id}/trafar`}>Träffar i {cohort.name}</Link>
          </li>
        </ol>
      </nav>
      <div className="page-header">
        <h1>Närvarorapport: {cohort.name}</h1>
        <div className="actions">
          <a href={csvHref} className="button button--secondary" download>
            Ladda ner CSV
          </a>
        </div>
      </div>
      <p className="lead">
        {cohort.programmeName}. Genomförda träffar: {sessions.length}. {municipalityName ? `Visar deltagare från ${municipalityName}.` : "Visar alla kommuner."}
      </p>
      <p>
        Kravet för att fullfölja är minst <strong>{completionPercent} %</strong> av timmarna på de träffar som hållits hittills.{" "}
        {rows.length ? `${fulfilling} av ${rows.length} deltagare uppfyller det.` : null}
      </p>

      {report.canChooseMunicipality ? (
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="kommun">Kommun</label>
            <select id="kommun" name="kommun" defaultValue={report.municipalityId ?? ""}>
              <option value="">Alla kommuner</option>
              {report.municipalities.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button--secondary">
            Visa
          </button>
        </Form>
      ) : null}

      <h2 id="legend-heading">Förklaring</h2>
      <ul className="legend" aria-labelledby="legend-heading">
        {ATTENDANCE_STATUSES.map((s) => (
          <li key={s}>
            <strong>{attendanceStatusCodes[s]}</strong> = {attendanceStatusLabels[s]}
          </li>
        ))}
        <li>
          <strong>?</strong> = ej registrerad
        </li>
        <li>
          <strong>·</strong> = inte inskriven då
        </li>
        <li>Siffran är timmar.</li>
      </ul>

      {rows.length === 0 || sessions.length === 0 ? (
        <p className="empty">{sessions.length === 0 ? "Inga träffar har hållits ännu." : "Inga deltagare att visa."}</p>
      ) : (
        <TableWrap label="Förklaring">
          <table className="matrix">
            <caption>Närvaro per deltagare och träff, {cohort.name}</caption>
            <thead>
              <tr>
                <th scope="col">Deltagare</th>
                {sessions.map((s) => (
                  <th scope="col" key={s.id} className="num">
                    {report.canTakeAttendance ? (
                      <Link to={`/trafar/${s.id}/narvaro`} aria-label={`${formatShortDate(s.startsAt)} ${s.title}: ta närvaro`}>
                        {formatShortDate(s.startsAt)}
                      </Link>
                    ) : (
                      <span title={s.title}>{formatShortDate(s.startsAt)}</span>
                    )}
                  </th>
                ))}
                <th scope="col" className="num">
                  Timmar
                </th>
                <th scope="col" className="num">
                  Närvaro
                </th>
                <th scope="col">Uppfyller kravet</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.participantId}>
                  <th scope="row">
                    {r.name}
                    <br />
                    <span className="muted">{r.municipalityName}</span>
                  </th>
                  {r.cells.map((c, i) => (
                    <td key={sessions[i].id} className="cell">
                      {c == null ? (
                        <>
                          <span aria-hidden="true">·</span>
                          <span className="visually-hidden">inte inskriven</span>
                        </>
                      ) : c.status == null ? (
                        <>
                          <span aria-hidden="true">?</span>
                          <span className="visually-hidden">ej registrerad</span>
                        </>
                      ) : (
                        <>
                          <span aria-hidden="true">{attendanceStatusCodes[c.status]}</span>
                          <span className="visually-hidden">{attendanceStatusLabels[c.status]}</span>
                          {c.minutes ? ` ${formatHours(c.minutes)}` : null}
                        </>
                      )}
                    </td>
                  ))}
                  <td className="num">
                    {formatHours(r.attendedMinutes)} av {formatHours(r.scheduledMinutes)}
                  </td>
                  <td className="num">{percent(r.rate)}</td>
                  <td>{r.rate == null ? "–" : r.fulfils ? <span className="badge badge--success">Ja</span> : <span className="badge badge--warning">Nej</span>}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Närvarande per träff</th>
                {sessions.map((s) => (
                  <td key={s.id} className="cell">
                    {s.presentCount}/{s.expectedCount}
                  </td>
                ))}
                <td className="num">{formatHours(sessions.reduce((sum, s) => sum + s.attendedMinutes, 0))}</td>
                <td className="num">
                  {percent(
                    sessions.reduce((sum, s) => sum + s.expectedCount, 0)
                      ? sessions.reduce((sum, s) => sum + s.presentCount, 0) / sessions.reduce((sum, s) => sum + s.expectedCount, 0)
                      : null,
                  )}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
