import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
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
  return null;
}

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
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
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
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={unshownErrors(form, ["email", "password"])} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <TextField field={fields.email} label="E-postadress" type="email" autoComplete="username" />
        <TextField field={fields.password} label="Lösenord" type="password" autoComplete="current-password" />
        <div>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            Logga in
          </button>
        </div>
      </Form>
      <p>
        <Link to="/glomt-losenord">Glömt lösenord?</Link>
      </p>
    </div>
  );
}
