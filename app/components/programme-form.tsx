import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors, SelectField, TextAreaField, TextField, unshownErrors } from "~/components/form";
import { fundings, programmeKinds, programmeSchema, type ProgrammeInput } from "~/schemas/programmes";
import { fundingLabels, programmeKindLabels } from "~/ui/labels";

interface Props {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<ProgrammeInput>;
  municipalities: { id: number; name: string }[];
  ownerChoices: { id: number; name: string }[];
  submitLabel: string;
  cancelTo: string;
}

/** The programme form, shared by the create and edit pages. */
export function ProgrammeForm({ lastResult, defaultValue, municipalities, ownerChoices, submitLabel, cancelTo }: Props) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: programmeSchema }),
  });
  const partners = fields.partnerMunicipalityIds;
  const checked = new Set((defaultValue?.partnerMunicipalityIds ?? []).map(String));
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      {/* One partner id that is not a municipality, or a bad hidden version (a tampered post), has no field of its own to show its error. */}
      <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name !== "version" && !/^partnerMunicipalityIds\[\d+\]$/.test(name))} />
      {defaultValue?.version ? <input type="hidden" name="version" value={defaultValue.version} /> : null}
      <TextField field={fields.name} label="Namn" />
      <div className="form-row">
        <SelectField
          field={fields.kind}
          label="Typ av program"
          placeholder="Välj typ"
          options={programmeKinds.map((k) => ({ value: k, label: programmeKindLabels[k] }))}
        />
        <SelectField
          field={fields.funding}
          label="Finansiering"
          placeholder="Välj finansiering"
          options={fundings.map((f) => ({ value: f, label: fundingLabels[f] }))}
        />
      </div>
      <SelectField
        field={fields.ownerMunicipalityId}
        label="Ägande kommun"
        hint="Ägaren är alltid också partner. Bara en systemadministratör kan byta ägare."
        placeholder={ownerChoices.length > 1 ? "Välj kommun" : undefined}
        options={ownerChoices.map((m) => ({ value: String(m.id), label: m.name }))}
      />
      <fieldset aria-describedby={partners.errors?.length ? partners.errorId : undefined}>
        <legend>Partnerkommuner</legend>
        <div className="checkbox-list">
          {municipalities.map((m) => (
            <label key={m.id} className="checkbox">
              <input type="checkbox" name={partners.name} value={String(m.id)} defaultChecked={checked.has(String(m.id))} />
              {m.name}
            </label>
          ))}
        </div>
        <div id={partners.errorId}>
          {partners.errors?.map((e) => (
            <p key={e} className="field-error">
              {e}
            </p>
          ))}
        </div>
      </fieldset>
      <TextField field={fields.esfProjectNumber} label="ESF-projektnummer (valfritt)" hint="Bara för ESF-finansierade program." />
      <div className="form-row">
        <TextField field={fields.startsOn} label="Startdatum" type="date" />
        <TextField field={fields.endsOn} label="Slutdatum" type="date" />
      </div>
      <TextAreaField field={fields.description} label="Beskrivning (valfri)" />
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
