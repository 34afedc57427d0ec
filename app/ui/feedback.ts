/** Swedish words of 360 feedback and the action plan. */
import type { FeedbackRoundKind, GoalStatus, RaterGroup } from "~/db/schema";

export const raterGroupLabels: Record<RaterGroup, string> = { manager: "Chef", colleague: "Kollegor", report: "Medarbetare" };
export const shownGroupLabels: Record<"manager" | "colleague" | "report" | "other", string> = {
  manager: "Chef",
  colleague: "Kollegor",
  report: "Medarbetare",
  other: "Övriga",
};
/** Whom a report is shared with, as the participant chooses them (ADR 036). */
export const shareRecipientLabels: Record<"programme_lead" | "coach", string> = { programme_lead: "programledare", coach: "coach" };
export const roundKindLabels: Record<FeedbackRoundKind, string> = { first: "Första rundan", follow_up: "Uppföljning" };
export const goalStatusLabels: Record<GoalStatus, string> = { not_started: "Inte påbörjat", under_way: "På gång", reached: "Uppnått" };
export const scoreLabels = ["Kan inte bedöma", "1 Stämmer inte alls", "2", "3", "4", "5 Stämmer helt"] as const;

export function formatMean(value: number | null): string {
  return value == null ? "–" : value.toLocaleString("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** Suggested least number of raters per group (the participant may invite fewer). */
export const SUGGESTED_RATERS: Record<RaterGroup, number> = { manager: 1, colleague: 3, report: 3 };
