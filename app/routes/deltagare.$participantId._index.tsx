import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { CertificateLinks } from "~/components/certificate-links";
import { FormErrors, replyMessages, SelectField, TextAreaField, TextField, unshownErrors } from "~/components/form";
import { cohortsOpenTo, nominateToCohort, type OpenCohort } from "~/domain/bulk-nominations.server";
import { listCourseCertificates } from "~/domain/course-certificates.server";
import { giveLogin } from "~/domain/participant-login.server";
import { endParticipation, getParticipant, reopenParticipation } from "~/domain/participants.server";
import { endParticipationSchema } from "~/schemas/participants";
import { nominateToCohortSchema } from "~/schemas/programmes";
import { educationLabels, enrolmentStatusLabels, genderLabels } from "~/ui/labels";
import { formatDate, stockholmToday } from "~/utils/format";
import { refusalReply, refusalText } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.firstName} ${data.lastName}` : "Deltagare"} – Programportalen` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const participant = await getParticipant(ctx, idParam(params.participantId));
  return { ...participant, certificates: await listCourseCertificates(ctx, participant.id), openCohorts: await cohortsOpenTo(ctx, participant.id) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const participantId = idParam(params.participantId);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "login") {
    const result = await giveLogin(ctx, participantId);
    if (!result.ok && result.status === 409) throw refusalText(result);
    const login = result.ok ? { kind: "created" as const, ...result.value } : { kind: "refused" as const, message: result.message ?? "" };
    // The one-time password is in this response: it must never be cached.
    return json({ login }, { status: result.ok ? 200 : result.status, headers: { "Cache-Control": "no-store" } });
  }
  if (intent === "nominate") {
    const submission = parseWithZod(formData, { schema: nominateToCohortSchema });
    const result = await nominateToCohort(ctx, participantId, submission);
    if (!result.ok) {
      const { reply, status } = refusalReply(submission, result);
      return json({ nominateForm: reply }, { status });
    }
    const { status, waitlistPosition } = result.value;
    return redirect(`/deltagare/${participantId}?${status === "nominated" ? "sparad=anmald" : `sparad=vantelista&plats=${waitlistPosition}`}`);
  }
  if (intent === "reopen") {
    const result = await reopenParticipation(ctx, participantId);
    if (!result.ok) throw refusalText(result);
    return redirect(`/deltagare/${participantId}?sparad=aterupptagen`);
  }
  const submission = parseWithZod(formData, { schema: endParticipationSchema });
  const result = await endParticipation(ctx, participantId, submission);
  if (result.ok) return redirect(`/deltagare/${participantId}?sparad=avslutad`);
  if (result.status === 409) throw refusalText(result);
  return json({ endForm: submission.reply({ formErrors: result.message ? [result.message] : undefined, fieldErrors: result.fieldErrors }) }, { status: result.status });
}

const savedMessages: Record<string, string> = {
  ny: "Deltagaren är sparad.",
  andrad: "Ändringarna är sparade.",
  avslutad: "Deltagandet är avslutat.",
  aterupptagen: "Deltagaren är aktiv igen.",
  anonymiserad: "Deltagaren är anonymiserad. Inga uppgifter som kan kopplas till personen finns kvar.",
  anmald: "Deltagaren är anmäld och väntar på programledarens beslut.",
  vantelista: "Kommunens platser är fulla. Deltagaren står på kommunens väntelista.",
};

