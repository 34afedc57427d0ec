import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { sessionSchema, SESSION_KINDS } from "~/schemas/sessions";
import { sessionKindLabels } from "~/ui/labels";
import { FormErrors, SelectField, TextAreaField, TextField } from "./form";

export interface SessionFormProps {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, string>;
  hostOptions: { id: number; name: string }[];
  submitLabel: string;
  cancelTo: string;
}

/** The session (Träff) form for both planning a new session and editing or moving one. */
export function SessionForm({ lastResult, defaultValue, hostOptions, submitLabel, cancelTo }: SessionFormProps) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "session-form",
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: sessionSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      {/* The hidden sequence has no field of its own to show its error. */}
      <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.sequence.errors ?? [])]} />
      {defaultValue?.sequence ? <input type="hidden" name="sequence" value={defaultValue.sequence} /> : null}
      <TextField field={fields.title} label="Rubrik" />
      <SelectField
        field={fields.kind}
        label="Typ av träff"
        placeholder="Välj typ"
        options={SESSION_KINDS.map((k) => ({ value: k, label: sessionKindLabels[k] }))}
      />
      <fieldset className="form">
        <legend>När (svensk tid)</legend>
        <div className="form-row">
          <TextField field={fields.startDate} label="Datum" type="date" />
          <TextField field={fields.startTime} label="Starttid" type="time" />
          <TextField field={fields.endTime} label="Sluttid" type="time" />
        </div>
        <TextField
          field={fields.endDate}
          label="Slutdatum (valfritt)"
          type="date"
          hint="Fyll i bara om träffen slutar en annan dag, till exempel efter midnatt."
        />
      </fieldset>
      <fieldset className="form">
        <legend>Var</legend>
        <SelectField
          field={fields.hostMunicipalityId}
          label="Värdkommun"
          placeholder={hostOptions.length > 1 ? "Välj kommun" : undefined}
          options={hostOptions.map((m) => ({ value: String(m.id), label: m.name }))}
        />
        <TextField field={fields.venue} label="Lokal" hint="Till exempel Stadshuset, sal Linden." />
        <TextField field={fields.address} label="Adress" hint="Gatuadress och ort." />
        <TextField field={fields.meetingUrl} label="Möteslänk" type="url" hint="För digitala träffar: en länk som börjar med https://." />
      </fieldset>
      <TextField field={fields.facilitator} label="Kursledare" />
      <TextAreaField field={fields.description} label="Beskrivning" hint="Det deltagarna behöver veta: vad som ska förberedas, mat, parkering." />
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
