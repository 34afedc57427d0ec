import { Form } from "@remix-run/react";
import type { Instrument } from "~/domain/feedback.server";
import { scoreLabels } from "~/ui/feedback";

/** The questionnaire as radio groups (1–5 and "kan inte bedöma") with the two free-text questions. */
export function FeedbackAnswerForm({
  instrument,
  errors,
  submitLabel,
  intent,
}: {
  instrument: Instrument;
  errors: Record<string, string[] | null | undefined>;
  submitLabel: string;
  intent?: string;
}) {
  return (
    <Form method="post" className="stack feedback-form">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {Object.values(errors).flat().length ? (
        <div className="alert alert--error" role="alert">
          {[...new Set(Object.values(errors).flat().filter(Boolean))].join(" ")}
        </div>
      ) : null}
      {instrument.dimensions.map((d) => (
        <section key={d.key} aria-labelledby={`dim-${d.key}`}>
          <h2 id={`dim-${d.key}`}>{d.title}</h2>
          {d.statements.map((st) => {
            const error = errors[`scores.${st.id}`];
            return (
              <fieldset key={st.id} className="score-group" aria-describedby={error ? `err-${st.id}` : undefined}>
                <legend>{st.text}</legend>
                <div className="score-options">
                  {[1, 2, 3, 4, 5, 0].map((v) => (
                    <label key={v}>
                      <input type="radio" name={`scores.${st.id}`} value={String(v)} required /> {scoreLabels[v]}
                    </label>
                  ))}
                </div>
                {error ? (
                  <p id={`err-${st.id}`} className="field-error">
                    {error.join(" ")}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
        </section>
      ))}
      <h2>Med egna ord</h2>
      <label htmlFor="answer1">{instrument.questions[0]}</label>
      <textarea id="answer1" name="answer1" rows={4} maxLength={2000} />
      <label htmlFor="answer2">{instrument.questions[1]}</label>
      <textarea id="answer2" name="answer2" rows={4} maxLength={2000} />
      <button type="submit" className="button primary">
        {submitLabel}
      </button>
    </Form>
  );
}
