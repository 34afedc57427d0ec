import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { attendanceReportCsv } from "~/domain/attendance.server";
import { csvResponse } from "~/utils/csv.server";
import { idParam } from "~/utils/params";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const value = new URL(request.url).searchParams.get("kommun");
  const { filename, csv } = await attendanceReportCsv(ctx, idParam(params.cohortId), {
    municipalityId: value && /^\d{1,9}$/.test(value) ? Number(value) : undefined,
  });
  return csvResponse(filename, csv);
}
