import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/route-error";
import { FeedbackAnswerForm } from "~/components/feedback-answer-form";
import { requireUserContext } from "~/auth/session.server";
import { answerSelf, changeOwnFeedback, getOwnSubject } from "~/domain/feedback.server";
import { answerSchema, participantFeedbackSchema, raterGroups } from "~/schemas/feedback";
import { raterGroupLabels, roundKindLabels, shareRecipientLabels, SUGGESTED_RATERS } from "~/ui/feedback";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "360-runda – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getOwnSubject(ctx, idParam(params.subjectId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const subjectId = idParam(params.subjectId);
  const form = await readFormData(request);
  if (form.get("intent") === "self") {
    const submission = parseWithZod(form, { schema: answerSchema });
    const result = await answerSelf(ctx, subjectId, submission);
    if (!result.ok) {
      const errors = submission.status === "error" ? (submission.error ?? {}) : { ...(result.fieldErrors ?? {}), ...(result.message ? { "": [result.message] } : {}) };
      return json({ form: "self" as const, error: errors, message: null }, { status: result.status });
    }
    return json({ form: "self" as const, error: {}, message: "Tack! Ditt svar är sparat." });
  }
  const submission = parseWithZod(form, { schema: participantFeedbackSchema });
  const result = await changeOwnFeedback(ctx, subjectId, submission, { publicUrl: context.config.publicUrl });
  if (!result.ok) {
    const errors = submission.status === "error" ? (submission.error ?? {}) : { ...(result.fieldErrors ?? {}), ...(result.message ? { "": [result.message] } : {}) };
    return json({ form: "raters" as const, error: errors, message: null }, { status: result.status });
  }
  return json({ form: "raters" as const, error: {} as Record<string, string[]>, message: result.value.message });
}

export default function OwnRound() {
  const { subject, instrument, raters, invited, answered, recipients, shares } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string[] | null | undefined> = result?.error ?? {};
  const raterErrors = result?.form === "raters" ? errors : {};
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/aterkoppling">360-återkoppling</Link>
          </li>
          <li aria-current="page">{roundKindLabels[subject.kind]}</li>
        </ol>
      </nav>
      <h1>
        {roundKindLabels[subject.kind]}: {subject.programmeName} {subject.cohortName}
      </h1>
      <p className="lead">{subject.over ? "Rundan är avslutad." : `Svara och bjud in senast ${subject.closesOn}.`}</p>
      {Object.values(errors).flat().length ? (
        <div className="alert alert--error" role="alert">
          {[...new Set(Object.values(errors).flat().filter(Boolean))].join(" ")}
        </div>
      ) : null}
      {result?.message ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      <p>
        <Link to={`/aterkoppling/${subject.id}/rapport`}>Läs din rapport</Link>
      </p>

      <h2>Så många har svarat</h2>
      <p>Du ser hur många i varje grupp som har svarat, aldrig vem. En grupp visas i rapporten först när minst tre har svarat.</p>
      <table>
        <caption className="visually-hidden">Svar per grupp</caption>
        <thead>
          <tr>
            <th scope="col">Grupp</th>
            <th scope="col">Inbjudna</th>
            <th scope="col">Har svarat</th>
            <th scope="col">Förslag</th>
          </tr>
        </thead>
        <tbody>
          {raterGroups.map((g) => (
            <tr key={g}>
              <th scope="row">{raterGroupLabels[g]}</th>
              <td>{invited[g]}</td>
              <td>{answered[g]}</td>
              <td>minst {SUGGESTED_RATERS[g]}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Du själv</th>
            <td>1</td>
            <td>{subject.selfAnsweredAt ? 1 : 0}</td>
            <td>1</td>
          </tr>
        </tbody>
      </table>

      {!subject.over ? (
        <section aria-labelledby="invite-heading">
          <h2 id="invite-heading">Bjud in bedömare</h2>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="invite" />
            <label htmlFor="group">Grupp</label>
            <select id="group" name="group" defaultValue="colleague">
              {raterGroups.map((g) => (
                <option key={g} value={g}>
                  {raterGroupLabels[g]}
                </option>
              ))}
            </select>
            <label htmlFor="emails">E-postadresser, en per rad</label>
            <textarea id="emails" name="emails" rows={4} aria-describedby={raterErrors.emails ? "emails-error" : undefined} aria-invalid={raterErrors.emails ? true : undefined} />
            {raterErrors.emails ? (
              <p id="emails-error" className="field-error">
                {raterErrors.emails.join(" ")}
              </p>
            ) : null}
            <label>
              <input type="checkbox" name="shownApart" value="on" /> Chefens svar visas som en egen grupp (chefen får veta det i inbjudan)
            </label>
            <button type="submit" className="button primary">
              Skicka inbjudan
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="remind" />
            <button type="submit" className="button">
              Påminn dem som inte har svarat
            </button>
          </Form>
        </section>
      ) : null}

      {raters.length ? (
        <section aria-labelledby="raters-heading">
          <h2 id="raters-heading">Inbjudna</h2>
          <ul className="plain-list">
            {raters.map((r) => (
              <li key={r.id}>
                {r.email ?? "(adressen raderad)"}, {raterGroupLabels[r.group].toLowerCase()}{" "}
                {!subject.over ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="raterId" value={r.id} />
                    <button type="submit" className="button link">
                      Återkalla länken<span className="visually-hidden"> för {r.email}</span>
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="share-heading">
        <h2 id="share-heading">Dela rapporten</h2>
        <p>
          Rapporten är din. Du kan dela den med programmets coacher och programledare, var och en för sig, och sluta dela när du vill. Den du
          delar med ser bara rapporten, inte dina svar eller vilka du bjöd in. Varje gång någon annan läser den loggas.
        </p>
        {shares.length ? (
          <ul className="plain-list">
            {shares.map((s) => (
              <li key={s.id}>
                Delad med {s.name}{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="unshare" />
                  <input type="hidden" name="shareId" value={s.id} />
                  <button type="submit" className="button link">
                    Sluta dela<span className="visually-hidden"> med {s.name}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p>Rapporten är inte delad med någon.</p>
        )}
        {recipients.length ? (
          <Form method="post" className="stack" key={shares.map((sh) => sh.id).join(",")}>
            <input type="hidden" name="intent" value="share" />
            <label htmlFor="userId">Dela med</label>
            <select id="userId" name="userId">
              {recipients.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} ({shareRecipientLabels[r.role]})
                </option>
              ))}
            </select>
            <button type="submit" className="button">
              Dela rapporten
            </button>
          </Form>
        ) : null}
      </section>

      {!subject.selfAnsweredAt && !subject.over ? (
        <section aria-labelledby="self-heading">
          <h2 id="self-heading">Ditt eget svar</h2>
          <p>Svara om dig själv på samma påståenden som dina bedömare.</p>
          <FeedbackAnswerFormWithIntent instrument={instrument} errors={result?.form === "self" ? errors : {}} />
        </section>
      ) : null}
    </div>
  );
}

function FeedbackAnswerFormWithIntent(props: Omit<Parameters<typeof FeedbackAnswerForm>[0], "submitLabel">) {
  return <FeedbackAnswerForm {...props} submitLabel="Spara mitt svar" intent="self" />;
}

export const ErrorBoundary = RouteErrorBoundary;
