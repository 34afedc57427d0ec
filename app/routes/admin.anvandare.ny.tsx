import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { createUserAccount, requireUserCreation } from "~/domain/users.server";
import { newUserSchema } from "~/schemas/users";
import { refusalInit } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Ny användare – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  await requireUserCreation(ctx);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: newUserSchema });
  const input = submission.status === "success" ? submission.value : null;
  const result = await createUserAccount(ctx, input);
  if (!result.ok) {
    const reply = submission.reply({ formErrors: result.message ? [result.message] : undefined, fieldErrors: result.fieldErrors });
    return json({ result: reply, created: null }, refusalInit(result));
  }
  return json({ result: submission.reply({ resetForm: true }), created: { ...result.value, email: input!.email } });
}

export default function NewUser() {
  const data = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult: data?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newUserSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/admin/anvandare">Användare</Link>
          </li>
          <li aria-current="page">Ny användare</li>
        </ol>
      </nav>
      <h1>Ny användare</h1>
      {data?.created ? (
        <div className="alert alert--success" role="status">
          <p>
            Användaren {data.created.email} är skapad. Engångslösenord: <strong>{data.created.password}</strong>
          </p>
          <p>
            Lösenordet visas bara nu. Lämna det till användaren på ett säkert sätt; hen måste byta det vid första inloggningen. Har
            hen tappat bort det kan du skicka en länk för nytt lösenord från användarens sida.
          </p>
          <p>
            <Link to={`/admin/anvandare/${data.created.userId}`}>Ge användaren en roll</Link>
          </p>
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.name} label="Namn" autoComplete="off" />
        <TextField field={fields.email} label="E-postadress" type="email" autoComplete="off" />
        <div>
          <SubmitButton className="button" busy={submitting}>
            {submitting ? "Skapar användare…" : "Skapa användare"}
          </SubmitButton>
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
