import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportRoster } from "~/domain/rosters.server";
import { rosterCsvTable, rosterFilename } from "~/ui/rosters";
import { csvResponse, toCsv } from "~/utils/csv.server";
import { idParam } from "~/utils/params";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const roster = await exportRoster(ctx, idParam(params.cohortId));
  const { header, body } = rosterCsvTable(roster.rows);
  return csvResponse(rosterFilename(roster.programmeName, roster.cohortName), toCsv(header, body));
}
