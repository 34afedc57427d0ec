import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { CohortForm } from "~/components/cohort-form";
import { createCohort, newCohortForm } from "~/domain/cohorts.server";
import { cohortSchema } from "~/schemas/programmes";
import { idParam } from "~/utils/params";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Ny omgång – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return newCohortForm(ctx, idParam(params.programmeId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  const submission = parseWithZod(await readFormData(request), { schema: cohortSchema });
  const result = await createCohort(ctx, programmeId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/omgangar/${result.value.id}`);
}

export default function NewCohort() {
  const { programme, partners } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${programme.id}`}>{programme.name}</Link>
          </li>
          <li aria-current="page">Ny omgång</li>
        </ol>
      </nav>
      <h1>Ny omgång</h1>
      <CohortForm
        lastResult={lastResult}
        defaultValue={{ seats: partners.map((p) => ({ municipalityId: p.id, seats: 0 })) }}
        partners={partners}
        submitLabel="Skapa omgång"
        cancelTo={`/program/${programme.id}`}
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
