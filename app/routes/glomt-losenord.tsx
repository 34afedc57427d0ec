import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requestPasswordReset } from "~/auth/password-reset.server";
import { findUserContext } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { forgotPasswordSchema } from "~/schemas/auth";
import { refusalInit } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Glömt lösenord – Programportalen" }];

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await findUserContext(request, context)) throw redirect("/konto");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: forgotPasswordSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), sent: false }, { status: 400 });
  const result = await requestPasswordReset(context.db, { email: submission.value.email, ip: context.clientIp });
  if (!result.ok) return json({ result: submission.reply({ formErrors: result.message ? [result.message] : [] }), sent: false }, refusalInit(result));
  return json({ result: submission.reply({ resetForm: true }), sent: true });
}

export default function ForgotPassword() {
  const data = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult: data?.result,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>Glömt lösenord</h1>
      {data?.sent ? (
        <div className="alert alert--success" role="status">
          <p>
            <strong>Titta i din e-post.</strong> Om adressen hör till ett konto i Programportalen har vi skickat en länk dit. Öppna
            den inom 30 minuter för att välja ett nytt lösenord.
          </p>
          <p>Kommer inget meddelande? Titta i skräpposten, eller be din kommuns samordnare eller en administratör om hjälp.</p>
        </div>
      ) : (
        <p className="lead">Skriv e-postadressen du loggar in med, så skickar vi en länk där du väljer ett nytt lösenord.</p>
      )}
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.email} label="E-postadress" type="email" autoComplete="username" />
        <div>
          <SubmitButton className="button" busy={submitting}>
            {submitting ? "Skickar…" : "Skicka länk"}
          </SubmitButton>
        </div>
      </Form>
      <p>
        <Link to="/login">Tillbaka till inloggningen</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
