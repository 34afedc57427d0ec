/**
 * Hours as the time reports count them. Time is whole minutes everywhere
 * (never fractional hours), so sums and rounding are exact.
 */
import type { RoundingRule } from "~/db/schema";
import { stockholmToUtcIso, utcIsoToStockholm } from "./time";

/** The real length of a session between two instants: a night or a daylight-saving change counts as it happened. */
export function minutesBetween(startsAtIso: string, endsAtIso: string): number {
  return Math.max(0, Math.round((Date.parse(endsAtIso) - Date.parse(startsAtIso)) / 60_000));
}

/** The longest whole quarter of an hour that fits in the given minutes: the default hours for a session. */
export function floorToQuarter(minutes: number): number {
  return Math.floor(minutes / 15) * 15;
}

const ROUNDING_STEP: Record<RoundingRule, number> = { hour_down: 60, half_hour_down: 30, quarter_down: 15 };

/** Rounds a month's total down as the programme says (default: whole hours). */
export function roundMonthTotal(minutes: number, rule: RoundingRule = "hour_down"): number {
  const step = ROUNDING_STEP[rule];
  return Math.floor(minutes / step) * step;
}

const hoursFormat = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** 450 -> "7,5" */
export function formatHours(minutes: number): string {
  return hoursFormat.format(minutes / 60);
}

const kronorFormat = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Öre as kronor with two decimals: 41250 -> "412,50 kr" */
export function formatKronor(ore: number): string {
  return `${kronorFormat.format(ore / 100)} kr`;
}

/** Hours (in minutes) times an hourly cost in öre, to the nearest öre. */
export function valueInOre(minutes: number, hourlyCostOre: number): number {
  return Math.round((minutes * hourlyCostOre) / 60);
}

/** The Stockholm calendar month (YYYY-MM) an instant falls in. */
export function stockholmMonthOf(iso: string): string {
  return utcIsoToStockholm(iso).date.slice(0, 7);
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export function addMonthsToMonth(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The instants a Stockholm calendar month starts and ends at, for range queries on UTC timestamps. */
export function monthBounds(month: string): { fromIso: string; toIso: string } {
  return {
    fromIso: stockholmToUtcIso(`${month}-01`, "00:00"),
    toIso: stockholmToUtcIso(`${addMonthsToMonth(month, 1)}-01`, "00:00"),
  };
}
