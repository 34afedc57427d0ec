import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { ParticipantForm } from "~/components/participant-form";
import { checkMayAddParticipants, createParticipant } from "~/domain/participants.server";
import { participantSchema } from "~/schemas/participants";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Lägg till deltagare – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  await checkMayAddParticipants(ctx);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: participantSchema });
  const result = await createParticipant(ctx, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/deltagare/${result.value}?sparad=ny`);
}

export default function NewParticipant() {
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/deltagare">Deltagare</Link>
          </li>
          <li aria-current="page">Lägg till</li>
        </ol>
      </nav>
      <h1>Lägg till deltagare</h1>
      <p className="lead">Alla fält utom de frivilliga behövs för programmets uppföljning och rapportering.</p>
      <ParticipantForm id="new-participant" lastResult={lastResult} submitLabel="Spara deltagare" cancelTo="/deltagare" />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
