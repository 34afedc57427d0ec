import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, TextAreaField, unshownErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { ScaleQuestion } from "~/components/scale-question";
import { answerEvaluation, getEvaluationForm } from "~/domain/evaluations.server";
import { evaluationAnswerSchema } from "~/schemas/evaluations";
import { anonymityNote, SCALE, scaleLabels } from "~/ui/evaluations";
import { replyWithRefusal } from "~/utils/action-result.server";
import { formatWeekdayDate } from "~/utils/format";
import { readFormData } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Utvärdering – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getEvaluationForm(ctx, idParam(params.sessionId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const sessionId = idParam(params.sessionId);
  const submission = parseWithZod(await readFormData(request), { schema: evaluationAnswerSchema });
  const result = await answerEvaluation(ctx, sessionId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/utvardering/${sessionId}?tack=1`);
}

export const ErrorBoundary = RouteErrorBoundary;

export default function Evaluation() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: `evaluation-${data.session.id}`,
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: evaluationAnswerSchema }),
  });
  const errors = form.allErrors;
  return (
    <div className="page">
      <h1>Utvärdera ”{data.session.title}”</h1>
      <p className="lead">
        {data.session.programmeName}, {data.session.cohortName} · {formatWeekdayDate(data.session.startsAt)}
      </p>
      {/* A refusal that arrives when the form is no longer shown (answered or closed meanwhile) still says why. */}
      {data.state !== "open" && lastResult ? <FormErrors id="evaluation-refusal" errors={replyMessages(lastResult)} /> : null}
      {data.state === "answered" ? (
        <div className="alert alert--success" role="status">
          <p>{searchParams.get("tack") ? "Tack för ditt svar!" : "Du har redan svarat på den här utvärderingen."} Svaren är anonyma.</p>
          <p>
            <Link to="/">Till översikten</Link>
          </p>
        </div>
      ) : data.state === "closed" ? (
        <div className="alert" role="status">
          <p>Utvärderingen är stängd: den gick att besvara i två veckor efter träffen.</p>
        </div>
      ) : (
        <>
          <p>{anonymityNote}</p>
          <Form method="post" {...getFormProps(form)} className="form">
            <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name === "comment" || name.startsWith("scores."))} />
            {data.statements.map((s) => {
              const name = `scores.s${s.id}`;
              return (
                <ScaleQuestion key={s.id} name={name} legend={s.text} errorId={`${form.id}-${s.id}-error`} steps={SCALE} labels={scaleLabels} errors={errors[name]} />
              );
            })}
            <TextAreaField field={fields.comment} label="Något mer du vill säga? (frivilligt)" hint="Skriv inte namn på andra deltagare. Kommentaren visas utan namn, i slumpad ordning." />
            <div>
              <SubmitButton className="button" busy={navigation.state === "submitting"}>
                Skicka svar
              </SubmitButton>
            </div>
          </Form>
        </>
      )}
    </div>
  );
}
