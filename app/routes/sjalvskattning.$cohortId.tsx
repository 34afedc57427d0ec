import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, unshownErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { ScaleQuestion } from "~/components/scale-question";
import { TableWrap } from "~/components/table-wrap";
import { getOwnSelfRating, rateSelf } from "~/domain/self-ratings.server";
import { selfRatingSchema } from "~/schemas/self-ratings";
import { formatChange, phaseLabels, phaseStateLabels, SELF_SCALE, selfRatingIntro, selfScaleLabels } from "~/ui/self-ratings";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Självskattning – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getOwnSelfRating(ctx, idParam(params.cohortId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const cohortId = idParam(params.cohortId);
  const submission = parseWithZod(await readFormData(request), { schema: selfRatingSchema });
  const result = await rateSelf(ctx, cohortId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/sjalvskattning/${cohortId}?sparad=1`);
}

export const ErrorBoundary = RouteErrorBoundary;

export default function OwnSelfRating() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const open = data.phases.find((p) => p.state === "open") ?? null;
  const [form] = useForm({
    id: `self-rating-${data.cohort.id}-${open?.phase ?? "none"}`,
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: selfRatingSchema }),
  });
  const errors = form.allErrors;
  const rated = data.phases.filter((p) => p.state === "rated").map((p) => p.phase);
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/sjalvskattning">Självskattning</Link>
          </li>
          <li aria-current="page">{data.cohort.name}</li>
        </ol>
      </nav>
      <h1>Självskattning: {data.cohort.programmeName}</h1>
      <p className="lead">{selfRatingIntro}</p>
      {searchParams.get("sparad") && !lastResult ? (
        <div className="alert alert--success" role="status">
          <p>Tack! Din skattning är sparad.</p>
        </div>
      ) : null}
      {!open && lastResult ? <FormErrors id="self-rating-refusal" errors={replyMessages(lastResult)} /> : null}

      <section aria-labelledby="when">
        <h2 id="when">När du skattar dig</h2>
        <ul>
          {data.phases.map((p) => (
            <li key={p.phase}>
              {phaseLabels[p.phase]}: {phaseStateLabels[p.state]} ({p.opensOn} – {p.closesOn})
            </li>
          ))}
        </ul>
      </section>

      {rated.length ? (
        <section aria-labelledby="mine">
          <h2 id="mine">Dina skattningar</h2>
          <TableWrap label="Dina skattningar per mål">
            <table>
              <thead>
                <tr>
                  <th scope="col">Mål</th>
                  <th scope="col">Vid start</th>
                  <th scope="col">Vid slut</th>
                  <th scope="col">Förändring</th>
                </tr>
              </thead>
              <tbody>
                {data.goals.map((g) => (
                  <tr key={g.id}>
                    <th scope="row">{g.text}</th>
                    <td>{g.start ?? "–"}</td>
                    <td>{g.end ?? "–"}</td>
                    <td>{formatChange(g.change)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      ) : null}

      {open ? (
        <section aria-labelledby="rate">
          <h2 id="rate">Skatta dig {open.phase === "start" ? "vid start" : "vid slut"}</h2>
          <p>Hur väl stämmer det in på dig i dag? Du svarar en gång; svaren går inte att ändra efteråt.</p>
          <Form method="post" {...getFormProps(form)} className="form">
            <input type="hidden" name="phase" value={open.phase} />
            <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name.startsWith("scores."))} />
            {data.goals.map((g) => {
              const name = `scores.g${g.id}`;
              return (
                <ScaleQuestion key={g.id} name={name} legend={g.text} errorId={`${form.id}-${g.id}-error`} steps={SELF_SCALE} labels={selfScaleLabels} errors={errors[name]} />
              );
            })}
            <div>
              <SubmitButton className="button" busy={navigation.state === "submitting"}>
                Spara skattningen
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
