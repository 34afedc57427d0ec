import { parseWithZod } from "@conform-to/zod";
import { RouteErrorBoundary } from "~/components/route-error";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { CohortForm } from "~/components/cohort-form";
import { getCohortForEdit, updateCohort } from "~/domain/cohorts.server";
import { cohortSchema } from "~/schemas/programmes";
import { idParam } from "~/utils/params";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Redigera omgång – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getCohortForEdit(ctx, idParam(params.cohortId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const cohortId = idParam(params.cohortId);
  const submission = parseWithZod(await readFormData(request), { schema: cohortSchema });
  const result = await updateCohort(ctx, cohortId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/omgangar/${cohortId}`);
}

export default function EditCohort() {
  const { cohort, values, partners } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${cohort.programmeId}`}>{cohort.programmeName}</Link>
          </li>
          <li>
            <Link to={`/omgangar/${cohort.id}`}>{cohort.name}</Link>
          </li>
          <li aria-current="page">Redigera</li>
        </ol>
      </nav>
      <h1>Redigera {cohort.name}</h1>
      <p>Ökar du en kommuns platser erbjuds de först på kommunens väntelista platsen direkt.</p>
      <CohortForm
        lastResult={lastResult}
        defaultValue={values}
        partners={partners}
        submitLabel="Spara ändringar"
        cancelTo={`/omgangar/${cohort.id}`}
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
