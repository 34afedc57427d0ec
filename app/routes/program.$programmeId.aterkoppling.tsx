import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/route-error";
import { requireUserContext } from "~/auth/session.server";
import { changeRound, getFeedbackAdmin, saveInstrument } from "~/domain/feedback-rounds.server";
import { instrumentSchema, roundSchema } from "~/schemas/feedback";
import { roundKindLabels } from "~/ui/feedback";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "360-återkoppling – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getFeedbackAdmin(ctx, idParam(params.programmeId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  const form = await readFormData(request);
  const isInstrument = form.get("intent") === "instrument";
  let submission;
  let result;
  if (isInstrument) {
    submission = parseWithZod(form, { schema: instrumentSchema });
    result = await saveInstrument(ctx, programmeId, submission);
  } else {
    submission = parseWithZod(form, { schema: roundSchema });
    result = await changeRound(ctx, programmeId, submission, { mailOutboxDir: context.config.mailOutboxDir });
  }
  if (!result.ok) {
    const errors = submission.status === "error" ? (submission.error ?? {}) : { ...(result.fieldErrors ?? {}), ...(result.message ? { "": [result.message] } : {}) };
    return json({ form: isInstrument ? "instrument" : "round", error: errors, message: null }, { status: result.status });
  }
  return json({ form: isInstrument ? "instrument" : "round", error: {} as Record<string, string[] | null>, message: isInstrument ? "Frågeformuläret är sparat." : "Rundan är ändrad." });
}

export default function FeedbackAdmin() {
  const { programme, instrument, cohorts, shared } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string[] | null | undefined> = result?.error ?? {};
  const allErrors = Object.values(errors).flat().filter(Boolean) as string[];
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${programme.id}`}>{programme.name}</Link>
          </li>
          <li aria-current="page">360-återkoppling</li>
        </ol>
      </nav>
      <h1>360-återkoppling</h1>
      <p className="lead">
        Deltagarna svarar själva och bjuder in chef, kollegor och medarbetare. Du ser hur många som har svarat, aldrig svaren; en rapport ser du bara
        om deltagaren delar den med dig.
      </p>
      {result?.message ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {allErrors.length ? (
        <div className="alert alert--error" role="alert">
          {allErrors.join(" ")}
        </div>
      ) : null}

      <h2>Omgångar och rundor</h2>
      {cohorts.map((c) => (
        <section key={c.id} aria-labelledby={`cohort-${c.id}`}>
          <h3 id={`cohort-${c.id}`}>{c.name}</h3>
          {c.rounds.length ? (
            <ul className="plain-list">
              {c.rounds.map((r) => (
                <li key={r.id}>
                  {roundKindLabels[r.kind]}: {r.selfAnswered} av {r.subjects} deltagare har svarat själva,{" "}
                  {r.closedAt ? "avslutad" : r.over ? `sista svarsdag ${r.closesOn} har passerat` : `öppen till ${r.closesOn}`}
                  {!r.closedAt ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="close" />
                      <input type="hidden" name="roundId" value={r.id} />
                      <button type="submit" className="button link">
                        Stäng rundan<span className="visually-hidden"> {roundKindLabels[r.kind]} i {c.name}</span>
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p>Ingen runda än.</p>
          )}
          {c.rounds.length < 2 ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="open" />
              <input type="hidden" name="cohortId" value={c.id} />
              <input type="hidden" name="kind" value={c.rounds.length ? "follow_up" : "first"} />
              <label htmlFor={`closes-${c.id}`}>Sista svarsdag ({c.rounds.length ? "uppföljning" : "första rundan"})</label>
              <input id={`closes-${c.id}`} name="closesOn" type="date" required />
              <button type="submit" className="button">
                Öppna {c.rounds.length ? "uppföljningsrunda" : "första rundan"}<span className="visually-hidden"> för {c.name}</span>
              </button>
            </Form>
          ) : null}
        </section>
      ))}

      <h2>Rapporter som delats med dig</h2>
      {shared.length ? (
        <ul className="plain-list">
          {shared.map((s) => (
            <li key={s.subjectId}>
              <Link to={`/aterkoppling/${s.subjectId}/rapport`}>
                {s.firstName} {s.lastName}, {s.cohortName} ({roundKindLabels[s.kind].toLowerCase()})
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>Ingen deltagare har delat sin rapport med dig.</p>
      )}

      <h2>Frågeformulär (version {instrument.version})</h2>
      <p>
        {instrument.answered
          ? "Formuläret har svar. Sparar du ändringar blir det en ny version som gäller för rundor du öppnar härefter; svaren som finns behåller sin version."
          : "Inga svar än: ändringar gäller direkt."}
      </p>
      <Form method="post" className="stack" key={`${instrument.version}-${JSON.stringify(instrument.content).length}`}>
        <input type="hidden" name="intent" value="instrument" />
        {instrument.content.dimensions.map((d, i) => (
          <fieldset key={d.key}>
            <legend>{d.title}</legend>
            <input type="hidden" name={`dimensions[${i}].key`} value={d.key} />
            <label htmlFor={`dim-title-${i}`}>Namn</label>
            <input id={`dim-title-${i}`} name={`dimensions[${i}].title`} defaultValue={d.title} required maxLength={80} />
            <label htmlFor={`dim-st-${i}`}>Påståenden, ett per rad</label>
            <textarea id={`dim-st-${i}`} name={`dimensions[${i}].statements`} rows={5} defaultValue={d.statements.map((s) => s.text).join("\n")} required />
          </fieldset>
        ))}
        <label htmlFor="question1">Första fritextfrågan</label>
        <input id="question1" name="question1" defaultValue={instrument.content.questions[0]} required maxLength={300} />
        <label htmlFor="question2">Andra fritextfrågan</label>
        <input id="question2" name="question2" defaultValue={instrument.content.questions[1]} required maxLength={300} />
        <button type="submit" className="button primary">
          Spara frågeformuläret
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
