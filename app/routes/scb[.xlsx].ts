import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportScbMonth } from "~/domain/scb.server";
import { SCB_EXPORT_HEADER, scbExportCells, scbFileStem } from "~/ui/scb";
import { refusalText } from "~/utils/action-result.server";
import { xlsxResponse, xlsxTable } from "~/utils/xlsx.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const params = new URL(request.url).searchParams;
  const programme = params.get("program") ?? "";
  // The domain checks the grant first, then the month.
  const month = params.get("manad") ?? "";
  const file = await exportScbMonth(ctx, { programmeId: /^\d{1,9}$/.test(programme) ? Number(programme) : undefined, month }, "xlsx");
  if (!file.ok) return refusalText(file);
  return xlsxResponse(`${scbFileStem(file.value)}.xlsx`, await xlsxTable(file.value.month, SCB_EXPORT_HEADER, scbExportCells(file.value)));
}
