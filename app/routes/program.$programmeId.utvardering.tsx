import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField, unshownErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { getEvaluationSetup, saveEvaluationSetup } from "~/domain/evaluations.server";
import { evaluationSetupSchema, MAX_STATEMENTS } from "~/schemas/evaluations";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Utvärdering av träffar – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getEvaluationSetup(ctx, idParam(params.programmeId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  const submission = parseWithZod(await readFormData(request), { schema: evaluationSetupSchema });
  const result = await saveEvaluationSetup(ctx, programmeId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/program/${programmeId}/utvardering?sparad=1`);
}

export const ErrorBoundary = RouteErrorBoundary;

export default function EvaluationSetupPage() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const slots = Array.from({ length: MAX_STATEMENTS }, (_, i) => data.statements[i] ?? "");
  const [form, fields] = useForm({
    // Keyed by what is stored, so the form shows what was saved.
    id: `evaluation-setup-${data.minAnswers}-${data.statements.join("|").length}-${data.locked}`,
    lastResult,
    defaultValue: { statements: slots, minAnswers: String(data.minAnswers) },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: evaluationSetupSchema }),
  });
  const statementFields = fields.statements.getFieldList();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${data.programme.id}`}>{data.programme.name}</Link>
          </li>
          <li aria-current="page">Utvärdering av träffar</li>
        </ol>
      </nav>
      <h1>Utvärdering av träffar</h1>
      <p className="lead">
        Efter varje genomförd träff får deltagarna som var där några påståenden att svara på från 1 till 5 och en fri kommentar, på översikten och
        med e-post (en påminnelse). Svaren är anonyma.
      </p>
      {searchParams.get("sparad") && !lastResult ? (
        <div className="alert alert--success" role="status">
          <p>Inställningarna är sparade.</p>
        </div>
      ) : null}
      {data.locked ? (
        <p className="alert">Svar har kommit in, så påståendena kan inte längre ändras: då skulle svaren inte gå att jämföra.</p>
      ) : data.usesDefaults ? (
        <p>Programmet använder standardpåståendena nedan. Ändra dem innan de första svaren kommer in.</p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form" key={form.id}>
        <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name === "minAnswers" || name.startsWith("statements"))} />
        <fieldset disabled={data.locked}>
          <legend>Påståenden (lämna en rad tom för att ta bort den)</legend>
          {fields.statements.errors?.length ? (
            <div id={fields.statements.errorId}>
              {fields.statements.errors.map((e) => (
                <p key={e} className="field-error">
                  {e}
                </p>
              ))}
            </div>
          ) : null}
          {statementFields.map((field, i) => (
            <TextField key={field.key} field={field} label={`Påstående ${i + 1}`} />
          ))}
        </fieldset>
        {data.locked
          ? data.statements.map((s, i) => <input key={i} type="hidden" name={`statements[${i}]`} value={s} />)
          : null}
        <TextField
          field={fields.minAnswers}
          type="number"
          label="Minsta antal svar innan resultat visas"
          hint="Minst 3. Ett högre tal skyddar svaren mer i små grupper."
        />
        <div>
          <SubmitButton className="button" busy={navigation.state === "submitting"}>
            Spara
          </SubmitButton>
        </div>
      </Form>
    </div>
  );
}
