import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import {
  completeSecondStep,
  endSecondStep,
  pendingSecondStep,
} from "~/auth/login.server";
import { startLoginSession } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { codeSchema } from "~/schemas/auth";
import { readFormData } from "~/utils/form-data.server";
import { safeRedirect } from "~/utils/redirect";

export const meta: MetaFunction = () => [
  { title: "Tvåstegsverifiering – Programportalen" },
];

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

const tooMany = (seconds: number) =>
  `För många felaktiga koder. Vänta ${seconds === 1 ? "1 sekund" : `${seconds} sekunder`} och försök igen.`;
const WRONG =
  "Koden stämmer inte. Skriv de sex siffrorna som appen visar just nu, eller en oanvänd reservkod.";

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await pendingSecondStep(context, request))) throw redirect("/login");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  // The body is read (under its limits) first, so an oversized one is a 413 whoever sends it.
  const formData = await readFormData(request);
  const pending = await pendingSecondStep(context, request);
  if (!pending) throw redirect("/login");
  const submission = parseWithZod(formData, { schema: codeSchema });
  if (submission.status !== "success")
    return json(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const checked = await completeSecondStep(
    context,
    pending.userId,
    submission.value.code
  );
  if (!checked.ok) {
    const wait = checked.retryAfterSeconds;
    return json(
      submission.reply({
        fieldErrors: { code: [wait ? tooMany(wait) : WRONG] },
        hideFields: ["code"],
      }),
      {
        status: wait ? 429 : 400,
        headers: wait ? { "Retry-After": String(wait) } : undefined,
      }
    );
  }
  const headers = new Headers();
  headers.append(
    "Set-Cookie",
    await startLoginSession(context, pending.userId)
  );
  headers.append("Set-Cookie", await endSecondStep(context));
  // A used recovery code is one fewer: Mitt konto shows how many are left.
  return redirect(
    checked.usedRecoveryCode ? "/konto" : safeRedirect(pending.redirectTo),
    { headers }
  );
}

export default function SecondStep() {
  const lastResult = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: codeSchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>Tvåstegsverifiering</h1>
      <p className="lead">
        Öppna autentiseringsappen i din telefon och skriv koden den visar för
        Programportalen.
      </p>
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField
          field={fields.code}
          label="Kod"
          autoComplete="one-time-code"
          hint="Sex siffror. Har du inte telefonen kan du skriva en av dina reservkoder; varje reservkod fungerar en gång."
        />
        <div>
          <SubmitButton className="button" busy={submitting}>
            {submitting ? "Kontrollerar…" : "Logga in"}
          </SubmitButton>
        </div>
      </Form>
      <p>
        <Link to="/login">Avbryt och börja om</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
