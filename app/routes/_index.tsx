import { RouteErrorBoundary } from "~/components/route-error";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { requireUserContext } from "~/auth/session.server";
import { listMyOpenEvaluations } from "~/domain/evaluations.server";
import { MaterialList } from "~/components/material-list";
import { SharedReports } from "~/components/shared-reports";
import { getStartPage } from "~/domain/start-page.server";
import { startPageText as t } from "~/ui/start-page";
import { formatDate, formatDateTime, formatTimeRange, formatWeekdayDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Översikt – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { name: ctx.user.name, start: await getStartPage(ctx), evaluations: await listMyOpenEvaluations(ctx) };
}

type Start = ReturnType<typeof useLoaderData<typeof loader>>["start"];
type OpenEvaluations = ReturnType<typeof useLoaderData<typeof loader>>["evaluations"];

/** Evaluations of held sessions the trainee has not answered yet (issue 16). */
function Evaluations({ evaluations }: { evaluations: OpenEvaluations }) {
  if (!evaluations.length) return null;
  return (
    <section aria-labelledby="evaluations" className="notices">
      <h2 id="evaluations">Utvärderingar att svara på</h2>
      <ul className="plain-list">
        {evaluations.map((e) => (
          <li key={e.sessionId} className="notice">
            <p>
              <Link to={`/utvardering/${e.sessionId}`}>Utvärdera ”{e.title}”</Link> ({formatWeekdayDate(e.startsAt)}). Öppen till{" "}
              {formatWeekdayDate(e.closesAt)}. Svaren är anonyma.
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A to-do list: each item links to where it is done; no items means all is done. */
function Todo({ items }: { items: { key: string; to: string; text: string; detail?: ReactNode; tone?: "warning" }[] }) {
  if (!items.length) return <p className="empty">{t.allDone}</p>;
  return (
    <ul className="todo-list">
      {items.map((item) => (
        <li key={item.key} className={item.tone === "warning" ? "todo-list__item todo-list__item--warning" : "todo-list__item"}>
          <Link to={item.to}>{item.text}</Link>
          {item.detail ? <span className="muted"> {item.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Notices({ notices }: { notices: Start["notices"] }) {
  if (!notices.length) return null;
  return (
    <section aria-labelledby="notiser" className="notices">
      <h2 id="notiser">Nytt sedan du var här</h2>
      <ul className="plain-list">
        {notices.map((n) => (
          <li key={n.id} className="notice">
            {n.subject ? (
              <>
                <p>
                  <strong>{n.subject}</strong> <span className="muted">({formatDateTime(n.createdAt)})</span>
                </p>
                <p className="notice__text">{n.message}</p>
              </>
            ) : (
              <p>
                {n.message} <span className="muted">({formatDateTime(n.createdAt)})</span>
              </p>
            )}
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
  );
}

function Trainee({ trainee }: { trainee: NonNullable<Start["trainee"]> }) {
  const { next } = trainee;
  return (
    <>
      <section aria-labelledby="next-session" className="panel">
        <h2 id="next-session">{t.trainee.next}</h2>
        {next ? (
          <>
            <p className="next-session__title">
              <Link to={`/trafar/${next.id}`}>{next.title}</Link>
            </p>
            <dl className="facts">
              <dt>När</dt>
              <dd>
                {formatWeekdayDate(next.startsAt)}, {formatTimeRange(next.startsAt, next.endsAt)}
              </dd>
              <dt>Var</dt>
              <dd>
                {[next.venue, next.address].filter(Boolean).join(", ") || next.hostMunicipality}
                {next.meetingUrl ? (
                  <>
                    {" "}
                    · <a href={next.meetingUrl}>Länk till mötet</a>
                  </>
                ) : null}
              </dd>
              <dt>Omgång</dt>
              <dd>
                {next.programmeName}, {next.cohortName}
              </dd>
            </dl>
            {next.description ? (
              <>
                <h3>{t.trainee.bring}</h3>
                <p className="preserve-lines">{next.description}</p>
              </>
            ) : null}
            {trainee.nextMaterial.length ? (
              <>
                <h3>{t.trainee.material}</h3>
                <MaterialList items={trainee.nextMaterial} />
              </>
            ) : null}
          </>
        ) : (
          <p className="empty">{t.trainee.noNext}</p>
        )}
        {trainee.later.length ? (
          <>
            <h3>{t.trainee.later}</h3>
            <ul className="plain-list">
              {trainee.later.map((s) => (
                <li key={s.id}>
                  <Link to={`/trafar/${s.id}`}>{s.title}</Link>
                  <br />
                  <span className="muted">
                    {formatWeekdayDate(s.startsAt)}, {formatTimeRange(s.startsAt, s.endsAt)} · {s.hostMunicipality}
                    {s.venue ? `, ${s.venue}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          <Link to="/schema">Hela schemat</Link>
        </p>
      </section>

      <section aria-labelledby="trainee-todo">
        <h2 id="trainee-todo">Att göra</h2>
        <Todo
          items={[
            ...trainee.selfRatingsDue.map((r) => ({ key: `self-rating-${r.cohortId}-${r.phase}`, to: `/sjalvskattning/${r.cohortId}`, text: t.trainee.selfRatingDue(r.phase, formatDate(r.closesOn)), detail: `${r.programmeName}, ${r.cohortName}` })),
            ...trainee.reportsToConfirm.map((r) => ({ key: `report-${r.id}`, to: `/tidrapporter/${r.id}`, text: t.trainee.reportToConfirm(r.month), detail: r.programmeName })),
          ]}
        />
      </section>

      <section aria-labelledby="calendar" className="panel">
        <h2 id="calendar">{t.trainee.calendar}</h2>
        {trainee.feed ? (
          <p>
            {t.trainee.calendarSince(formatDate(trainee.feed.createdAt))} Adressen visas bara när den skapas.{" "}
            <Link to="/schema#kalender">Skapa en ny adress</Link> om du har tappat bort den.
          </p>
        ) : (
          // The address is made, and shown once, on Mitt schema (ADR 019): this button posts there.
          <Form method="post" action="/schema">
            <p>{t.trainee.calendarNone}</p>
            <button type="submit" className="button">
              Prenumerera på schemat
            </button>
          </Form>
        )}
      </section>
    </>
  );
}

function Coordinator({ m }: { m: NonNullable<Start["coordinator"]>[number] }) {
  const items = [
    ...m.reportsToCertify.map((r) => ({
      key: `reports-${r.month}`,
      to: `/tidrapporter?manad=${r.month}&status=confirmed`,
      text: t.coordinator.reportsToCertify(r.count, r.month),
    })),
    ...(m.followUps.due
      ? [{ key: "follow-ups", to: "/uppfoljning", text: t.coordinator.followUps(m.followUps.due, m.followUps.overdue), tone: m.followUps.overdue ? ("warning" as const) : undefined }]
      : []),
    ...m.awaitingLead.map((c) => ({ key: `lead-${c.cohortId}`, to: `/omgangar/${c.cohortId}`, text: t.coordinator.awaitingLead(c.count), detail: `${c.programmeName}, ${c.cohortName}` })),
    ...m.waitlisted.map((c) => ({ key: `wait-${c.cohortId}`, to: `/omgangar/${c.cohortId}`, text: t.coordinator.waitlisted(c.count), detail: `${c.programmeName}, ${c.cohortName}` })),
    ...m.openSeats.map((c) => ({ key: `seats-${c.cohortId}`, to: `/omgangar/${c.cohortId}#nominate-heading`, text: t.coordinator.openSeats(c.count, c.seats), detail: `${c.programmeName}, ${c.cohortName}` })),
    ...(m.withoutCohort ? [{ key: "without", to: "/deltagare", text: t.coordinator.withoutCohort(m.withoutCohort) }] : []),
  ];
  return (
    <section aria-labelledby={`municipality-${m.municipalityId}`}>
      <h2 id={`municipality-${m.municipalityId}`}>{t.coordinator.heading(m.municipality)}</h2>
      <Todo items={items} />
      {m.changedSessions.length ? (
        <>
          <h3>{t.coordinator.changedSessions}</h3>
          <ul className="plain-list">
            {m.changedSessions.map((s) => (
              <li key={s.id}>
                <Link to={`/trafar/${s.id}`} className={s.status === "cancelled" ? "cancelled" : undefined}>
                  {s.title}
                </Link>
                {s.status === "cancelled" ? <span className="badge badge--danger"> Inställd</span> : null}
                <br />
                <span className="muted">
                  {formatWeekdayDate(s.startsAt)}, {formatTimeRange(s.startsAt, s.endsAt)} · {s.programmeName}, {s.cohortName} · ändrad {formatDateTime(s.changedAt)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Lead({ lead }: { lead: NonNullable<Start["lead"]> }) {
  const items = [
    ...(lead.unrecorded.count
      ? [{ key: "unrecorded", to: `/trafar/${lead.unrecorded.sessions[0].id}/narvaro`, text: t.lead.unrecorded(lead.unrecorded.count), detail: `senast ${lead.unrecorded.sessions[0].title}, ${formatDate(lead.unrecorded.sessions[0].startsAt)}`, tone: "warning" as const }]
      : []),
    ...lead.nominationsToDecide.map((c) => ({ key: `decide-${c.cohortId}`, to: `/omgangar/${c.cohortId}`, text: t.lead.nominationsToDecide(c.count), detail: `${c.programmeName}, ${c.cohortName}` })),
  ];
  return (
    <section aria-labelledby="lead">
      <h2 id="lead">{t.lead.heading}</h2>
      <Todo items={items} />
      {lead.unrecorded.sessions.length > 1 ? (
        <ul className="plain-list">
          {lead.unrecorded.sessions.slice(1).map((s) => (
            <li key={s.id}>
              <Link to={`/trafar/${s.id}/narvaro`}>Ta närvaro för {s.title}</Link> <span className="muted">{formatDate(s.startsAt)}, {s.cohortName}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <h3>{t.lead.today}</h3>
      {lead.today.length ? (
        <ul className="plain-list">
          {lead.today.map((s) => (
            <li key={s.id}>
              <Link to={`/trafar/${s.id}`}>{s.title}</Link> <span className="muted">{formatTimeRange(s.startsAt, s.endsAt)} · {s.programmeName}, {s.cohortName}</span>
              <div className="actions">
                {s.attendanceTaken ? <span className="badge badge--success">{t.lead.attendanceTaken}</span> : null}
                <Link to={`/trafar/${s.id}/narvaro`} className="button button--small">
                  {t.lead.takeAttendance}
                  <span className="visually-hidden"> för {s.title}</span>
                </Link>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t.lead.noneToday}</p>
      )}
      {lead.next.length ? (
        <>
          <h3>{t.lead.next}</h3>
          <ul className="plain-list">
            {lead.next.map((s) => (
              <li key={s.id}>
                <Link to={`/trafar/${s.id}`}>{s.title}</Link>{" "}
                <span className="muted">
                  {formatWeekdayDate(s.startsAt)}, {formatTimeRange(s.startsAt, s.endsAt)} · {s.cohortName}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Funder({ programmes }: { programmes: NonNullable<Start["funder"]> }) {
  return (
    <section aria-labelledby="funded">
      <h2 id="funded">{t.funder.heading}</h2>
      {programmes.map((p) => (
        <div className="panel" key={p.programmeId}>
          <h3>{p.name}</h3>
          <p className="muted">
            {formatDate(p.startsOn)} – {formatDate(p.endsOn)}
          </p>
          <dl className="facts facts--figures">
            <dt>{t.funder.started}</dt>
            <dd>{p.started}</dd>
            <dt>{t.funder.active}</dt>
            <dd>{p.active}</dd>
            <dt>{t.funder.completed}</dt>
            <dd>{p.completed}</dd>
            <dt>{t.funder.dropped}</dt>
            <dd>{p.dropped}</dd>
          </dl>
          <div className="actions">
            <Link to={`/statistik?program=${p.programmeId}`} className="button">
              Statistik<span className="visually-hidden"> för {p.name}</span>
            </Link>
            <a href={`/statistik.xlsx?program=${p.programmeId}`} className="button button--secondary" download>
              Ladda ner Excel<span className="visually-hidden"> för {p.name}</span>
            </a>
          </div>
        </div>
      ))}
    </section>
  );
}

function Admin({ admin }: { admin: NonNullable<Start["admin"]> }) {
  const items = admin.usersWithoutRole ? [{ key: "no-role", to: "/admin/anvandare", text: t.admin.usersWithoutRole(admin.usersWithoutRole) }] : [];
  return (
    <section aria-labelledby="admin">
      <h2 id="admin">{t.admin.heading}</h2>
      <Todo items={items} />
      {admin.failedMail ? (
        <div className="alert alert--warning">
          <p>{t.admin.failedMail(admin.failedMail)}</p>
        </div>
      ) : null}
      <div className="cards cards--figures">
        <Link className="card card--link" to="/admin/anvandare">
          <span className="card__label">Användare</span>
          <span className="figure">{admin.users}</span>
        </Link>
        <Link className="card card--link" to="/program">
          <span className="card__label">Program</span>
          <span className="figure">{admin.programmes}</span>
        </Link>
        <div className="card">
          <span className="card__label">Kommuner</span>
          <span className="figure">{admin.municipalities}</span>
        </div>
      </div>
    </section>
  );
}

export default function Overview() {
  const { name, start, evaluations } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Översikt</h1>
      <p className="lead">Välkommen, {name}.</p>
      <Notices notices={start.notices} />
      <Evaluations evaluations={evaluations} />
      {start.trainee ? <Trainee trainee={start.trainee} /> : null}
      {start.lead ? <Lead lead={start.lead} /> : null}
      {start.coordinator?.map((m) => <Coordinator key={m.municipalityId} m={m} />)}
      {start.funder ? <Funder programmes={start.funder} /> : null}
      {start.coach ? <SharedReports reports={start.coach} /> : null}
      {start.admin ? <Admin admin={start.admin} /> : null}
      <p className="muted">
        Frågor om dina uppgifter? Läs <Link to="/integritet">hur vi hanterar personuppgifter</Link>.
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
