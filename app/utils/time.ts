import { TZDate } from "@date-fns/tz";
import { TIME_ZONE } from "./format";

/** A Stockholm wall-clock date and time ("2027-03-14", "09:30") as a UTC ISO instant. */
export function stockholmToUtcIso(date: string, time: string): string {
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
