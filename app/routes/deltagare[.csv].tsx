import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportParticipants } from "~/domain/participants.server";
import { participantListQuerySchema } from "~/schemas/participants";
import { PARTICIPANT_EXPORT_HEADER, participantExportCells } from "~/ui/participants";
import { csvResponse, toCsv } from "~/utils/csv.server";
import { stockholmToday } from "~/utils/format";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { q, status } = participantListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { municipalitySlug, rows } = await exportParticipants(ctx, { q, status });
  return csvResponse(`deltagare-${municipalitySlug}-${stockholmToday()}.csv`, toCsv(PARTICIPANT_EXPORT_HEADER, rows.map(participantExportCells)));
}
