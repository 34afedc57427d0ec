import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { getEffectReport } from "~/domain/effects.server";
import { behaviourColumns, behaviourRowCells, effectColumns, effectRowCells, goalsReachedCells, goalsReachedColumns, learningColumns, learningRowCells } from "~/ui/evaluations";
import { idParam } from "~/utils/params";
import { xlsxResponse, xlsxSheets } from "~/utils/xlsx.server";

/** The same cells as the page: nothing hidden there is in the file. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const report = await getEffectReport(ctx, idParam(params.programmeId));
  const rows = [
    ...report.cohorts.map((row) => effectRowCells(report.cohortNames[row.cohortId!], row)),
    effectRowCells("Hela programmet (visade omgångar)", report.total),
    ...(report.ownMunicipality?.rows.map((row) => effectRowCells(`${report.cohortNames[row.cohortId!]}, din kommun`, row)) ?? []),
  ];
  const label = (cohortId: number | null) => (cohortId === null ? "Hela programmet (visade omgångar)" : report.cohortNames[cohortId]);
  return xlsxResponse(
    `effektrapport-${report.programme.id}.xlsx`,
    await xlsxSheets([
      { name: "Effektrapport", header: effectColumns, rows },
      { name: "Lärande", header: learningColumns, rows: report.learning.rows.flatMap((r) => learningRowCells(label(r.cohortId), r.figures)) },
      { name: "Beteende 360", header: behaviourColumns, rows: report.behaviour.rows.flatMap((r) => behaviourRowCells(label(r.cohortId), r.figures)) },
      { name: "Handlingsplaner", header: goalsReachedColumns, rows: report.behaviour.rows.map((r) => goalsReachedCells(label(r.cohortId), r.figures)) },
    ]),
  );
}
