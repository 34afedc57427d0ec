import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { loginSessionOf, requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { TwoFactorSection, type TwoFactorAnswer } from "~/components/two-factor-section";
import { changeOwnPassword } from "~/domain/account.server";
import { confirmTwoFactorEnrolment, disableTwoFactor, startTwoFactorEnrolment, twoFactorView } from "~/domain/two-factor.server";
import { changePasswordSchema } from "~/schemas/account";
import { twoFactorFormSchema } from "~/schemas/auth";
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
  return {
    name: ctx.user.name,
    email: ctx.user.email,
    passwordChangeRequired: loginSessionOf(ctx).passwordChangeRequired,
    twoFactor: await twoFactorView(ctx),
  };
}

const TWO_FACTOR_INTENTS = ["two-factor-start", "two-factor-confirm", "two-factor-disable"] as const;

async function twoFactorAction(ctx: Awaited<ReturnType<typeof requireUserContext>>, formData: FormData, clientIp: string) {
  const parsed = twoFactorFormSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const error = parsed.error.issues[0]?.message ?? "Formuläret gick inte att läsa.";
    const answer: TwoFactorAnswer = { intent: String(formData.get("intent")), recoveryCodes: null, error };
    return json({ twoFactor: answer }, { status: 400 });
  }
  const input = parsed.data;
  const caller = { loginSessionKey: loginSessionOf(ctx).key, clientIp };
  const result =
    input.intent === "two-factor-start"
      ? await startTwoFactorEnrolment(ctx)
      : input.intent === "two-factor-confirm"
        ? await confirmTwoFactorEnrolment(ctx, input.code, caller)
        : await disableTwoFactor(ctx, input.code, caller);
  if (!result.ok) {
    const error = result.fieldErrors?.code?.[0] ?? result.message ?? "Det gick inte.";
    return json({ twoFactor: { intent: input.intent, recoveryCodes: null, error } satisfies TwoFactorAnswer }, refusalInit(result));
  }
  const recoveryCodes = result.value && "recoveryCodes" in result.value ? result.value.recoveryCodes : null;
  return json({ twoFactor: { intent: input.intent, recoveryCodes, error: null } satisfies TwoFactorAnswer });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const formData = await readFormData(request);
  if ((TWO_FACTOR_INTENTS as readonly unknown[]).includes(formData.get("intent"))) return twoFactorAction(ctx, formData, context.clientIp);
  const submission = parseWithZod(formData, { schema: changePasswordSchema });
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
  const { name, email, passwordChangeRequired, twoFactor } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult: data && "result" in data ? data.result : undefined,
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
      {data && "changed" in data && data.changed ? (
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
          <SubmitButton className="button" busy={submitting}>
            {submitting ? "Byter lösenord…" : "Byt lösenord"}
          </SubmitButton>
        </div>
      </Form>
      <TwoFactorSection view={twoFactor} answer={data && "twoFactor" in data ? data.twoFactor : null} />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
