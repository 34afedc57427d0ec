import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/route-error";
import { requireUserContext } from "~/auth/session.server";
import { changeOwnActionPlan, getOwnActionPlan } from "~/domain/action-plans.server";
import { actionPlanSchema, goalStatuses, MAX_GOALS } from "~/schemas/feedback";
import { goalStatusLabels } from "~/ui/feedback";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Min handlingsplan – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { plan: await getOwnActionPlan(ctx) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: actionPlanSchema });
  const result = await changeOwnActionPlan(ctx, submission);
  if (!result.ok) {
    const errors = submission.status === "error" ? (submission.error ?? {}) : { ...(result.fieldErrors ?? {}), ...(result.message ? { "": [result.message] } : {}) };
    return json({ error: errors, message: null, managerLink: null, at: Date.now() }, { status: result.status });
  }
  const link = result.value.managerLink ? `${context.config.publicUrl}${result.value.managerLink}` : null;
  return json({ error: {} as Record<string, string[] | null>, message: result.value.message, managerLink: link, at: Date.now() });
}

export default function ActionPlan() {
  const { plan } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string[] | null | undefined> = result?.error ?? {};
  if (!plan) {
    return (
      <div className="page">
        <h1>Min handlingsplan</h1>
        <p className="empty">Du har ingen omgång att skriva en handlingsplan för.</p>
      </div>
    );
  }
  const linkOptions = [...plan.dimensions.map((d) => ({ key: d.key, title: d.title })), { key: "programme", title: "Programmets mål" }];
  const titleOf = (key: string) => linkOptions.find((o) => o.key === key)?.title ?? key;
  const fieldError = (name: string) =>
    errors[name]?.length ? (
      <p id={`${name}-error`} className="field-error">
        {errors[name]!.join(" ")}
      </p>
    ) : null;
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/aterkoppling">360-återkoppling</Link>
          </li>
          <li aria-current="page">Min handlingsplan</li>
        </ol>
      </nav>
      <h1>Min handlingsplan</h1>
      <p className="lead">
        {plan.cohortName}. Skriv 1–{MAX_GOALS} mål utifrån din 360-rapport eller programmets mål. Programmet ser bara hur många mål som är uppnådda.
      </p>
      {result?.message ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {Object.values(errors).flat().length ? (
        <div className="alert alert--error" role="alert">
          {[...new Set(Object.values(errors).flat().filter(Boolean))].join(" ")}
        </div>
      ) : null}
      {result?.managerLink ? (
        <p className="notice">
          Länk till din chef (visas bara nu): <code>{result.managerLink}</code>
        </p>
      ) : null}

      {plan.goals.map((g, i) => (
        <section key={`${g.id}-${plan.version}`} className="card" aria-labelledby={`goal-${g.id}`}>
          <h2 id={`goal-${g.id}`}>
            Mål {i + 1}: {g.title}
          </h2>
          <p>Hör till: {titleOf(g.linked_to)}</p>
          <p>
            <strong>Så gör jag:</strong> {g.actions}
          </p>
          {g.manager_support ? (
            <p>
              <strong>Stöd från min chef:</strong> {g.manager_support}
            </p>
          ) : null}
          <p>
            {g.starts_on ? `Start ${g.starts_on}. ` : ""}
            {g.due_on ? `Klart ${g.due_on}.` : ""}
          </p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="progress" />
            <input type="hidden" name="goalId" value={g.id} />
            <fieldset>
              <legend>Hur långt har du kommit?</legend>
              {goalStatuses.map((s) => (
                <label key={s}>
                  <input type="radio" name="status" value={s} defaultChecked={g.status === s} /> {goalStatusLabels[s]}
                </label>
              ))}
            </fieldset>
            <label htmlFor={`reflection-${g.id}`}>Reflektion</label>
            <textarea id={`reflection-${g.id}`} name="reflection" rows={3} defaultValue={g.reflection} maxLength={2000} />
            <button type="submit" className="button">
              Spara läget<span className="visually-hidden"> för mål {i + 1}</span>
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="goalId" value={g.id} />
            <button type="submit" className="button link">
              Ta bort mål {i + 1}
            </button>
          </Form>
        </section>
      ))}

      {plan.goals.length < MAX_GOALS ? (
        <section aria-labelledby="new-goal">
          <h2 id="new-goal">Nytt mål</h2>
          <Form method="post" className="stack" key={`new-${plan.version}`}>
            <input type="hidden" name="intent" value="goal" />
            <label htmlFor="title">Mål</label>
            <input id="title" name="title" required maxLength={200} aria-invalid={errors.title ? true : undefined} aria-describedby={errors.title ? "title-error" : undefined} />
            {fieldError("title")}
            <label htmlFor="linkedTo">Hör till</label>
            <select id="linkedTo" name="linkedTo">
              {linkOptions.map((o) => (
                <option key={o.key} value={o.key}>
                  {o.title}
                </option>
              ))}
            </select>
            <label htmlFor="actions">Så gör jag (aktiviteter)</label>
            <textarea id="actions" name="actions" rows={3} required maxLength={3000} aria-invalid={errors.actions ? true : undefined} aria-describedby={errors.actions ? "actions-error" : undefined} />
            {fieldError("actions")}
            <label htmlFor="managerSupport">Stöd jag behöver från min chef</label>
            <textarea id="managerSupport" name="managerSupport" rows={2} maxLength={2000} />
            <label htmlFor="startsOn">Start (ÅÅÅÅ-MM-DD)</label>
            <input id="startsOn" name="startsOn" type="date" aria-describedby={errors.startsOn ? "startsOn-error" : undefined} />
            {fieldError("startsOn")}
            <label htmlFor="dueOn">Klart (ÅÅÅÅ-MM-DD)</label>
            <input id="dueOn" name="dueOn" type="date" aria-describedby={errors.dueOn ? "dueOn-error" : undefined} />
            {fieldError("dueOn")}
            <button type="submit" className="button primary">
              Lägg till målet
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="manager-heading">
        <h2 id="manager-heading">Dela med din chef</h2>
        <p>
          {plan.sharedWithManager
            ? "Din chef har en länk till planen (bara läsa). Gör en ny länk om den gamla har kommit bort; den gamla slutar då gälla."
            : "Du kan ge din chef en länk där planen går att läsa, utan konto."}
        </p>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="shareWithManager" />
          <button type="submit" className="button">
            {plan.sharedWithManager ? "Gör en ny länk" : "Skapa länk till chefen"}
          </button>
        </Form>
        {plan.sharedWithManager ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="stopSharing" />
            <button type="submit" className="button link">
              Sluta dela
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
