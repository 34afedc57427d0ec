/**
 * The attendance form, shared by browser and server. Hours are entered in
 * quarter hours ("7,25"); the domain stores whole minutes.
 */
import { z } from "zod";
import type { AttendanceStatus } from "~/db/schema";
import { MAX_ROW_NUMBER } from "./ids";

export const ATTENDANCE_STATUSES = ["narvarande", "sen_ankomst", "giltig_franvaro", "franvarande"] as const satisfies readonly AttendanceStatus[];

/** The statuses that count as being there, with hours. */
export const PRESENT_STATUSES: readonly AttendanceStatus[] = ["narvarande", "sen_ankomst"];

/** Hours as Swedes write them ("6,5"); a decimal point is read too. */
export const quarterHours = (required = "Ange timmar.") =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.trim().replace(",", ".") : value),
    z
      .number({ required_error: required, invalid_type_error: "Ange timmar som ett tal, till exempel 6,5." })
      .min(0, "Timmarna kan inte vara negativa.")
      .max(24, "Högst 24 timmar.")
      .refine((v) => Number.isInteger(v * 4), "Ange timmar i hela kvartar, till exempel 6,25 eller 6,5."),
  );

/** Hours for a form field, with a decimal comma: 6.5 -> "6,5". */
export const hoursFieldValue = (hours: number) => String(hours).replace(".", ",");

export const attendanceSchema = z.object({
  intent: z.enum(["save", "all_present"]).default("save"),
  reason: z.string().trim().max(300, "Anledningen får vara högst 300 tecken.").optional(),
  rows: z
    .array(
      z.object({
        participantId: z.number().int().positive().max(MAX_ROW_NUMBER),
        version: z.number().int().min(0).max(MAX_ROW_NUMBER),
        status: z.enum(ATTENDANCE_STATUSES, { invalid_type_error: "Välj en närvarostatus." }).optional(),
        hours: quarterHours().optional(),
      }),
    )
    .max(500)
    .default([]),
});

export type AttendanceForm = z.infer<typeof attendanceSchema>;

/** The month whose matrix the attendance report shows (`?manad=2026-10`); empty or left out = the summary alone. */
export const reportMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .optional();
