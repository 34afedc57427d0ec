import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { getEffectReport } from "~/domain/effects.server";
import { effectColumns, effectRowCells } from "~/ui/evaluations";
import { idParam } from "~/utils/params";
import { xlsxResponse, xlsxTable } from "~/utils/xlsx.server";

/** The same cells as the page: nothing hidden there is in the file. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const report = await getEffectReport(ctx, idParam(params.programmeId));
  const rows = [
    ...report.cohorts.map((row) => effectRowCells(report.cohortNames[row.cohortId!], row)),
    effectRowCells("Hela programmet (visade omgångar)", report.total),
    ...(report.ownMunicipality?.rows.map((row) => effectRowCells(`${report.cohortNames[row.cohortId!]}, din kommun`, row)) ?? []),
  ];
  return xlsxResponse(`effektrapport-${report.programme.id}.xlsx`, await xlsxTable("Effektrapport", effectColumns, rows));
}
