import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { getOverview, type UpcomingSession } from "~/domain/overview.server";
import { enrolmentStatusLabels } from "~/ui/labels";
import { formatDateTime, formatTimeRange, formatWeekdayDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Översikt – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { name: ctx.user.name, overview: await getOverview(ctx) };
}

function SessionList({ sessions, empty }: { sessions: UpcomingSession[]; empty: string }) {
  if (!sessions.length) return <p className="empty">{empty}</p>;
  return (
    <ul className="plain-list">
      {sessions.map((s) => (
        <li key={s.id}>
          <strong className={s.status === "cancelled" ? "cancelled" : undefined}>
            <Link to={`/trafar/${s.id}`}>{s.title}</Link>
          </strong>
          {s.status === "cancelled" ? <span className="badge badge--danger"> Inställd</span> : null}
          <br />
          {formatWeekdayDate(s.startsAt)}, {formatTimeRange(s.startsAt, s.endsAt)} · {s.hostMunicipality}
          {s.venue ? `, ${s.venue}` : ""}
          <br />
          <span className="muted">
            {s.programmeName}, {s.cohortName}
          </span>
        </li>
      ))}
    </ul>
  );
}

export default function Overview() {
  const { name, overview } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Översikt</h1>
      <p className="lead">Välkommen, {name}.</p>

      {overview.notices.length ? (
        <section aria-labelledby="notiser" className="notices">
          <h2 id="notiser">Ändringar att känna till</h2>
          <ul className="plain-list">
            {overview.notices.map((n) => (
              <li key={n.id} className="notice">
                <p>
                  {n.message} <span className="muted">({formatDateTime(n.createdAt)})</span>
                </p>
                <div className="actions">
                  {n.sessionId ? <Link to={`/trafar/${n.sessionId}`}>Visa träffen</Link> : null}
                  <Form method="post" action={`/notiser/${n.id}`} className="inline-form">
                    <button type="submit" className="button button--small button--secondary">
                      Markera som läst
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {overview.participant ? (
        <section aria-labelledby="my-sessions">
          <h2 id="my-sessions">Dina nästa träffar</h2>
          <SessionList sessions={overview.participant.upcoming} empty="Du har inga kommande träffar." />
          <h2>Dina omgångar</h2>
          <ul className="plain-list">
            {overview.participant.cohorts.map((c) => (
              <li key={`${c.programmeName}-${c.name}`}>
                {c.programmeName}, {c.name} <span className="badge">{enrolmentStatusLabels[c.status]}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {overview.coordinated?.map((m) => (
        <section key={m.municipalityId} aria-labelledby={`municipality-${m.municipalityId}`}>
          <h2 id={`municipality-${m.municipalityId}`}>{m.municipality} kommun</h2>
          <div className="cards">
            <div className="card">
              <h3>Deltagare</h3>
              <p className="figure">{m.participants}</p>
            </div>
            <div className="card">
              <h3>Aktiva i omgångar</h3>
              <p className="figure">{m.activeEnrolments}</p>
            </div>
            <div className="card">
              <h3>Väntar på beslut eller plats</h3>
              <p className="figure">{m.waiting}</p>
            </div>
          </div>
          {m.followUps.due ? (
            <div className={`alert ${m.followUps.overdue ? "alert--warning" : "alert--info"}`}>
              <p>
                {m.followUps.due === 1 ? "1 uppföljning" : `${m.followUps.due} uppföljningar`} av deltagare som lämnat en omgång är att göra
                {m.followUps.overdue ? `, varav ${m.followUps.overdue} ${m.followUps.overdue === 1 ? "försenad" : "försenade"}` : ""}. <Link to="/uppfoljning">Till uppföljningen</Link>
              </p>
            </div>
          ) : null}
          <h3>Kommande träffar för kommunens deltagare</h3>
          <SessionList sessions={m.upcoming} empty="Inga kommande träffar." />
        </section>
      ))}

      {overview.led ? (
        <section aria-labelledby="led-programmes">
          <h2 id="led-programmes">Program du leder</h2>
          {overview.led.map((p) => (
            <div className="panel" key={p.programmeId}>
              <h3>{p.name}</h3>
              <TableWrap label="Program du leder">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Omgång</th>
                      <th scope="col" className="num">
                        Aktiva
                      </th>
                      <th scope="col" className="num">
                        Väntar
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.cohorts.map((c) => (
                      <tr key={c.id}>
                        <th scope="row">{c.name}</th>
                        <td className="num">{c.active}</td>
                        <td className="num">{c.waiting}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </div>
          ))}
        </section>
      ) : null}

      {overview.funded ? (
        <section aria-labelledby="funded-programmes">
          <h2 id="funded-programmes">Program du finansierar</h2>
          {overview.funded.map((p) => (
            <div className="panel" key={p.programmeId}>
              <h3>{p.name}</h3>
              <dl className="facts">
                <dt>Aktiva deltagare</dt>
                <dd>{p.counts.active}</dd>
                <dt>Avslutade</dt>
                <dd>{p.counts.completed}</dd>
                <dt>Avbrutna</dt>
                <dd>{p.counts.dropped}</dd>
              </dl>
            </div>
          ))}
        </section>
      ) : null}

      {overview.admin ? (
        <section aria-labelledby="admin">
          <h2 id="admin">Administration</h2>
          <div className="cards">
            <div className="card">
              <h3>Kommuner</h3>
              <p className="figure">{overview.admin.municipalities}</p>
            </div>
            <div className="card">
              <h3>Användare</h3>
              <p className="figure">{overview.admin.users}</p>
            </div>
            <div className="card">
              <h3>Program</h3>
              <p className="figure">{overview.admin.programmes}</p>
            </div>
          </div>
        </section>
      ) : null}
      <p className="muted">
        Frågor om dina uppgifter? Läs <Link to="/integritet">hur vi hanterar personuppgifter</Link>.
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
