import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { getAttendanceReport, TREND_RECENT_SESSIONS, TREND_THRESHOLD_POINTS } from "~/domain/attendance-report.server";
import { attendanceTrendLabels } from "~/ui/attendance";
import { attendanceStatusCodes, attendanceStatusLabels } from "~/ui/labels";
import { capitalise, formatMonth, formatShortDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { idParam } from "~/utils/params";
import { refusalText } from "~/utils/action-result.server";
import { ATTENDANCE_STATUSES, reportMonthSchema } from "~/schemas/attendance";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Närvarorapport ${data.cohort.name}${data.month ? `, ${formatMonth(`${data.month}-15`)}` : ""} – Programportalen` : "Närvarorapport – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const query = new URL(request.url).searchParams;
  const kommun = query.get("kommun");
  const month = reportMonthSchema.safeParse(query.get("manad") || undefined);
  const report = await getAttendanceReport(ctx, idParam(params.cohortId), {
    municipalityId: kommun && /^\d{1,9}$/.test(kommun) ? Number(kommun) : undefined,
    month: month.success ? { status: "success", value: month.data } : { status: "error" },
  });
  if (!report.ok) throw refusalText(report);
  return report.value;
}

const percent = (rate: number | null) => (rate == null ? "–" : `${Math.round(rate * 100)} %`);
const monthName = (month: string) => formatMonth(`${month}-15`);

export default function AttendanceReport() {
  const report = useLoaderData<typeof loader>();
  const { cohort, sessions, rows, completionPercent, month, months } = report;
  const kommun = report.municipalityId ? `kommun=${report.municipalityId}` : "";
  const csvHref = `/omgangar/${cohort.id}/narvarorapport.csv${kommun ? `?${kommun}` : ""}`;
  const monthHref = (m: string) => `?${kommun ? `${kommun}&` : ""}manad=${m}#matris`;
  const fulfilling = rows.filter((r) => r.fulfils).length;
  const municipalityName = report.municipalities.find((m) => m.id === report.municipalityId)?.name;

  return (
    <div className="page attendance-report">
      <nav aria-label="Du är här" className="breadcrumbs">
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
            Ladda ner CSV (alla träffar)
          </a>
        </div>
      </div>
      <p className="lead">
        {cohort.programmeName}. Genomförda träffar: {report.heldSessionCount}.{" "}
        {municipalityName ? `Visar deltagare från ${municipalityName}.` : "Visar alla kommuner."}
      </p>
      <p>
        Kravet för att fullfölja är minst <strong>{completionPercent} %</strong> av timmarna på de träffar som hållits hittills.{" "}
        {rows.length ? `${fulfilling} av ${rows.length} deltagare uppfyller det.` : null}
      </p>

      {report.canChooseMunicipality ? (
        <Form method="get" className="filters">
          {month ? <input type="hidden" name="manad" value={month} /> : null}
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

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Per deltagare</h2>
        {rows.length === 0 || report.heldSessionCount === 0 ? (
          <p className="empty">{report.heldSessionCount === 0 ? "Inga träffar har hållits ännu." : "Inga deltagare att visa."}</p>
        ) : (
          <TableWrap label="Närvaro per deltagare">
            <table className="attendance-summary">
              <caption className="visually-hidden">Närvaro per deltagare, alla hållna träffar i {cohort.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Deltagare</th>
                  <th scope="col" className="num">
                    Närvaro
                  </th>
                  <th scope="col">
                    Krav<span className="visually-hidden"> uppfyllt</span>
                  </th>
                  <th scope="col">Trend</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.participantId}>
                    <th scope="row">
                      {r.name}
                      <span className="muted attendance-summary__municipality">{r.municipalityName}</span>
                    </th>
                    <td className="num">
                      {percent(r.rate)}
                      <span className="muted attendance-summary__hours">
                        {formatHours(r.attendedMinutes)} av {formatHours(r.scheduledMinutes)} tim
                      </span>
                    </td>
                    <td>
                      {r.rate == null ? "–" : r.fulfils ? <span className="badge badge--success">Ja</span> : <span className="badge badge--warning">Nej</span>}
                    </td>
                    <td className="attendance-summary__trend">
                      {r.trend ? (
                        <>
                          <span aria-hidden="true">{attendanceTrendLabels[r.trend].arrow} </span>
                          <span className="attendance-summary__trend-text">{attendanceTrendLabels[r.trend].text}</span>
                        </>
                      ) : (
                        <>
                          <span aria-hidden="true">–</span>
                          <span className="visually-hidden">För få träffar</span>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <details className="definitions">
          <summary>Så räknas siffrorna</summary>
          <ul>
            <li>Närvaro är timmarna deltagaren var med av timmarna på de hållna träffar hen var inskriven till. En träff utan registrerad närvaro räknas som 0 timmar.</li>
            <li>Kravet är uppfyllt vid minst {completionPercent} % närvaro.</li>
            <li>
              Trenden jämför närvaron på deltagarens {TREND_RECENT_SESSIONS} senaste träffar med träffarna före dem. Ökar eller minskar betyder minst {TREND_THRESHOLD_POINTS}{" "}
              procentenheters skillnad (↗ ökar, ↘ minskar, → jämn). Trenden visas från {TREND_RECENT_SESSIONS + 1} träffar.
            </li>
          </ul>
        </details>
      </section>

      {months.length ? (
        <nav aria-labelledby="months-heading" className="month-nav">
          <h2 id="months-heading">Närvaro per träff och månad</h2>
          <ul>
            {months.map((m) => (
              <li key={m.month}>
                <Link to={monthHref(m.month)} aria-current={m.month === month ? "page" : undefined} className="button button--secondary button--small">
                  {capitalise(monthName(m.month))} <span className="muted">({m.sessionCount === 1 ? "1 träff" : `${m.sessionCount} träffar`})</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      {month ? (
        <section aria-labelledby="matris" className="attendance-matrix">
          <h2 id="matris" tabIndex={-1}>
            {capitalise(monthName(month))}
          </h2>
          <ul className="legend" aria-label="Förklaring">
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
          {sessions.length === 0 || rows.length === 0 ? (
            <p className="empty">{sessions.length === 0 ? `Inga träffar hölls i ${monthName(month)}.` : "Inga deltagare att visa."}</p>
          ) : (
            <TableWrap label={`Närvaro per träff, ${monthName(month)}`}>
              <table className="matrix">
                <caption>
                  Närvaro per deltagare och träff, {cohort.name}, {monthName(month)}
                </caption>
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
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.participantId}>
                      <th scope="row">{r.name}</th>
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
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">Närvarande</th>
                    {sessions.map((s) => (
                      <td key={s.id} className="cell">
                        {s.presentCount}/{s.expectedCount}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              </table>
            </TableWrap>
          )}
          <p>
            <Link to={`/omgangar/${cohort.id}/narvarorapport${kommun ? `?${kommun}` : ""}`}>Dölj månaden</Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
