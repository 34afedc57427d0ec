import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportParticipants } from "~/domain/participants.server";
import { participantListQuerySchema } from "~/schemas/participants";
import { csvResponse } from "~/utils/csv.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { q, status } = participantListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { filename, csv } = await exportParticipants(ctx, { q, status });
  return csvResponse(filename, csv);
}
