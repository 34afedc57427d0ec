import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { listCohortSessions, type SessionListItem } from "~/domain/sessions.server";
import { sessionKindLabels } from "~/ui/labels";
import { movedFromText } from "~/ui/session-changes";
import { formatDate, formatTimeRange } from "~/utils/format";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Träffar – ${data.cohort.name} – Programportalen` : "Träffar – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return listCohortSessions(ctx, idParam(params.cohortId));
}

/** `attendanceTakenIds`: for the held sessions of someone who takes attendance, whether it has been taken. */
function SessionTable({ sessions, caption, attendanceTakenIds }: { sessions: SessionListItem[]; caption: string; attendanceTakenIds?: number[] | null }) {
  return (
    <TableWrap label={caption}>
      <table className="session-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Datum</th>
            <th scope="col">Tid</th>
            <th scope="col">Träff</th>
            <th scope="col">Typ</th>
            <th scope="col">Plats</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const cancelled = s.status === "cancelled";
            const moved = s.lastMove ? movedFromText(s.lastMove) : null;
            return (
              <tr key={s.id}>
                <td className={cancelled ? "cancelled" : undefined}>{formatDate(s.startsAt)}</td>
                <td className={cancelled ? "cancelled nowrap" : "nowrap"}>{formatTimeRange(s.startsAt, s.endsAt)}</td>
                <th scope="row">
                  <Link to={`/trafar/${s.id}`} className={cancelled ? "cancelled" : undefined}>
                    {s.title}
                  </Link>
                </th>
                <td>{sessionKindLabels[s.kind]}</td>
                <td>
                  {s.hostMunicipality}
                  {s.venue ? `, ${s.venue}` : ""}
                  {!s.venue && s.meetingUrl ? ", digitalt" : ""}
                </td>
                <td>
                  {cancelled ? <span className="badge badge--danger">Inställd</span> : <span className="badge">Planerad</span>}
                  {moved ? (
                    <>
                      {" "}
                      <span className="badge badge--warning">{moved}</span>
                    </>
                  ) : null}
                  {attendanceTakenIds && !cancelled ? (
                    <>
                      {" "}
                      {attendanceTakenIds.includes(s.id) ? (
                        <span className="badge badge--success">Närvaro tagen</span>
                      ) : (
                        <Link to={`/trafar/${s.id}/narvaro`} className="badge badge--warning">
                          Närvaro saknas<span className="visually-hidden">: ta närvaro för {s.title}</span>
                        </Link>
                      )}
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

export default function CohortSessions() {
  const { cohort, upcoming, past, canCreate, isStaff, attendanceTakenIds } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/">Översikt</Link>
          </li>
          <li>
            {isStaff ? (
              <Link to={`/omgangar/${cohort.id}`}>
                {cohort.programmeName}, {cohort.name}
              </Link>
            ) : (
              `${cohort.programmeName}, ${cohort.name}`
            )}
          </li>
          <li aria-current="page">Träffar</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>Träffar</h1>
          <p className="lead">
            {cohort.programmeName}, {cohort.name} · {formatDate(cohort.startsOn)} – {formatDate(cohort.endsOn)}
          </p>
        </div>
        <div className="actions">
          {canCreate ? (
            <Link to={`/omgangar/${cohort.id}/trafar/ny`} className="button">
              Ny träff
            </Link>
          ) : null}
          {isStaff ? (
            <Link to="/kalender" className="button button--secondary">
              Prenumerera i kalendern
            </Link>
          ) : null}
        </div>
      </div>

      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Kommande träffar ({upcoming.length})</h2>
        {upcoming.length ? <SessionTable sessions={upcoming} caption="Kommande träffar" /> : <p className="empty">Inga kommande träffar.</p>}
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading">Genomförda träffar ({past.length})</h2>
        {past.length ? <SessionTable sessions={past} caption="Genomförda träffar, senaste först" attendanceTakenIds={attendanceTakenIds} /> : <p className="empty">Inga träffar har genomförts ännu.</p>}
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
