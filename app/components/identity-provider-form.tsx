import { SubmitButton } from "~/components/submit-button";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { FormErrors, SelectField, TextAreaField, TextField } from "~/components/form";
import { identityProviderSchema } from "~/schemas/identity-providers";

export interface ProviderFormValues {
  name: string;
  protocol: "oidc" | "saml";
  issuer: string;
  clientId: string;
  samlSsoUrl: string;
  samlSloUrl: string;
  samlCertificate: string;
  samlMetadataUrl?: string;
  emailDomains: string;
  municipalityIds: string[];
  passwordLoginAllowed: boolean;
  version?: number;
}

/** The add and edit form of an identity provider. The client secret is write-only: the form never holds the stored one. */
export function IdentityProviderForm({
  values,
  municipalities,
  hasClientSecret,
  lastResult,
  submitLabel,
}: {
  values: ProviderFormValues;
  municipalities: { id: number; name: string }[];
  hasClientSecret: boolean;
  lastResult?: SubmissionResult<string[]>;
  submitLabel: string;
}) {
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    defaultValue: { ...values, passwordLoginAllowed: values.passwordLoginAllowed ? "on" : undefined, version: values.version?.toString() },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: identityProviderSchema }),
  });
  const chosen = new Set(values.municipalityIds);
  const municipalityErrors = fields.municipalityIds.errors;
  return (
    <Form method="post" {...getFormProps(form)} className="form panel identity-provider-form">
      <FormErrors id={form.errorId} errors={form.errors} />
      {values.version ? <input {...getInputProps(fields.version, { type: "hidden" })} /> : null}
      <TextField field={fields.name} label="Namn" hint="Till exempel: Vimmerby kommun (Entra ID)." autoComplete="off" />
      <SelectField
        field={fields.protocol}
        label="Protokoll"
        options={[
          { value: "oidc", label: "OpenID Connect (Entra ID m.fl.)" },
          { value: "saml", label: "SAML 2.0 (ADFS m.fl.)" },
        ]}
      />
      <TextField
        field={fields.issuer}
        label="Utfärdare (issuer) eller SAML entity id"
        hint="OpenID Connect: utfärdarens adress. SAML: kan lämnas tom när du anger metadataadressen."
        autoComplete="off"
      />
      <fieldset className="oidc-only">
        <legend>OpenID Connect</legend>
        <TextField field={fields.clientId} label="Klient-id (application id)" autoComplete="off" />
        <TextField
          field={fields.clientSecret}
          label="Klienthemlighet (client secret)"
          type="password"
          autoComplete="new-password"
          hint={hasClientSecret ? "En hemlighet är sparad och visas aldrig. Lämna tomt för att behålla den." : "Sparas krypterad och visas aldrig igen."}
        />
      </fieldset>
      <fieldset className="saml-only">
        <legend>SAML 2.0</legend>
        <p className="hint">
          Enklast är metadataadressen: då hämtas entity id, in- och utloggningsadress och signeringscertifikat därifrån, och portalen hämtar metadatan igen
          varje dygn. När kommunen byter certifikat följer portalen med av sig själv.
        </p>
        <TextField
          field={fields.samlMetadataUrl}
          label="Metadataadress"
          hint="ADFS: https://<adfs-server>/FederationMetadata/2007-06/FederationMetadata.xml"
          autoComplete="off"
        />
        <details
          className="manual-saml"
          open={Boolean((values.samlSsoUrl && !values.samlMetadataUrl) || fields.samlMetadata.errors || fields.samlSsoUrl.errors || fields.samlSloUrl.errors || fields.samlCertificate.errors)}
        >
          <summary>Utan metadataadress: klistra in metadata eller fyll i själv</summary>
          <p className="hint">
            Används bara när metadataadressen är tom. Fält du fyller i går före inklistrad metadata. Utan metadataadress måste du själv lägga in nya
            certifikat när kommunen byter.
          </p>
          <TextAreaField field={fields.samlMetadata} label="Metadata (XML)" />
          <TextField field={fields.samlSsoUrl} label="Inloggningsadress (SingleSignOnService, HTTP-Redirect)" autoComplete="off" />
          <TextField field={fields.samlSloUrl} label="Utloggningsadress (SingleLogoutService, HTTP-Redirect)" hint="Tom: utloggningen avslutar bara Programportalen." autoComplete="off" />
          <TextAreaField field={fields.samlCertificate} label="Signeringscertifikat (PEM, ett eller flera)" />
        </details>
      </fieldset>
      <TextField field={fields.emailDomains} label="E-postdomäner" hint="Åtskilda med komma, till exempel vimmerby.se, skola.vimmerby.se." autoComplete="off" />
      <fieldset aria-describedby={municipalityErrors ? fields.municipalityIds.errorId : undefined}>
        <legend>Kommuner som loggar in här</legend>
        {municipalities.map((m) => (
          <label key={m.id} className="checkbox">
            <input type="checkbox" name={fields.municipalityIds.name} value={String(m.id)} defaultChecked={chosen.has(String(m.id))} /> {m.name}
          </label>
        ))}
        {municipalityErrors ? (
          <p id={fields.municipalityIds.errorId} className="field-error">
            {municipalityErrors.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <label className="checkbox">
        <input {...getInputProps(fields.passwordLoginAllowed, { type: "checkbox" })} /> Kopplade konton får också logga in med lösenord
      </label>
      <div>
        <SubmitButton className="button" busy={submitting}>
          {submitting ? "Sparar…" : submitLabel}
        </SubmitButton>
      </div>
    </Form>
  );
}
