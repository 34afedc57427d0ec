import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { resetLinkIsLive, resetPasswordWithLink } from "~/auth/password-reset.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { INVALID_LINK_MESSAGE, newPasswordSchema } from "~/schemas/auth";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Välj nytt lösenord – Programportalen" }];

const hide = { hideFields: ["newPassword", "repeatPassword"] };

export async function loader({ params, context }: LoaderFunctionArgs) {
  return { live: await resetLinkIsLive(context.db, params.token ?? "") };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: newPasswordSchema });
  if (submission.status !== "success") return json(submission.reply(hide), { status: 400 });
  const result = await resetPasswordWithLink(context.db, { token: params.token ?? "", newPassword: submission.value.newPassword });
  if (!result.ok) return replyWithRefusal(submission, result, hide);
  return redirect("/login?losenord=nytt");
}

export default function NewPassword() {
  const { live } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newPasswordSchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>Välj nytt lösenord</h1>
      {live ? (
        <Form method="post" {...getFormProps(form)} className="form panel">
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField
            field={fields.newPassword}
            label="Nytt lösenord"
            type="password"
            autoComplete="new-password"
            hint="Minst 12 tecken och svårt att gissa: en mening med fyra eller fler ord är både säker och lätt att komma ihåg."
          />
          <TextField field={fields.repeatPassword} label="Nytt lösenord igen" type="password" autoComplete="new-password" />
          <p className="hint">När du har sparat loggas du ut överallt där du är inloggad, och loggar in med det nya lösenordet.</p>
          <div>
            <SubmitButton className="button" busy={submitting}>
              {submitting ? "Sparar…" : "Spara nytt lösenord"}
            </SubmitButton>
          </div>
        </Form>
      ) : (
        <div className="alert alert--error" role="alert">
          <p>{INVALID_LINK_MESSAGE}</p>
        </div>
      )}
      <p>
        <Link to="/glomt-losenord">Be om en ny länk</Link> · <Link to="/login">Logga in</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
