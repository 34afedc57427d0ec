import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, SelectField, unshownErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { listFollowUps, recordOutcome, type FollowUpItem } from "~/domain/outcomes.server";
import type { OutcomeCheckpoint, OutcomeResult } from "~/db/schema";
import { OUTCOME_RESULTS, outcomeSchema } from "~/schemas/statistics";
import { enrolmentStatusLabels } from "~/ui/labels";
import { outcomeCheckpointLabels, outcomeResultLabels } from "~/ui/statistics";
import { formatDate } from "~/utils/format";
import { refusalReply } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Uppföljning – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const page = Number(new URL(request.url).searchParams.get("sida") ?? "1");
  return listFollowUps(ctx, { page: Number.isFinite(page) ? page : 1 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const formData = await readFormData(request);
  const key = `${formData.get("enrolmentId")}-${formData.get("checkpoint")}`;
  const submission = parseWithZod(formData, { schema: outcomeSchema });
  const result = await recordOutcome(ctx, submission);
  if (!result.ok) {
    const { reply, status } = refusalReply(submission, result);
    return json({ key, reply }, { status });
  }
  return redirect("/uppfoljning?sparad=1");
}

export const ErrorBoundary = RouteErrorBoundary;

const resultOptions = OUTCOME_RESULTS.map((r) => ({ value: r, label: outcomeResultLabels[r] }));

function OutcomeForm({ enrolmentId, checkpoint, who, current }: { enrolmentId: number; checkpoint: OutcomeCheckpoint; who: string; current?: OutcomeResult }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const key = `${enrolmentId}-${checkpoint}`;
  const [form, fields] = useForm({
    id: `outcome-${key}`,
    lastResult: actionData?.key === key ? actionData.reply : undefined,
    defaultValue: { enrolmentId: String(enrolmentId), checkpoint, result: current ?? "" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: outcomeSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="outcome-form">
      <FormErrors id={form.errorId} errors={unshownErrors(form, ["result"])} />
      <input type="hidden" name="enrolmentId" value={enrolmentId} />
      <input type="hidden" name="checkpoint" value={checkpoint} />
      <SelectField
        field={fields.result}
        label={`Resultat för ${who}, ${outcomeCheckpointLabels[checkpoint].toLowerCase()}`}
        options={resultOptions}
        placeholder="Välj resultat"
      />
      <div>
        <SubmitButton className="button button--small" busy={navigation.state === "submitting"}>
          {current ? "Ändra" : "Spara"}
        </SubmitButton>
      </div>
    </Form>
  );
}

function Item({ item, showForm }: { item: FollowUpItem; showForm: boolean }) {
  return (
    <li>
      <p>
        <strong>{item.participantName}</strong> · {item.programmeName}, {item.cohortName}
        <br />
        {enrolmentStatusLabels[item.status]} {formatDate(item.endedOn)} · {outcomeCheckpointLabels[item.checkpoint]}:{" "}
        {showForm ? (
          <>
            senast {formatDate(item.dueOn)}{" "}
            {item.overdue ? <span className="badge badge--danger">Försenad</span> : <span className="badge badge--warning">Att göra</span>}
          </>
        ) : (
          <>kan registreras från {formatDate(item.opensOn)}</>
        )}
      </p>
      {showForm ? <OutcomeForm enrolmentId={item.enrolmentId} checkpoint={item.checkpoint} who={item.participantName} /> : null}
    </li>
  );
}

export default function FollowUp() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  // A refusal whose form is not on this page (another page of the list, or no longer due) is shown at the top.
  const shownKeys = new Set([...data.due, ...data.recorded].map((i) => `${i.enrolmentId}-${i.checkpoint}`));
  const overdue = data.due.filter((d) => d.overdue).length;
  return (
    <div className="page">
      <h1>Uppföljning</h1>
      <p className="lead">
        Resultatet för deltagare som lämnat en omgång följs upp inom 4 veckor och efter 6 månader. Uppgifterna ingår i statistiken.
      </p>
      {searchParams.get("sparad") && !actionData ? (
        <div className="alert alert--success" role="status">
          <p>Uppföljningen är sparad.</p>
        </div>
      ) : null}

      {actionData && !shownKeys.has(actionData.key) ? <FormErrors id="outcome-errors" errors={replyMessages(actionData.reply)} /> : null}

      <section aria-labelledby="due">
        <h2 id="due">
          Att följa upp ({data.due.length}
          {overdue ? `, varav ${overdue} ${overdue === 1 ? "försenad" : "försenade"}` : ""})
        </h2>
        {data.due.length ? (
          <ul className="plain-list follow-ups">
            {data.due.map((item) => (
              <Item key={`${item.enrolmentId}-${item.checkpoint}`} item={item} showForm />
            ))}
          </ul>
        ) : (
          <p className="empty">Inga uppföljningar att göra just nu.</p>
        )}
        {data.dueTruncated ? <p className="muted">Listan visar de 200 som ska vara klara först.</p> : null}
      </section>

      <section aria-labelledby="upcoming">
        <h2 id="upcoming">Kommande inom 30 dagar</h2>
        {data.upcoming.length ? (
          <ul className="plain-list">
            {data.upcoming.map((item) => (
              <Item key={`${item.enrolmentId}-${item.checkpoint}`} item={item} showForm={false} />
            ))}
          </ul>
        ) : (
          <p className="empty">Inga uppföljningar blir aktuella de närmaste 30 dagarna.</p>
        )}
      </section>

      <section aria-labelledby="recorded">
        <h2 id="recorded">Registrerade ({data.recordedTotal})</h2>
        {data.recorded.length ? (
          <TableWrap label="Registrerade uppföljningar">
            <table>
              <caption className="visually-hidden">Registrerade uppföljningar</caption>
              <thead>
                <tr>
                  <th scope="col">Deltagare</th>
                  <th scope="col">Omgång</th>
                  <th scope="col">Lämnade</th>
                  <th scope="col">Tillfälle</th>
                  <th scope="col">Resultat</th>
                  <th scope="col">Registrerad</th>
                  <th scope="col">Ändra</th>
                </tr>
              </thead>
              <tbody>
                {data.recorded.map((r) => (
                  <tr key={`${r.enrolmentId}-${r.checkpoint}`}>
                    <th scope="row">{r.participantName}</th>
                    <td>
                      {r.programmeName}, {r.cohortName}
                    </td>
                    <td>{formatDate(r.endedOn)}</td>
                    <td>{outcomeCheckpointLabels[r.checkpoint]}</td>
                    <td>{outcomeResultLabels[r.result]}</td>
                    <td>{formatDate(r.recordedAt)}</td>
                    <td>
                      {/* Keyed by the stored result, so after a change the select shows it, not its first render. */}
                      <OutcomeForm key={r.result} enrolmentId={r.enrolmentId} checkpoint={r.checkpoint} who={r.participantName} current={r.result} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p className="empty">Inga uppföljningar är registrerade än.</p>
        )}
        {data.pageCount > 1 ? (
          <nav className="pagination" aria-label="Sidor">
            {data.page > 1 ? <Link to={`?sida=${data.page - 1}`}>Föregående sida</Link> : null}
            <span>
              Sida {data.page} av {data.pageCount}
            </span>
            {data.page < data.pageCount ? <Link to={`?sida=${data.page + 1}`}>Nästa sida</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
