import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { loginSessionOf, requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { changeOwnPassword } from "~/domain/account.server";
import { changePasswordSchema } from "~/schemas/account";
import { refusalInit } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Mitt konto – Programportalen" }];

/** A refused password check tells the client when it may try again. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { name: ctx.user.name, email: ctx.user.email, passwordChangeRequired: loginSessionOf(ctx).passwordChangeRequired };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: changePasswordSchema });
  const hide = { hideFields: ["currentPassword", "newPassword", "repeatPassword"] };
  if (submission.status !== "success") return json({ result: submission.reply(hide), changed: false }, { status: 400 });
  const loginSession = loginSessionOf(ctx);
  const result = await changeOwnPassword(ctx, submission.value, { loginSessionKey: loginSession.key, clientIp: context.clientIp });
  if (!result.ok) {
    const reply = submission.reply({ ...hide, formErrors: result.message ? [result.message] : undefined, fieldErrors: result.fieldErrors });
    return json({ result: reply, changed: false }, refusalInit(result));
  }
  // A one-time password is changed: the pages it held back open now.
  if (loginSession.passwordChangeRequired) throw redirect("/");
  return json({ result: submission.reply({ resetForm: true }), changed: true });
}

export default function Account() {
  const { name, email, passwordChangeRequired } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult: data?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  return (
    <div className="page">
      <h1>Mitt konto</h1>
      <dl className="facts panel">
        <dt>Namn</dt>
        <dd>{name}</dd>
        <dt>E-postadress</dt>
        <dd>{email}</dd>
      </dl>
      {passwordChangeRequired ? (
        <div className="alert alert--info" role="status">
          <p>
            <strong>Välj ett eget lösenord innan du fortsätter.</strong> Du loggade in med ett engångslösenord som någon annan gav dig.
          </p>
        </div>
      ) : null}
      <h2>Byt lösenord</h2>
      {data?.changed ? (
        <p className="alert alert--success" role="status">
          Lösenordet är bytt. Du har loggats ut på alla andra enheter.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField
          field={fields.currentPassword}
          label={passwordChangeRequired ? "Engångslösenordet" : "Nuvarande lösenord"}
          type="password"
          autoComplete="current-password"
        />
        <TextField
          field={fields.newPassword}
          label="Nytt lösenord"
          type="password"
          autoComplete="new-password"
          hint="Minst 12 tecken och svårt att gissa: en mening med fyra eller fler ord är både säker och lätt att komma ihåg. Ett årtal och !! gör inte ett vanligt ord säkert."
        />
        <TextField field={fields.repeatPassword} label="Nytt lösenord igen" type="password" autoComplete="new-password" />
        <div>
          <button type="submit" className="button" disabled={submitting}>
            {submitting ? "Byter lösenord…" : "Byt lösenord"}
          </button>
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
