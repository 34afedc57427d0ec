import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportCofinancing } from "~/domain/cofinancing.server";
import { COFINANCING_CSV_HEADER, cofinancingCsvRows, cofinancingFilename } from "~/ui/cofinancing";
import { csvResponse, toCsv } from "~/utils/csv.server";
import { stockholmToday } from "~/utils/format";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const params = new URL(request.url).searchParams;
  const thisYear = Number(stockholmToday().slice(0, 4));
  const year = Number(params.get("ar"));
  const programme = params.get("program") ?? "";
  const file = await exportCofinancing(ctx, {
    programmeId: /^\d{1,9}$/.test(programme) ? Number(programme) : undefined,
    year: Number.isInteger(year) && year >= thisYear - 5 && year <= thisYear ? year : thisYear,
  });
  return csvResponse(cofinancingFilename(file), toCsv(COFINANCING_CSV_HEADER, cofinancingCsvRows(file.rows)));
}
