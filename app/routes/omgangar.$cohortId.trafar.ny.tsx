import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { SessionForm } from "~/components/session-form";
import { createSession, getNewSessionForm } from "~/domain/sessions.server";
import { hasAmbiguousTime, sessionSchema } from "~/schemas/sessions";
import { replyWithRefusal } from "~/utils/action-result.server";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Ny träff – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getNewSessionForm(ctx, idParam(params.cohortId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const cohortId = idParam(params.cohortId);
  const submission = parseWithZod(await readFormData(request), { schema: sessionSchema });
  const result = await createSession(ctx, cohortId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  const ambiguous = submission.status === "success" && hasAmbiguousTime(submission.value);
  return redirect(`/trafar/${result.value}${ambiguous ? "?dubbeltimme=1" : ""}`);
}

export default function NewSession() {
  const { cohort, hostOptions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to={`/omgangar/${cohort.id}/trafar`}>
              Träffar i {cohort.programmeName}, {cohort.name}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>Ny träff</h1>
      <p className="lead">
        {cohort.programmeName}, {cohort.name}. Tider anges i svensk tid.
      </p>
      <SessionForm
        lastResult={lastResult}
        hostOptions={hostOptions}
        defaultValue={hostOptions.length === 1 ? { hostMunicipalityId: String(hostOptions[0].id) } : undefined}
        submitLabel="Spara träffen"
        cancelTo={`/omgangar/${cohort.id}/trafar`}
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
