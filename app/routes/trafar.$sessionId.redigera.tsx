import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { SessionForm } from "~/components/session-form";
import { getSessionForEdit, updateSession } from "~/domain/sessions.server";
import { hasAmbiguousTime, sessionSchema } from "~/schemas/sessions";
import { replyWithRefusal } from "~/utils/action-result.server";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Ändra eller flytta ${data.session.title} – Programportalen` : "Ändra träff – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getSessionForEdit(ctx, idParam(params.sessionId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const sessionId = idParam(params.sessionId);
  const submission = parseWithZod(await readFormData(request), { schema: sessionSchema });
  const result = await updateSession(ctx, sessionId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  const { changed } = result.value;
  const ambiguous = changed && submission.status === "success" && hasAmbiguousTime(submission.value);
  return redirect(`/trafar/${sessionId}?${changed ? "sparad" : "oforandrad"}=1${ambiguous ? "&dubbeltimme=1" : ""}`);
}

export default function EditSession() {
  const { session, cohort, defaults, hostOptions } = useLoaderData<typeof loader>();
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
          <li>
            <Link to={`/trafar/${session.id}`}>{session.title}</Link>
          </li>
        </ol>
      </nav>
      <h1>Ändra eller flytta träff</h1>
      <p className="lead">
        Deltagarna får en notis och ett e-postmeddelande när en kommande träff flyttas eller byter plats, och ändringen syns i deras
        kalender.
      </p>
      <SessionForm
        lastResult={lastResult}
        defaultValue={defaults}
        hostOptions={hostOptions}
        submitLabel="Spara ändringarna"
        cancelTo={`/trafar/${session.id}`}
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
