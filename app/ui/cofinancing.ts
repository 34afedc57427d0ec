/** Co-financing as the payment claim's CSV has it: one row per certified participant-month, money in kronor. */
import type { CofinancingRow } from "~/domain/cofinancing.server";
import { formatHours } from "~/utils/hours";

export const COFINANCING_CSV_HEADER = ["Månad", "Kommun", "Deltagare", "Lönegrupp", "Attesterade timmar", "Timkostnad (kr)", "Värde (kr)", "Behöver granskas"];

/** Öre as kronor with a decimal comma and no unit, as a spreadsheet reads it: 41250 -> "412,50". */
const kronor = (ore: number) => (ore / 100).toFixed(2).replace(".", ",");

export function cofinancingCsvRows(rows: CofinancingRow[]): string[][] {
  return rows.map((r) => [
    r.month,
    r.municipalityName,
    r.participantName,
    r.salaryGroup,
    formatHours(r.minutes),
    r.hourlyCostOre == null ? "saknas" : kronor(r.hourlyCostOre),
    kronor(r.valueOre),
    r.needsReview ? "Ja" : "Nej",
  ]);
}

export function cofinancingFilename(file: { programmeName: string; year: number }): string {
  return `medfinansiering-${file.programmeName}-${file.year}.csv`;
}
