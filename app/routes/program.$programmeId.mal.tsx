import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField, unshownErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { getProgrammeGoals, saveProgrammeGoals } from "~/domain/self-ratings.server";
import { MAX_GOALS, programmeGoalsSchema } from "~/schemas/self-ratings";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Programmets mål – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getProgrammeGoals(ctx, idParam(params.programmeId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  const submission = parseWithZod(await readFormData(request), { schema: programmeGoalsSchema });
  const result = await saveProgrammeGoals(ctx, programmeId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/program/${programmeId}/mal?sparad=1`);
}

export const ErrorBoundary = RouteErrorBoundary;

export default function ProgrammeGoalsPage() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const slots = Array.from({ length: MAX_GOALS }, (_, i) => data.goals[i]?.text ?? "");
  const [form, fields] = useForm({
    // Keyed by what is stored, so the form shows what was saved.
    id: `programme-goals-${data.goals.map((g) => g.id).join("-")}-${data.locked}`,
    lastResult,
    defaultValue: { goals: slots },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: programmeGoalsSchema }),
  });
  const goalFields = fields.goals.getFieldList();
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
          <li aria-current="page">Programmets mål</li>
        </ol>
      </nav>
      <h1>Programmets mål</h1>
      <p className="lead">
        Deltagarna skattar sig själva från 1 till 5 mot varje mål i början och i slutet av sin omgång. Effektrapporten visar förändringen per mål för
        grupper om minst 5; ingen ser en enskild deltagares skattning utom deltagaren själv.
      </p>
      {searchParams.get("sparad") && !lastResult ? (
        <div className="alert alert--success" role="status">
          <p>Målen är sparade.</p>
        </div>
      ) : null}
      {data.locked ? <p className="alert">Deltagare har skattat sig mot målen, så de kan inte längre ändras: då skulle skattningarna inte gå att jämföra.</p> : null}
      <Form method="post" {...getFormProps(form)} className="form" key={form.id}>
        <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name.startsWith("goals"))} />
        <fieldset disabled={data.locked}>
          <legend>Mål (lämna en rad tom för att ta bort den)</legend>
          {fields.goals.errors?.length ? (
            <div id={fields.goals.errorId}>
              {fields.goals.errors.map((e) => (
                <p key={e} className="field-error">
                  {e}
                </p>
              ))}
            </div>
          ) : null}
          {goalFields.map((field, i) => (
            <TextField key={field.key} field={field} label={`Mål ${i + 1}`} />
          ))}
        </fieldset>
        {data.locked ? null : (
          <div>
            <SubmitButton className="button" busy={navigation.state === "submitting"}>
              Spara målen
            </SubmitButton>
          </div>
        )}
      </Form>
    </div>
  );
}
