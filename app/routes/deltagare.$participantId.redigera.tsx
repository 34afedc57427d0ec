import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { ParticipantForm } from "~/components/participant-form";
import { getParticipantForEdit, updateParticipant } from "~/domain/participants.server";
import { participantSchema } from "~/schemas/participants";
import { refusalText, replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Ändra deltagare – Programportalen" }];

// The form holds the full personnummer: keep it out of every cache.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const edit = await getParticipantForEdit(ctx, idParam(params.participantId));
  if (!edit.ok) throw refusalText(edit);
  return edit.value;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const participantId = idParam(params.participantId);
  const submission = parseWithZod(await readFormData(request), { schema: participantSchema });
  const result = await updateParticipant(ctx, participantId, submission);
  if (!result.ok) return replyWithRefusal(submission, result, { headers: { "Cache-Control": "no-store" } });
  return redirect(`/deltagare/${participantId}?sparad=andrad`);
}

export default function EditParticipant() {
  const participant = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const name = `${participant.firstName} ${participant.lastName}`;
  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/deltagare">Deltagare</Link>
          </li>
          <li>
            <Link to={`/deltagare/${participant.id}`}>{name}</Link>
          </li>
          <li aria-current="page">Ändra</li>
        </ol>
      </nav>
      <h1>Ändra uppgifter för {name}</h1>
      <ParticipantForm
        id={`edit-participant-${participant.id}`}
        lastResult={lastResult}
        defaultValue={participant.values}
        submitLabel="Spara ändringar"
        cancelTo={`/deltagare/${participant.id}`}
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
