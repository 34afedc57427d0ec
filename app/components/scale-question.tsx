/**
 * One statement answered on a 1–5 scale: a fieldset whose legend is the
 * statement, a radio per step with its words, and the field's errors tied to
 * it. Used by the session evaluation and the self-rating.
 */
export function ScaleQuestion<V extends number>({
  name,
  legend,
  errorId,
  steps,
  labels,
  errors,
}: {
  name: string;
  legend: string;
  errorId: string;
  steps: readonly V[];
  labels: Record<V, string>;
  errors: string[] | undefined;
}) {
  const invalid = errors?.length ? true : undefined;
  return (
    <fieldset className="field scale" aria-describedby={invalid ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="scale__options">
        {steps.map((v) => (
          <label key={v} className="scale__option">
            <input type="radio" name={name} value={v} required aria-invalid={invalid} /> {labels[v]}
          </label>
        ))}
      </div>
      <div id={errorId}>
        {errors?.map((e) => (
          <p key={e} className="field-error">
            {e}
          </p>
        ))}
      </div>
    </fieldset>
  );
}