export default function ParticipantPage() {
  const p = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  // A refused action hides the message of the save before it.
  const savedKey = searchParams.get("sparad") ?? "";
  const position = Number(searchParams.get("plats"));
  const saved = actionData ? undefined : savedKey === "vantelista" && position > 0 ? `${savedMessages.vantelista} Plats i kön: ${position}.` : savedMessages[savedKey];
  const nominateResult = actionData && "nominateForm" in actionData ? actionData.nominateForm : undefined;
  const login = actionData && "login" in actionData ? actionData.login : null;
  const endResult = actionData && "endForm" in actionData ? actionData.endForm : undefined;
  const name = `${p.firstName} ${p.lastName}`;
  const busy = navigation.state === "submitting";

  return (
    <div className="page participant-page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/deltagare">Deltagare</Link>
          </li>
          <li aria-current="page">{name}</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>{name}</h1>
          <p className="lead">
            {p.title ? `${p.title}, ` : ""}
            {p.department} · {p.municipalityName} kommun{" "}
            {p.endedOn ? <span className="badge">Avslutad</span> : <span className="badge badge--success">Aktiv</span>}
          </p>
        </div>
        <div className="actions">
          {p.anonymisedAt ? null : (
            <Link to={`/deltagare/${p.id}/redigera`} className="button">
              Ändra uppgifter
            </Link>
          )}
          <Link to={`/deltagare/${p.id}/registerutdrag`} className="button button--secondary">
            Registerutdrag
          </Link>
          {p.endedOn && !p.anonymisedAt ? (
            <Link to={`/deltagare/${p.id}/anonymisera`} className="button button--secondary">
              Anonymisera
            </Link>
          ) : null}
        </div>
      </div>

      <div role="status">{saved ? <div className="alert alert--success">{saved}</div> : null}</div>

      <section className="panel" aria-labelledby="facts-heading">
        <h2 id="facts-heading">Uppgifter</h2>
        <dl className="facts">
          <dt>E-post</dt>
          <dd>{p.email}</dd>
          <dt>Förvaltning</dt>
          <dd>{p.department}</dd>
          <dt>Befattning</dt>
          <dd>{p.title || "Inte angiven"}</dd>
          <dt>Kön</dt>
          <dd>{genderLabels[p.gender]}</dd>
          <dt>Födelseår</dt>
          <dd>{p.birthYear}</dd>
          <dt>Personnummer</dt>
          <dd>{p.personnummerMasked ?? "Inte angivet"}</dd>
          <dt>Utbildningsnivå</dt>
          <dd>{p.educationLevel ? educationLabels[p.educationLevel] : "Inte angiven"}</dd>
          <dt>Lönegrupp</dt>
          <dd>{p.salaryGroup}</dd>
          {p.endedOn ? (
            <>
              <dt>Avslutad</dt>
              <dd>
                {formatDate(p.endedOn)}: {p.endReason}
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="enrolments-heading">
        <h2 id="enrolments-heading">Anmälningar till omgångar</h2>
        {p.enrolments.length ? (
          <TableWrap label="Anmälningar till omgångar">
            <table>
              <caption className="visually-hidden">Anmälningar för {name}</caption>
              <thead>
                <tr>
                  <th scope="col">Program</th>
                  <th scope="col">Omgång</th>
                  <th scope="col">Status</th>
                  <th scope="col">Startade</th>
                  <th scope="col">Slutade</th>
                </tr>
              </thead>
              <tbody>
                {p.enrolments.map((e) => (
                  <tr key={e.id}>
                    <td>{e.programmeName}</td>
                    <th scope="row">{e.cohortName}</th>
                    <td>
                      <span className="badge">{enrolmentStatusLabels[e.status]}</span>
                      {e.status === "waitlisted" && e.waitlistPosition ? ` (plats ${e.waitlistPosition} i kön)` : ""}
                    </td>
                    <td>{e.startedOn ? formatDate(e.startedOn) : "–"}</td>
                    <td>{e.endedOn ? formatDate(e.endedOn) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p className="empty">{p.firstName} är inte anmäld till någon omgång.</p>
        )}
        {p.certificates.length ? <CertificateLinks certificates={p.certificates} /> : null}
        {p.openCohorts.length ? (
          <NominateToCohortForm key={p.openCohorts.map((c) => c.id).join(",")} cohorts={p.openCohorts} name={p.firstName} lastResult={nominateResult} busy={busy} />
        ) : nominateResult ? (
          <FormErrors id="nominate-refusal" errors={replyMessages(nominateResult)} />
        ) : null}
      </section>

      <section aria-labelledby="login-heading">
        <h2 id="login-heading">Inloggning</h2>
        <div role="status" aria-live="polite">
          {login?.kind === "created" ? (
            <div className="alert alert--success">
              <p>
                {name} kan nu logga in med <strong>{login.email}</strong> och engångslösenordet:
              </p>
              <p>
                <code className="one-time-password">{login.oneTimePassword}</code>
              </p>
              <p>Lösenordet visas bara den här gången. Lämna det till deltagaren på ett säkert sätt, till exempel muntligt.</p>
            </div>
          ) : login?.kind === "refused" ? (
            <div className="alert alert--error">
              <p>{login.message}</p>
            </div>
          ) : null}
        </div>
        {login && login.kind !== "refused" ? null : p.loginEmail ? (
          <p>
            {p.firstName} loggar in med {p.loginEmail} och ser sitt schema, sin närvaro och sin tidredovisning.
          </p>
        ) : p.endedOn ? (
          <p className="muted">Avslutade deltagare kan inte få någon inloggning.</p>
        ) : (
          <Form method="post" className="panel">
            <p>
              Med en inloggning ser {p.firstName} sitt schema, sin närvaro och sin tidredovisning. Hen får ett eget konto med
              användarnamnet {p.email}, och du får ett engångslösenord att lämna över.
            </p>
            <SubmitButton name="intent" value="login" className="button button--secondary" busy={busy}>
              Ge inloggning
            </SubmitButton>
          </Form>
        )}
      </section>

      <section aria-labelledby="end-heading">
        <h2 id="end-heading">{p.endedOn ? "Återuppta deltagande" : "Avsluta deltagande"}</h2>
        {/* Ending a participation that has already ended (in another tab) is refused here, where the form no longer is. */}
        {p.endedOn || p.anonymisedAt ? <FormErrors id="end-participation-errors" errors={replyMessages(endResult)} /> : null}
        {p.anonymisedAt ? (
          <p className="muted">Deltagaren är anonymiserad och kan inte göras aktiv igen.</p>
        ) : p.endedOn ? (
          <Form method="post" className="panel">
            <p>Om deltagandet avslutades av misstag kan du göra {p.firstName} aktiv igen.</p>
            <SubmitButton name="intent" value="reopen" className="button button--secondary" busy={busy}>
              Gör aktiv igen
            </SubmitButton>
          </Form>
        ) : (
          // Its own component: the form's state ends with the participation, so a reopened participant gets an empty form.
          <EndParticipationForm lastResult={endResult} />
        )}
      </section>
    </div>
  );
}

function EndParticipationForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "end-participation",
    lastResult,
    defaultValue: { endedOn: stockholmToday() },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: endParticipationSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <p>
        När en deltagare slutar i kommunen eller i programmet avslutar du deltagandet. Uppgifterna finns kvar för uppföljningen.
      </p>
      <FormErrors id={form.errorId} errors={unshownErrors(form, ["endedOn", "endReason"])} />
      <input type="hidden" name="intent" value="end" />
      <TextField field={fields.endedOn} label="Slutdatum" type="date" />
      <TextAreaField field={fields.endReason} label="Orsak" hint="Till exempel nytt arbete eller föräldraledighet." />
      <div>
        <SubmitButton className="button button--danger" busy={busy}>
          Avsluta deltagande
        </SubmitButton>
      </div>
    </Form>
  );
}

/** "Ledarutveckling över gränserna, Omgång 3 (startar 12 jan 2027): 2 lediga platser" – where the nomination would land, before it is made. */
function cohortOption(c: OpenCohort): string {
  const seats = c.free > 0 ? `${c.free === 1 ? "1 ledig plats" : `${c.free} lediga platser`}` : `fullt, väntelistan plats ${c.nextInLine}`;
  return `${c.programmeName}, ${c.name} (startar ${formatDate(c.startsOn)}): ${seats}`;
}

function NominateToCohortForm({ cohorts, name, lastResult, busy }: { cohorts: OpenCohort[]; name: string; lastResult?: SubmissionResult<string[]>; busy: boolean }) {
  const [form, fields] = useForm({
    id: "nominate-to-cohort",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: nominateToCohortSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <h3 id="nominate-to-cohort-heading">Anmäl till en omgång</h3>
      <FormErrors id={form.errorId} errors={unshownErrors(form, ["cohortId"])} />
      <input type="hidden" name="intent" value="nominate" />
      <SelectField
        field={fields.cohortId}
        label="Omgång"
        placeholder="Välj omgång"
        hint={`Med en ledig plats väntar ${name} på programledarens beslut; utan hamnar ${name} på kommunens väntelista.`}
        options={cohorts.map((c) => ({ value: String(c.id), label: cohortOption(c) }))}
      />
      <div>
        <SubmitButton className="button" busy={busy}>
          Anmäl
        </SubmitButton>
      </div>
    </Form>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
