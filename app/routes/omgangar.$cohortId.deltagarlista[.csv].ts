import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportRoster } from "~/domain/enrolments.server";
import { csvResponse } from "~/utils/csv.server";
import { idParam } from "~/utils/params";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { filename, csv } = await exportRoster(ctx, idParam(params.cohortId));
  return csvResponse(filename, csv);
}
