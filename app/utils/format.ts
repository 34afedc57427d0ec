/** Swedish formatting of dates and times, always in Stockholm time. */
export const TIME_ZONE = "Europe/Stockholm";

const dateFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, day: "numeric", month: "long", year: "numeric" });
const shortDateFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, day: "numeric", month: "short" });
const weekdayDateFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, weekday: "long", day: "numeric", month: "long" });
const timeFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, dateStyle: "short", timeStyle: "short" });
const monthFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, month: "long", year: "numeric" });

function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  // A calendar date (YYYY-MM-DD) means that day in Stockholm; noon UTC is inside it.
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
}

/** "14 mars 2027" */
export const formatDate = (value: string | Date) => dateFormat.format(toDate(value));
/** "14 mars" */
export const formatShortDate = (value: string | Date) => shortDateFormat.format(toDate(value));
/** "söndag 14 mars" */
export const formatWeekdayDate = (value: string | Date) => weekdayDateFormat.format(toDate(value));
/** "09:30" */
export const formatTime = (value: string | Date) => timeFormat.format(toDate(value));
/** "2027-03-14 09:30" */
export const formatDateTime = (value: string | Date) => dateTimeFormat.format(toDate(value));
/** "mars 2027" */
export const formatMonth = (value: string | Date) => monthFormat.format(toDate(value));
/** "Mars 2027" from "mars 2027": text that starts a heading or a button. */
export const capitalise = (text: string) => text.charAt(0).toLocaleUpperCase("sv") + text.slice(1);

export function formatTimeRange(startsAt: string, endsAt: string): string {
  return `${formatTime(startsAt)}–${formatTime(endsAt)}`;
}

// Built once: creating an Intl formatter costs far more than using one, and this runs per row in reports.
const isoDateFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in Stockholm as YYYY-MM-DD. */
export function stockholmToday(now: Date = new Date()): string {
  return isoDateFormat.format(now);
}
