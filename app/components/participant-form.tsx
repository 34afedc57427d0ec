import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/form";
import { EDUCATION_LEVELS, GENDERS, participantSchema, type ParticipantInput } from "~/schemas/participants";
import { educationLabels, genderLabels } from "~/ui/labels";

const genderOptions = GENDERS.map((g) => ({ value: g, label: genderLabels[g] }));
const educationOptions = EDUCATION_LEVELS.map((e) => ({ value: e, label: educationLabels[e] }));

/** The add and edit form for a participant. */
export function ParticipantForm({
  id,
  lastResult,
  defaultValue,
  submitLabel,
  cancelTo,
}: {
  id: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<Record<keyof ParticipantInput, string>>;
  submitLabel: string;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: participantSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="form-row">
        <TextField field={fields.firstName} label="Förnamn" autoComplete="off" />
        <TextField field={fields.lastName} label="Efternamn" autoComplete="off" />
      </div>
      <TextField field={fields.email} label="E-postadress i tjänsten" type="email" autoComplete="off" />
      <div className="form-row">
        <TextField field={fields.department} label="Förvaltning" />
        <TextField field={fields.title} label="Befattning (frivilligt)" />
      </div>
      <div className="form-row">
        <SelectField field={fields.gender} label="Kön" options={genderOptions} placeholder="Välj" />
        <TextField field={fields.birthYear} label="Födelseår" type="number" hint="Fyra siffror, till exempel 1985." />
      </div>
      <TextField
        field={fields.personnummer}
        label="Personnummer (frivilligt)"
        autoComplete="off"
        hint="ÅÅÅÅMMDD-NNNN. Samordningsnummer går också bra. Används bara för rapportering till ESF och SCB och visas annars maskerat."
      />
      <div className="form-row">
        <SelectField field={fields.educationLevel} label="Utbildningsnivå (frivilligt)" options={educationOptions} placeholder="Inte angiven" />
        <TextField field={fields.salaryGroup} label="Lönegrupp" hint="För beräkning av medfinansiering." />
      </div>
      <div className="form-row">
        <TextField field={fields.managerName} label="Närmaste chef (frivilligt)" hint="Chefen som attesterar tidrapporterna. Står på intyget." />
        <TextField field={fields.managerEmail} label="Chefens e-postadress (frivilligt)" type="email" autoComplete="off" />
      </div>
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
