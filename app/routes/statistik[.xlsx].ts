import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportStatistics } from "~/domain/statistics-export.server";
import { parseStatisticsQuery } from "~/schemas/statistics";
import { xlsxResponse } from "~/utils/xlsx.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { filter } = parseStatisticsQuery(new URL(request.url));
  const { filename, body } = await exportStatistics(ctx, filter, "xlsx");
  return xlsxResponse(filename, body as ArrayBuffer);
}
