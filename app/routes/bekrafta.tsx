import { SubmitButton } from "~/components/submit-button";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { loginSessionOf, requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { confirmIdentity } from "~/domain/account.server";
import { confirmIdentitySchema } from "~/schemas/auth";
import { replyWithInvalidInput, replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { safeRedirect } from "~/utils/redirect";

export const meta: MetaFunction = () => [{ title: "Bekräfta att det är du – Programportalen" }];

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserContext(request, context);
  return { redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo")) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: confirmIdentitySchema });
  if (submission.status !== "success") return replyWithInvalidInput(submission);
  const result = await confirmIdentity(ctx, submission.value.password, { loginSessionKey: loginSessionOf(ctx).key, clientIp: context.clientIp });
  if (!result.ok) return replyWithRefusal(submission, result, { hideFields: ["password"] });
  return redirect(safeRedirect(submission.value.redirectTo));
}

export default function ConfirmIdentity() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    defaultValue: { redirectTo },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmIdentitySchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>Bekräfta att det är du</h1>
      <p className="lead">
        Det du ska göra ändrar behörigheter eller tar bort personuppgifter. Skriv ditt lösenord igen, så kan du fortsätta i 15 minuter.
      </p>
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.redirectTo, { type: "hidden" })} />
        <TextField field={fields.password} label="Lösenord" type="password" autoComplete="current-password" />
        <div>
          <SubmitButton className="button" busy={submitting}>
            {submitting ? "Kontrollerar…" : "Bekräfta"}
          </SubmitButton>
        </div>
      </Form>
      <p>
        <Link to={redirectTo}>Avbryt</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
