import { TZDate } from "@date-fns/tz";
import { TIME_ZONE } from "./format";

export type WallClockInstant = { kind: "unique" | "ambiguous"; iso: string } | { kind: "nonexistent" };

/**
 * Where a Stockholm wall-clock time falls: once (most of the year), nowhere
 * (the hour skipped when the clocks go forward in spring), or twice (the hour
 * repeated in autumn; `iso` is then the first, still on summer time).
 */
export function stockholmWallClock(date: string, time: string): WallClockInstant {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const asUtc = Date.UTC(y, m - 1, d, hh, mm);
  // Stockholm is UTC+1 in winter and UTC+2 in summer: the instants that show this wall-clock time.
  const matches = [2, 1]
    .map((offset) => new Date(asUtc - offset * 3_600_000).toISOString())
    .filter((iso) => {
      const local = utcIsoToStockholm(iso);
      return local.date === date && local.time === time;
    });
  if (!matches.length) return { kind: "nonexistent" };
  return { kind: matches.length > 1 ? "ambiguous" : "unique", iso: matches[0] };
}

/**
 * A Stockholm wall-clock date and time ("2027-03-14", "09:30") as a UTC ISO
 * instant: the first one when the time occurs twice, and for a time skipped
 * in spring the instant an hour later, as the clock shows it (forms refuse
 * such a time before it gets here; see app/schemas/sessions.ts).
 */
export function stockholmToUtcIso(date: string, time: string): string {
  const wall = stockholmWallClock(date, time);
  if (wall.kind !== "nonexistent") return wall.iso;
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  return new Date(new TZDate(y, m - 1, d, hh, mm, TIME_ZONE).getTime()).toISOString();
}

/** The Stockholm wall-clock parts of a UTC instant: { date: "2027-03-14", time: "09:30" }. */
export function utcIsoToStockholm(iso: string): { date: string; time: string } {
  const z = new TZDate(new Date(iso).getTime(), TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`,
    time: `${pad(z.getHours())}:${pad(z.getMinutes())}`,
  };
}

/** Adds days to a YYYY-MM-DD date. */
export function addDaysToDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A calendar date plus whole months; a day the shorter month lacks becomes
 * its last day (31 Aug + 6 months = 28 Feb), as PostgreSQL's interval does.
 */
export function addMonthsToDate(date: string, months: number): string {
  const [year, month, day] = date.split("-").map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
