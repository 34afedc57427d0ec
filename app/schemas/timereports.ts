/** Forms for own activities, time report steps, unit costs and programme settings. */
import { z } from "zod";
import type { OwnActivityKind } from "~/db/schema";
import { quarterHours } from "./attendance";
import { MAX_ROW_NUMBER } from "./ids";

export const OWN_ACTIVITY_KINDS = ["skuggning", "egen_studietid", "hemuppgift"] as const satisfies readonly OwnActivityKind[];

function isRealDate(value: string): boolean {
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export const ownActivitySchema = z.object({
  programmeId: z.number({ required_error: "Välj program.", invalid_type_error: "Välj program." }).int().positive("Välj program.").max(MAX_ROW_NUMBER, "Välj program."),
  kind: z.enum(OWN_ACTIVITY_KINDS, { required_error: "Välj typ av aktivitet.", invalid_type_error: "Välj typ av aktivitet." }),
  date: z
    .string({ required_error: "Ange datum." })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Ange datumet som ÅÅÅÅ-MM-DD.")
    .refine(isRealDate, "Det datumet finns inte."),
  hours: quarterHours("Ange hur många timmar aktiviteten tog.").refine((v) => v > 0, "Ange hur många timmar aktiviteten tog."),
  description: z
    .string({ required_error: "Beskriv vad du gjorde." })
    .trim()
    .min(3, "Beskriv vad du gjorde.")
    .max(500, "Beskrivningen får vara högst 500 tecken."),
});

export type OwnActivityInput = z.infer<typeof ownActivitySchema>;

export const decideOwnActivitySchema = z
  .object({
    activityId: z.number().int().positive().max(MAX_ROW_NUMBER),
    decision: z.enum(["approve", "reject"]),
    reason: z.string().trim().max(500, "Anledningen får vara högst 500 tecken.").optional(),
  })
  .refine((v) => v.decision === "approve" || !!v.reason, { path: ["reason"], message: "Skriv varför aktiviteten avslås." });

export type DecideOwnActivityInput = z.infer<typeof decideOwnActivitySchema>;

export const timeReportActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("confirm"), version: z.number().int().positive().max(MAX_ROW_NUMBER) }),
  z.object({
    intent: z.literal("certify"),
    version: z.number().int().positive().max(MAX_ROW_NUMBER),
    certifiedAs: z.enum(["manager", "on_behalf"], { required_error: "Välj hur tidrapporten attesteras.", invalid_type_error: "Välj hur tidrapporten attesteras." }),
    managerName: z.string().trim().max(200, "Namnet får vara högst 200 tecken.").optional(),
  }),
  z.object({ intent: z.literal("reviewed"), version: z.number().int().positive().max(MAX_ROW_NUMBER) }),
  z.object({
    intent: z.literal("reopen"),
    version: z.number().int().positive().max(MAX_ROW_NUMBER),
    reason: z
      .string({ required_error: "Skriv varför tidrapporten öppnas igen." })
      .trim()
      .min(5, "Skriv varför tidrapporten öppnas igen.")
      .max(500, "Anledningen får vara högst 500 tecken."),
  }),
]);

export type TimeReportAction = z.infer<typeof timeReportActionSchema>;

export const unitCostSchema = z.object({
  intent: z.literal("unit_cost"),
  salaryGroup: z
    .string({ required_error: "Ange lönegrupp." })
    .trim()
    .min(1, "Ange lönegrupp.")
    .max(20, "Lönegruppen får vara högst 20 tecken."),
  year: z
    .number({ required_error: "Ange år.", invalid_type_error: "Ange år med fyra siffror." })
    .int("Ange år med fyra siffror.")
    .min(2000, "Ange ett år från 2000.")
    .max(2100, "Ange ett år till och med 2100."),
  hourlyCost: z
    .string({ required_error: "Ange kostnad per timme." })
    .trim()
    .regex(/^\d{1,6}([.,]\d{1,2})?$/, "Ange kronor per timme, till exempel 412,50.")
    .transform((v) => Math.round(Number(v.replace(",", ".")) * 100)),
});

/** Whether coordinators may plan the sessions their municipality hosts (docs/decisions/013-sessions-in-shared-cohorts.md). */
export const sessionPlanningSchema = z.object({
  intent: z.literal("session_planning"),
  coordinatorsPlanSessions: z
    .boolean({ invalid_type_error: "Kryssa i rutan eller lämna den tom." })
    .optional()
    .default(false),
});

export const programmeSettingsSchema = z.object({
  intent: z.literal("settings"),
  completionPercent: z
    .number({ required_error: "Ange en procentsats.", invalid_type_error: "Ange en procentsats." })
    .int("Ange hela procent.")
    .min(0, "Lägst 0 %.")
    .max(100, "Högst 100 %."),
  rounding: z.enum(["hour_down", "half_hour_down", "quarter_down"], { required_error: "Välj avrundning.", invalid_type_error: "Välj avrundning." }),
  onBehalfAllowed: z.boolean({ invalid_type_error: "Rutan för attest på chefens vägnar kan bara vara ikryssad eller tom." }).optional().default(false),
});

/** A month's confirmed reports certified at once, each at the version the list showed. */
export const MAX_REPORTS_AT_ONCE = 500;
export const certifyMonthSchema = z.object({
  intent: z.literal("certify-month"),
  certifiedAs: z.enum(["manager", "on_behalf"], { required_error: "Välj hur tidrapporterna attesteras.", invalid_type_error: "Välj hur tidrapporterna attesteras." }),
  reports: z
    .array(z.object({ id: z.number().int().positive().max(MAX_ROW_NUMBER), version: z.number().int().positive().max(MAX_ROW_NUMBER) }), {
      required_error: "Det finns inga bekräftade tidrapporter att attestera.",
    })
    .min(1, "Det finns inga bekräftade tidrapporter att attestera.")
    .max(MAX_REPORTS_AT_ONCE, `Högst ${MAX_REPORTS_AT_ONCE} tidrapporter kan attesteras på en gång.`),
});
