import { SubmitButton } from "~/components/submit-button";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors, TextField, unshownErrors } from "~/components/form";
import { cohortSchema, type CohortInput } from "~/schemas/programmes";

interface Props {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue: Partial<CohortInput> & { seats: CohortInput["seats"] };
  /** One per seat row, in the same order: the municipality's name and the seats already in use. */
  partners: { id: number; name: string; occupied?: number }[];
  submitLabel: string;
  cancelTo: string;
}

/** The cohort form with one seat field per partner municipality, for the create and edit pages. */
export function CohortForm({ lastResult, defaultValue, partners, submitLabel, cancelTo }: Props) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cohortSchema }),
  });
  const seatFields = fields.seats.getFieldList();
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <FormErrors
        id={form.errorId}
        errors={unshownErrors(form, (name) => ["name", "startsOn", "endsOn", "capacity", "seats"].includes(name) || /^seats\[\d+\]\.seats$/.test(name))}
      />
      <TextField field={fields.name} label="Namn" hint="Till exempel Omgång 3." />
      <div className="form-row">
        <TextField field={fields.startsOn} label="Startdatum" type="date" />
        <TextField field={fields.endsOn} label="Slutdatum" type="date" />
      </div>
      <TextField field={fields.capacity} label="Platser totalt" type="number" hint="Kommunernas platser tillsammans får inte vara fler." />
      <fieldset aria-describedby={fields.seats.errors?.length ? fields.seats.errorId : undefined}>
        <legend>Platser per kommun</legend>
        <div id={fields.seats.errorId}>
          {fields.seats.errors?.map((e) => (
            <p key={e} className="field-error">
              {e}
            </p>
          ))}
        </div>
        <div className="seat-fields">
          {seatFields.map((item, index) => {
            const row = item.getFieldset();
            const partner = partners[index];
            const { key: hiddenKey, ...hidden } = getInputProps(row.municipalityId, { type: "hidden" });
            return (
              <div key={item.key}>
                <input key={hiddenKey} {...hidden} />
                <TextField
                  field={row.seats}
                  label={partner?.name ?? "Kommun"}
                  type="number"
                  hint={partner?.occupied ? `${partner.occupied} i bruk` : undefined}
                />
              </div>
            );
          })}
        </div>
      </fieldset>
      <div className="actions">
        <SubmitButton className="button" busy={navigation.state === "submitting"}>
          {submitLabel}
        </SubmitButton>
        <Link to={cancelTo} className="button button--quiet">
          Avbryt
        </Link>
      </div>
    </Form>
  );
}
