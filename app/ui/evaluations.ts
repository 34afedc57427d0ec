/** Words and number formats of the evaluation pages and the effect report. */
export const SCALE = [1, 2, 3, 4, 5] as const;
export const scaleLabels: Record<(typeof SCALE)[number], string> = {
  1: "1 – Instämmer inte alls",
  2: "2",
  3: "3",
  4: "4",
  5: "5 – Instämmer helt",
};

export function formatMean(mean: number | null): string {
  return mean === null ? ".." : mean.toLocaleString("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function formatRate(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)} %` : "–";
}

export const anonymityNote =
  "Svaren är anonyma: de sparas utan koppling till vem som svarade. Det enda som sparas om dig är att du har svarat, så att du inte får fler påminnelser.";

export function thresholdNote(minAnswers: number): string {
  return `Resultat visas först när minst ${minAnswers} har svarat. En omgångs sammanställning räknar bara med träffar som visas, så att ingen träff med färre svar kan räknas fram.`;
}
