/**
 * The session form (Träff), shared by browser and server. Times are entered
 * as Stockholm wall-clock date and time; the domain converts them to UTC.
 */
import { z } from "zod";
import type { SessionKind } from "~/db/schema";
import { formatDate } from "~/utils/format";
import { stockholmToUtcIso, stockholmWallClock } from "~/utils/time";
import { MAX_ROW_NUMBER } from "./ids";

/** The hidden sequence is not the user's to type: a bad one means the page is broken or crafted. */
const STALE_FORM = "Formuläret kunde inte läsas. Ladda om sidan och försök igen.";

export const SESSION_KINDS = ["utbildningsdag", "workshop", "skuggning", "natverkstraff", "studiebesok", "digital"] as const satisfies readonly SessionKind[];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isRealDate(value: string): boolean {
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const date = (required: string) =>
  z
    .string({ required_error: required })
    .trim()
    .regex(DATE, "Ange datumet som ÅÅÅÅ-MM-DD.")
    .refine(isRealDate, "Det datumet finns inte.");
const time = (required: string) => z.string({ required_error: required }).trim().regex(TIME, "Ange tiden som TT:MM, till exempel 09:30.");
/**
 * A meeting link goes out in every trainee's reminder e-mail: only an https
 * address of a named host, without a user name or password in it (which can
 * make "https://teams.example@elsewhere.example" look like another site).
 */
export function isMeetingLink(value: string): boolean {
  if (!/^https:\/\/[^\s/]+\.[^\s]+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && !url.username && !url.password && url.hostname.includes(".");
  } catch {
    return false;
  }
}

const text = (max: number, tooLong: string) => z.string().trim().max(max, tooLong).optional().default("");

export const sessionSchema = z
  .object({
    title: z.string({ required_error: "Ange en rubrik." }).trim().min(1, "Ange en rubrik.").max(200, "Rubriken får vara högst 200 tecken."),
    kind: z.enum(SESSION_KINDS, { required_error: "Välj typ av träff.", invalid_type_error: "Välj typ av träff." }),
    startDate: date("Ange datum."),
    startTime: time("Ange starttid."),
    endDate: date("Ange slutdatum.").optional(),
    endTime: time("Ange sluttid."),
    hostMunicipalityId: z.coerce
      .number({ required_error: "Välj värdkommun.", invalid_type_error: "Välj värdkommun." })
      .int()
      .positive("Välj värdkommun.")
      .max(MAX_ROW_NUMBER, "Välj värdkommun."),
    venue: text(200, "Lokalen får vara högst 200 tecken."),
    address: text(300, "Adressen får vara högst 300 tecken."),
    meetingUrl: z
      .string()
      .trim()
      .max(500, "Länken får vara högst 500 tecken.")
      .refine((v) => v === "" || isMeetingLink(v), "Ange en fullständig länk som börjar med https://.")
      .optional()
      .default(""),
    facilitator: text(200, "Kursledare får vara högst 200 tecken."),
    description: text(4000, "Beskrivningen får vara högst 4 000 tecken."),
    /** The session's sequence (its version) when the edit form was loaded. */
    sequence: z.coerce
      .number({ invalid_type_error: STALE_FORM })
      .int(STALE_FORM)
      .min(0, STALE_FORM)
      .max(MAX_ROW_NUMBER, STALE_FORM)
      .optional(),
  })
  .superRefine((value, ctx) => {
    const endDate = value.endDate ?? value.startDate;
    // Refinements run even when a field already failed: compare only well-formed dates and times (else a RangeError, a 500).
    const wellFormed = [value.startDate, endDate].every((d) => DATE.test(d) && isRealDate(d)) && [value.startTime, value.endTime].every((t) => TIME.test(t));
    if (wellFormed) {
      for (const [path, date, time] of [
        ["startTime", value.startDate, value.startTime],
        ["endTime", endDate, value.endTime],
      ] as const) {
        if (stockholmWallClock(date, time).kind === "nonexistent") {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [path],
            message: `Klockan ${time} finns inte den ${formatDate(date)}: natten till sommartid ställs klockan fram från 02:00 till 03:00. Välj en annan tid.`,
          });
          return;
        }
      }
    }
    if (wellFormed && stockholmToUtcIso(endDate, value.endTime) <= stockholmToUtcIso(value.startDate, value.startTime)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["endTime"],
        message: "Träffen måste sluta efter att den börjar. Slutar den efter midnatt, ange slutdatum.",
      });
    }
    if (!value.address && !value.venue && !value.meetingUrl) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["address"], message: "Ange lokal och adress, eller en möteslänk." });
    }
  });

export type SessionFormValue = z.infer<typeof sessionSchema>;

export const sessionActionSchema = z.object({
  intent: z.enum(["cancel", "reinstate"], { required_error: "Okänd åtgärd.", invalid_type_error: "Okänd åtgärd." }),
});
export type SessionActionValue = z.infer<typeof sessionActionSchema>;

/**
 * Whether a start or end time falls in the hour that occurs twice when summer
 * time ends. Such a time is taken as the first occurrence (summer time), and
 * the page says so after saving.
 */
export function hasAmbiguousTime(value: SessionFormValue): boolean {
  return (
    stockholmWallClock(value.startDate, value.startTime).kind === "ambiguous" ||
    stockholmWallClock(value.endDate ?? value.startDate, value.endTime).kind === "ambiguous"
  );
}
