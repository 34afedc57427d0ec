import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { MaterialList } from "~/components/material-list";
import { changeSessionStatus, getSessionDetail } from "~/domain/sessions.server";
import { sessionActionSchema } from "~/schemas/sessions";
import { sessionKindLabels } from "~/ui/labels";
import { materialText } from "~/ui/material";
import { describeSessionChange, sessionChangeKindLabels } from "~/ui/session-changes";
import { formatDateTime, formatTimeRange, formatWeekdayDate } from "~/utils/format";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.session.title} – Programportalen` : "Träff – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getSessionDetail(ctx, idParam(params.sessionId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const sessionId = idParam(params.sessionId);
  const submission = parseWithZod(await readFormData(request), { schema: sessionActionSchema });
  const result = await changeSessionStatus(ctx, sessionId, submission);
  if (!result.ok) return json({ error: submission.status === "success" ? result.message : "Okänd åtgärd." }, { status: result.status });
  return redirect(`/trafar/${sessionId}?${result.value === "cancelled" ? "installd" : "aterinsatt"}=1`);
}

const flashes: Record<string, string> = {
  sparad: "Ändringarna är sparade.",
  oforandrad: "Inget var ändrat, så inget sparades.",
  installd: "Träffen är inställd. Deltagarna har fått besked.",
  aterinsatt: "Träffen är återinsatt. Deltagarna har fått besked.",
};

export default function SessionDetail() {
  const { session, cohort, changes, material, municipalityNames, canManage, canTakeAttendance } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const flash = Object.keys(flashes).find((key) => searchParams.has(key));
  const ambiguousTime = searchParams.has("dubbeltimme");
  const cancelled = session.status === "cancelled";
  const place = [session.venue, session.address].filter(Boolean).join(", ");

  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to={`/omgangar/${cohort.id}/trafar`}>
              Träffar i {cohort.programmeName}, {cohort.name}
            </Link>
          </li>
        </ol>
      </nav>
      <div className="page-header">
        <h1>
          <span className={cancelled ? "cancelled" : undefined}>{session.title}</span>
          {cancelled ? (
            <>
              {" "}
              <span className="badge badge--danger">Inställd</span>
            </>
          ) : null}
        </h1>
        {canManage || canTakeAttendance ? (
          <div className="actions">
            {canManage ? (
              <Link to={`/trafar/${session.id}/redigera`} className="button">
                Ändra eller flytta
              </Link>
            ) : null}
            {canTakeAttendance ? (
              <Link to={`/trafar/${session.id}/narvaro`} className="button button--secondary">
                Närvaro
              </Link>
            ) : null}
            {canManage ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value={cancelled ? "reinstate" : "cancel"} />
                <SubmitButton className={cancelled ? "button button--secondary" : "button button--danger"} busy={navigation.state === "submitting"}>
                  {cancelled ? "Återinsätt träffen" : "Ställ in träffen"}
                </SubmitButton>
              </Form>
            ) : null}
          </div>
        ) : null}
      </div>
      <div role="status">
        {flash ? <div className="alert alert--success">{flashes[flash]}</div> : null}
        {ambiguousTime ? (
          <div className="alert alert--warning">
            Klockslaget mellan 02:00 och 03:00 finns två gånger den natten sommartiden slutar. Träffen lades på det första, som
            fortfarande är sommartid. Ändra tiden om det var det andra som menades.
          </div>
        ) : null}
      </div>
      {actionData?.error ? (
        <div className="alert alert--error" role="alert">
          {actionData.error}
        </div>
      ) : null}

      <dl className="facts panel">
        <dt>När</dt>
        <dd className={cancelled ? "cancelled" : undefined}>
          {formatWeekdayDate(session.startsAt)}, {formatTimeRange(session.startsAt, session.endsAt)}
          {formatWeekdayDate(session.startsAt) !== formatWeekdayDate(session.endsAt) ? ` (slutar ${formatWeekdayDate(session.endsAt)})` : ""}
        </dd>
        <dt>Typ</dt>
        <dd>{sessionKindLabels[session.kind]}</dd>
        <dt>Värdkommun</dt>
        <dd>{session.hostMunicipality}</dd>
        {place ? (
          <>
            <dt>Plats</dt>
            <dd>
              {place}
              {session.address ? (
                <>
                  {" "}
                  (
                  <a href={`https://www.openstreetmap.org/search?query=${encodeURIComponent(session.address)}`} rel="noopener noreferrer">
                    visa på karta<span className="visually-hidden">, OpenStreetMap</span>
                  </a>
                  )
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {session.meetingUrl ? (
          <>
            <dt>Möteslänk</dt>
            <dd>
              <a href={session.meetingUrl} rel="noopener noreferrer">
                {session.meetingUrl}
              </a>
            </dd>
          </>
        ) : null}
        {session.facilitator ? (
          <>
            <dt>Kursledare</dt>
            <dd>{session.facilitator}</dd>
          </>
        ) : null}
      </dl>
      {session.description ? (
        <section aria-labelledby="description-heading">
          <h2 id="description-heading">Beskrivning</h2>
          <p className="preserve-lines">{session.description}</p>
        </section>
      ) : null}

      <section aria-labelledby="material-heading">
        <h2 id="material-heading">{materialText.heading}</h2>
        <MaterialList items={material} />
        {canManage ? (
          <p>
            <Link to={`/trafar/${session.id}/material`}>Lägg till eller ta bort material</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Ändringar</h2>
        {changes.length ? (
          <ol className="plain-list">
            {changes.map((c) => (
              <li key={c.id}>
                <strong>{sessionChangeKindLabels[c.kind]}</strong> {formatDateTime(c.changedAt)}
                {c.changedBy ? ` av ${c.changedBy}` : ""}
                <br />
                {describeSessionChange(c, municipalityNames)}
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">Träffen har inte ändrats sedan den lades in.</p>
        )}
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
