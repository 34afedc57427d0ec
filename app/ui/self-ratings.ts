/** Words of the self-rating pages (självskattning). */
import type { SelfRatingPhase } from "~/db/schema";

export const SELF_SCALE = [1, 2, 3, 4, 5] as const;

export const selfScaleLabels: Record<(typeof SELF_SCALE)[number], string> = {
  1: "1 – Stämmer inte alls",
  2: "2",
  3: "3",
  4: "4",
  5: "5 – Stämmer helt",
};

export const phaseLabels: Record<SelfRatingPhase, string> = { start: "Vid start", end: "Vid slut" };

export const phaseStateLabels = {
  open: "Öppen nu",
  rated: "Gjord",
  not_yet: "Inte öppen än",
  closed: "Stängd",
} as const;

export const selfRatingIntro =
  "Skatta dig själv från 1 till 5 mot varje mål i programmet: i början av omgången och igen i slutet. Du ser din egen förändring. Programmet ser bara sammanställningar för grupper om minst 5 deltagare, aldrig dina svar.";

/** A change in points, with its sign: "+1", "−1", "0". */
export function formatChange(change: number | null, digits = 0): string {
  if (change === null) return "–";
  const text = Math.abs(change).toLocaleString("sv-SE", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (Number(text.replace(",", ".")) === 0) return text;
  return `${change > 0 ? "+" : "−"}${text}`;
}
