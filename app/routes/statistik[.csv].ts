import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportStatistics } from "~/domain/statistics.server";
import { parseStatisticsQuery } from "~/schemas/statistics";
import { statisticsCsvFile } from "~/ui/statistics-export.server";
import { refusalText } from "~/utils/action-result.server";
import { csvResponse } from "~/utils/csv.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { filter } = parseStatisticsQuery(new URL(request.url));
  const exported = await exportStatistics(ctx, filter, "csv");
  if (!exported.ok) throw refusalText(exported);
  const { filename, body } = statisticsCsvFile(exported.value);
  return csvResponse(filename, body);
}
