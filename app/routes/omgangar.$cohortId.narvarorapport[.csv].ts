import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportAttendanceReport } from "~/domain/attendance-report.server";
import { attendanceReportCsvTable, attendanceReportFilename } from "~/ui/attendance";
import { csvResponse, toCsv } from "~/utils/csv.server";
import { idParam } from "~/utils/params";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const value = new URL(request.url).searchParams.get("kommun");
  const report = await exportAttendanceReport(ctx, idParam(params.cohortId), {
    municipalityId: value && /^\d{1,9}$/.test(value) ? Number(value) : undefined,
  });
  const { header, body } = attendanceReportCsvTable(report);
  return csvResponse(attendanceReportFilename(report.cohort.name), toCsv(header, body));
}
