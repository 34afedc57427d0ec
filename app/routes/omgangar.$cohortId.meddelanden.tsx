import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, TextAreaField, TextField, unshownErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { cohortMessagesPage, sendCohortMessage } from "~/domain/cohort-messages.server";
import { cohortMessageSchema, MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX } from "~/schemas/messages";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { formatDateTime } from "~/utils/format";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Meddelanden${data ? `, ${data.cohort.name}` : ""} – Programportalen` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return cohortMessagesPage(ctx, idParam(params.cohortId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const cohortId = idParam(params.cohortId);
  const submission = parseWithZod(await readFormData(request), { schema: cohortMessageSchema });
  const result = await sendCohortMessage(ctx, cohortId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/omgangar/${cohortId}/meddelanden?skickat=${result.value.recipients}`);
}

const people = (n: number) => (n === 1 ? "1 deltagare" : `${n} deltagare`);

export default function CohortMessages() {
  const { cohort, wholeCohort, recipients, history, formKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const sent = Number(searchParams.get("skickat"));
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `message-${formKey}`,
    lastResult,
    defaultValue: { to: "all" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cohortMessageSchema }),
  });
  const withoutLogin = recipients.filter((r) => !r.hasLogin).length;
  const audience = wholeCohort ? "Alla i omgången" : "Alla deltagare från din kommun i omgången";

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${cohort.programmeId}`}>{cohort.programmeName}</Link>
          </li>
          <li>
            <Link to={`/omgangar/${cohort.id}`}>{cohort.name}</Link>
          </li>
          <li aria-current="page">Meddelanden</li>
        </ol>
      </nav>
      <h1>Meddelanden till {cohort.name}</h1>
      {sent > 0 && !lastResult ? (
        <div className="alert alert--success" role="status">
          <p>Meddelandet är skickat till {people(sent)}.</p>
        </div>
      ) : null}

      <section aria-labelledby="write-heading">
        <h2 id="write-heading">Skriv ett meddelande</h2>
        {recipients.length === 0 ? (
          <p className="empty">Det finns ingen deltagare med plats i omgången att skriva till ännu.</p>
        ) : (
          <>
            <p>
              Meddelandet går som e-post till deltagarnas egna adresser och syns på startsidan för dem som kan logga in.
              {withoutLogin > 0 ? ` ${people(withoutLogin)} saknar inloggning och får bara e-posten.` : ""}
            </p>
            <Form method="post" {...getFormProps(form)} className="form panel">
              <FormErrors id={form.errorId} errors={unshownErrors(form, ["subject", "body", "participantIds"])} />
              <input type="hidden" name="key" value={formKey} />
              <TextField field={fields.subject} label="Rubrik" hint={`Högst ${MESSAGE_SUBJECT_MAX} tecken.`} />
              <TextAreaField field={fields.body} label="Meddelande" hint={`Högst ${MESSAGE_BODY_MAX.toLocaleString("sv-SE")} tecken.`} />
              <fieldset className="field choices message-to" aria-describedby={fields.participantIds.errors?.length ? fields.participantIds.errorId : undefined}>
                <legend>Till</legend>
                <label>
                  <input type="radio" name="to" value="all" defaultChecked={fields.to.initialValue !== "selected"} /> {`${audience} (${people(recipients.length)})`}
                </label>
                <label>
                  <input type="radio" name="to" value="selected" defaultChecked={fields.to.initialValue === "selected"} /> Bara de jag väljer:
                </label>
                <details className="message-recipients">
                  <summary>Välj deltagare</summary>
                  <ul className="plain-list">
                    {recipients.map((r) => (
                      <li key={r.participantId}>
                        <label>
                          <input type="checkbox" name="participantIds" value={r.participantId} /> {r.firstName} {r.lastName}
                          <span className="muted">
                            {" "}
                            ({r.municipality}
                            {r.hasLogin ? "" : ", utan inloggning"})
                          </span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </details>
                <div id={fields.participantIds.errorId}>
                  {fields.participantIds.errors?.map((e) => (
                    <p key={e} className="field-error">
                      {e}
                    </p>
                  ))}
                </div>
              </fieldset>
              <div>
                <SubmitButton className="button" busy={navigation.state === "submitting"}>
                  Skicka meddelandet
                </SubmitButton>
              </div>
            </Form>
          </>
        )}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Skickade meddelanden</h2>
        {history.length === 0 ? (
          <p className="empty">Inga meddelanden är skickade till omgången ännu.</p>
        ) : (
          <ul className="plain-list message-history">
            {history.map((m) => (
              <li key={m.id} className="card">
                <h3>{m.subject}</h3>
                <p className="muted">
                  {formatDateTime(m.createdAt)} · {m.senderName}
                  {m.municipality ? ` (${m.municipality})` : " (programledare)"} · till {people(m.recipientCount)}
                </p>
                <p className="message-history__body">{m.body}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
