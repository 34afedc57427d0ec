import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  authenticateWithPassword,
  beginSecondStep,
  GENERIC_LOGIN_ERROR,
  LoginFailed,
  loginRetryAfter,
  needsSecondFactor,
  recordMalformedLoginForm,
} from "~/auth/login.server";
import { findUserContext, startLoginSession } from "~/auth/session.server";
import { passwordLoginBlocked, providerForEmail, SSO_REFUSAL_MESSAGES } from "~/auth/sso-accounts.server";
import { startOidcLogin } from "~/auth/sso-oidc.server";
import { SAML_LOGOUT_MESSAGES } from "~/auth/sso-saml-logout.server";
import { startSamlLogin } from "~/auth/sso-saml.server";
import { homeRealmSchema } from "~/schemas/identity-providers";
import { FormErrors, TextField, unshownErrors } from "~/components/form";
import { loginSchema } from "~/schemas/auth";
import { safeRedirect } from "~/utils/redirect";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Logga in – Programportalen" }];

/** A refused login tells the client when it may try again. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await findUserContext(request, context)) throw redirect("/");
  const params = new URL(request.url).searchParams;
  const reason = params.get("sso");
  const loggedOut = params.get("utloggad");
  return {
    ssoRefusal: reason && reason in SSO_REFUSAL_MESSAGES ? SSO_REFUSAL_MESSAGES[reason as keyof typeof SSO_REFUSAL_MESSAGES] : null,
    samlLogout: loggedOut && loggedOut in SAML_LOGOUT_MESSAGES ? { confirmed: loggedOut === "kommun", message: SAML_LOGOUT_MESSAGES[loggedOut as keyof typeof SAML_LOGOUT_MESSAGES] } : null,
  };
}

const NO_IDP_FOR_DOMAIN = "Din e-postdomän har ingen egen inloggning kopplad till Programportalen. Logga in med ditt lösenord.";
const PASSWORD_NOT_ALLOWED = "Ditt konto loggar in via din kommuns inloggning. Välj ”Logga in via min kommun”.";

const tooManyTries = (seconds: number) =>
  `För många misslyckade inloggningar härifrån eller till kontot. Vänta ${seconds} sekunder och försök igen.`;

export async function action({ request, context }: ActionFunctionArgs) {
  // An address that is already held back gets no further than this, not even to the body.
  const addressWait = await loginRetryAfter(context);
  if (addressWait > 0) {
    return json({ status: "error" as const, error: { "": [tooManyTries(addressWait)] } }, { status: 429, headers: { "Retry-After": String(addressWait) } });
  }
  let formData: FormData;
  try {
    formData = await readFormData(request);
  } catch (refusal) {
    await recordMalformedLoginForm(context);
    throw refusal;
  }
  if (formData.get("intent") === "sso") {
    // Home-realm discovery: the address's domain decides where this person logs in.
    const realm = parseWithZod(formData, { schema: homeRealmSchema });
    if (realm.status !== "success") return json(realm.reply({ hideFields: ["password"] }), { status: 400 });
    const provider = await providerForEmail(context.db, realm.value.email);
    if (!provider) return json(realm.reply({ formErrors: [NO_IDP_FOR_DOMAIN], hideFields: ["password"] }), { status: 400 });
    const start = provider.protocol === "oidc" ? startOidcLogin : startSamlLogin;
    const started = await start(context, provider.id, safeRedirect(realm.value.redirectTo)).catch(() => null);
    if (!started) return json(realm.reply({ formErrors: [SSO_REFUSAL_MESSAGES.flow], hideFields: ["password"] }), { status: 502 });
    return redirect(started.url, { headers: { "Set-Cookie": started.cookie } });
  }
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== "success") {
    await recordMalformedLoginForm(context);
    return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const wait = await loginRetryAfter(context, submission.value.email);
  if (wait > 0) {
    return json(submission.reply({ formErrors: [tooManyTries(wait)], hideFields: ["password"] }), {
      status: 429,
      headers: { "Retry-After": String(wait) },
    });
  }
  try {
    const userId = await authenticateWithPassword(request, formData, context);
    const redirectTo = safeRedirect(submission.value.redirectTo);
    if (await passwordLoginBlocked(context.db, userId)) {
      return json(submission.reply({ formErrors: [PASSWORD_NOT_ALLOWED], hideFields: ["password"] }), { status: 403 });
    }
    if (await needsSecondFactor(context, userId)) {
      return redirect("/tvastegskod", { headers: { "Set-Cookie": await beginSecondStep(context, userId, redirectTo) } });
    }
    const cookie = await startLoginSession(context, userId);
    return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    if (!(error instanceof LoginFailed)) throw error;
    return json(submission.reply({ formErrors: [GENERIC_LOGIN_ERROR], hideFields: ["password"] }), { status: 401 });
  }
}

export default function Login() {
  const { ssoRefusal, samlLogout } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    // "Logga in via min kommun" needs only the address: checked against the password form's schema, it never left the page.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: formData.get("intent") === "sso" ? homeRealmSchema : loginSchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>Logga in</h1>
      <p className="lead">Programportalen för kommunernas gemensamma trainee- och ledarprogram.</p>
      {searchParams.get("losenord") === "nytt" ? (
        <p className="alert alert--success" role="status">
          Ditt nya lösenord är sparat och du är utloggad överallt. Logga in med det nya lösenordet.
        </p>
      ) : null}
      {samlLogout ? (
        <p className={samlLogout.confirmed ? "alert alert--success" : "alert alert--warning"} role="status">
          {samlLogout.message}
        </p>
      ) : null}
      {ssoRefusal ? (
        <p className="alert alert--error" role="alert">
          {ssoRefusal}
        </p>
      ) : null}
      <p>
        Har din kommun egen inloggning (till exempel Microsoft-kontot du har på jobbet)? Skriv din e-postadress och välj{" "}
        <strong>Logga in via min kommun</strong>, så skickas du dit. Annars loggar du in med e-postadress och lösenord.
      </p>
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={unshownErrors(form, ["email", "password"])} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <TextField field={fields.email} label="E-postadress" type="email" autoComplete="username" />
        <TextField field={fields.password} label="Lösenord" type="password" autoComplete="current-password" />
        <div>
          <SubmitButton className="button" busy={navigation.state === "submitting"}>
            Logga in
          </SubmitButton>{" "}
          <SubmitButton name="intent" value="sso" formNoValidate className="button button--secondary" busy={navigation.state === "submitting"}>
            Logga in via min kommun
          </SubmitButton>
        </div>
      </Form>
      <p>
        <Link to="/glomt-losenord">Glömt lösenord?</Link>
      </p>
    </div>
  );
}
