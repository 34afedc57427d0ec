import { RouteErrorBoundary } from "~/components/route-error";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { CertificateLinks } from "~/components/certificate-links";
import { FeedLinksPanel } from "~/components/feed-links";
import { createFeedAddress, getFeedStatus } from "~/domain/calendar.server";
import { listCourseCertificates } from "~/domain/course-certificates.server";
import { remindersWanted } from "~/domain/reminder-opt-outs.server";
import { getSchedule, type ScheduleItem } from "~/domain/schedule.server";
import { attendanceStatusLabels, sessionKindLabels } from "~/ui/labels";
import { movedFromText } from "~/ui/session-changes";
import { capitalise, formatDate, formatMonth, formatTimeRange, formatWeekdayDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";

export const meta: MetaFunction = () => [{ title: "Mitt schema – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { upcoming, past, cohorts } = await getSchedule(ctx);
  const feed = await getFeedStatus(ctx, "participant");
  // Held sessions are a short list: where they were held no longer matters.
  const held = past.map(({ id, title, startsAt, status, attendance }) => ({ id, title, startsAt, status, attendance }));
  return { upcoming, past: held, cohorts, feed, certificates: await listCourseCertificates(ctx), reminders: await remindersWanted(ctx) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  // Shown in this answer only: the address is not kept (see FeedLinksPanel).
  return { issued: await createFeedAddress(ctx, "participant", { publicUrl: context.config.publicUrl }) };
}

function byMonth(items: ScheduleItem[]): [string, ScheduleItem[]][] {
  const groups = new Map<string, ScheduleItem[]>();
  for (const item of items) {
    const month = formatMonth(item.startsAt);
    groups.set(month, [...(groups.get(month) ?? []), item]);
  }
  return [...groups];
}

function osmLink(address: string): string {
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;
}

function ScheduleEntry({ item }: { item: ScheduleItem }) {
  const cancelled = item.status === "cancelled";
  const moved = item.lastMove ? movedFromText(item.lastMove) : null;
  return (
    <li className="schedule-item">
      <h4 className="schedule-item__title">
        <Link to={`/trafar/${item.id}`} className={cancelled ? "cancelled" : undefined}>
          {item.title}
        </Link>
      </h4>
      <p className="schedule-item__meta">
        {cancelled ? <span className="badge badge--danger">Inställd</span> : null}
        {moved && !cancelled ? <span className="badge badge--warning">{moved}</span> : null}
        <span className="badge">{sessionKindLabels[item.kind]}</span>
      </p>
      <p className={cancelled ? "cancelled" : undefined}>
        <strong>{formatWeekdayDate(item.startsAt)}</strong>, {formatTimeRange(item.startsAt, item.endsAt)}
      </p>
      <p>
        {item.hostMunicipality}
        {item.venue ? `, ${item.venue}` : ""}
        {item.address ? (
          <>
            <br />
            <a href={osmLink(item.address)} rel="noopener noreferrer">
              {item.address}
              <span className="visually-hidden"> (karta på OpenStreetMap)</span>
            </a>
          </>
        ) : null}
        {item.meetingUrl ? (
          <>
            <br />
            <a href={item.meetingUrl} rel="noopener noreferrer">
              Möteslänk
            </a>
          </>
        ) : null}
      </p>
      {item.facilitator ? <p className="muted">Kursledare: {item.facilitator}</p> : null}
      <p className="muted">
        {item.programmeName}, {item.cohortName}
      </p>
    </li>
  );
}

function MonthGroups({ items }: { items: ScheduleItem[] }) {
  return (
    <>
      {byMonth(items).map(([month, entries]) => (
        <section key={month} aria-labelledby={`kommande-${month.replace(/\s/g, "-")}`}>
          <h3 id={`kommande-${month.replace(/\s/g, "-")}`} className="schedule-month">
            {capitalise(month)}
          </h3>
          <ul className="schedule-list">
            {entries.map((item) => (
              <ScheduleEntry key={item.id} item={item} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

type HeldSession = Pick<ScheduleItem, "id" | "title" | "startsAt" | "status" | "attendance">;

function HeldSessions({ sessions }: { sessions: HeldSession[] }) {
  return (
    <ul className="held-list">
      {sessions.map((s) => (
        <li key={s.id}>
          <Link to={`/trafar/${s.id}`}>{s.title}</Link>
          <span>{formatDate(s.startsAt)}</span>
          {s.status === "cancelled" ? (
            <span>
              <span className="badge badge--danger">Inställd</span>
            </span>
          ) : s.attendance ? (
            <span>
              {attendanceStatusLabels[s.attendance.status]}, {formatHours(s.attendance.minutes)} tim
            </span>
          ) : (
            <span className="muted">Närvaron är inte registrerad än</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Reminders can be turned off; changes and cancellations always come. */
function Reminders({ wanted }: { wanted: boolean }) {
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("paminnelser");
  return (
    <section aria-labelledby="paminnelser">
      <h2 id="paminnelser">Påminnelser med e-post</h2>
      {saved ? (
        <div className="alert alert--success" role="status">
          <p>{saved === "av" ? "Sparat: du får inga påminnelser." : "Sparat: du får påminnelser."}</p>
        </div>
      ) : null}
      <p>
        {wanted
          ? "Du får en påminnelse med e-post några dagar före varje träff."
          : "Du får inga påminnelser före träffarna."}{" "}
        Ändrade och inställda träffar och meddelanden till omgången får du alltid.
      </p>
      <Form method="post" action="/paminnelser" className="inline-form">
        <input type="hidden" name="reminders" value={wanted ? "off" : "on"} />
        <button type="submit" className="button button--secondary">
          {wanted ? "Stäng av påminnelser" : "Slå på påminnelser"}
        </button>
      </Form>
    </section>
  );
}

export default function Schedule() {
  const { upcoming, past, cohorts, feed, certificates, reminders } = useLoaderData<typeof loader>();
  const issued = useActionData<typeof action>()?.issued ?? null;
  const navigation = useNavigation();
  return (
    <div className="page">
      <h1>Mitt schema</h1>
      <p className="lead">Dina träffar i alla omgångar där du är aktiv deltagare. Tiderna är svensk tid.</p>
      <p>
        <a href="#kalender">Få schemat i din kalender</a> · <a href="#hours-heading">Din närvaro och dina timmar</a> ·{" "}
        <a href="#past-heading">Tidigare träffar</a>
      </p>

      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Kommande träffar</h2>
        {upcoming.length ? <MonthGroups items={upcoming} /> : <p className="empty">Du har inga kommande träffar.</p>}
      </section>

      <section aria-labelledby="kalender">
        <h2 id="kalender">Schemat i din kalender</h2>
        <FeedLinksPanel status={feed} issued={issued} submitting={navigation.state === "submitting"}>
          Prenumerera så visas dina träffar i kalendern i telefonen eller datorn, och flyttade eller inställda träffar uppdateras av sig själva.
          Adressen är personlig: dela den inte.
        </FeedLinksPanel>
      </section>

      <Reminders wanted={reminders} />

      {cohorts.length ? (
        <section aria-labelledby="hours-heading">
          <h2 id="hours-heading">Din närvaro och dina timmar</h2>
          <div className="cards">
            {cohorts.map((c) => (
              <div className="card" key={c.id}>
                <h3>
                  {c.programmeName}, {c.name}
                </h3>
                <dl className="facts">
                  <dt>Dina timmar</dt>
                  <dd>{formatHours(c.attendedMinutes)} tim</dd>
                  <dt>Närvaro</dt>
                  <dd>{c.rate == null ? "Inga träffar har genomförts än" : `${Math.round(c.rate * 100)} %`}</dd>
                  <dt>Genomförda träffar</dt>
                  <dd>
                    {c.heldSessions}, varav {c.recordedSessions} med registrerad närvaro
                  </dd>
                </dl>
              </div>
            ))}
          </div>
          <p className="muted">Närvaron är andelen av de genomförda träffarnas tid som du var med.</p>
        </section>
      ) : null}

      {certificates.length ? (
        <section aria-labelledby="certificates-heading">
          <h2 id="certificates-heading">Utbildningsbevis</h2>
          <p>Du har gått klart och uppfyllt kravet på närvaro. Beviset kan skrivas ut eller sparas som PDF.</p>
          <CertificateLinks certificates={certificates} />
        </section>
      ) : null}

      <section aria-labelledby="past-heading">
        <h2 id="past-heading">Tidigare träffar</h2>
        {past.length ? (
          <>
            <p className="muted">Den senaste först.</p>
            <HeldSessions sessions={past} />
          </>
        ) : (
          <p className="empty">Inga träffar har genomförts ännu.</p>
        )}
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
