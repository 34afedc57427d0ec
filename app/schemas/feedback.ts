/**
 * Forms of 360 feedback and the action plan. Shared by the browser and the
 * server, which validates again; every message is in Swedish.
 */
import { z } from "zod";
import { MAX_ROW_NUMBER } from "./ids";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (value: string) => {
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};
const date = (missing: string) =>
  z.string({ required_error: missing }).trim().regex(DATE, "Skriv datumet som ÅÅÅÅ-MM-DD.").refine(isRealDate, "Datumet finns inte i kalendern.");
const optionalDate = z.string().trim().regex(DATE, "Skriv datumet som ÅÅÅÅ-MM-DD.").refine(isRealDate, "Datumet finns inte i kalendern.").optional();
const id = (missing: string) => z.number({ required_error: missing, invalid_type_error: missing }).int(missing).positive(missing).max(MAX_ROW_NUMBER, missing);
const tooLong = (max: number) => `Högst ${max.toLocaleString("sv-SE")} tecken.`;
const required = (max: number, missing: string) => z.string({ required_error: missing }).trim().min(1, missing).max(max, tooLong(max));
const optionalText = (max: number) => z.string().trim().max(max, tooLong(max)).optional();

export const MAX_DIMENSIONS = 10;
export const MAX_STATEMENTS = 10;

export const instrumentSchema = z.object({
  dimensions: z
    .array(
      z.object({
        key: z.string().trim().regex(/^[a-z0-9-]{1,40}$/, "Okänd dimension."),
        title: required(80, "Fyll i dimensionens namn."),
        statements: required(3000, "Skriv minst ett påstående, ett per rad."),
      }),
    )
    .min(1, "Frågeformuläret behöver minst en dimension.")
    .max(MAX_DIMENSIONS, `Högst ${MAX_DIMENSIONS} dimensioner.`),
  question1: required(300, "Fyll i den första fritextfrågan."),
  question2: required(300, "Fyll i den andra fritextfrågan."),
});

export const roundKinds = ["first", "follow_up"] as const;

export const roundSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("open"),
    cohortId: id("Välj omgång."),
    kind: z.enum(roundKinds, { errorMap: () => ({ message: "Välj om det är första omgången eller uppföljningen." }) }),
    closesOn: date("Fyll i sista svarsdag."),
  }),
  z.object({ intent: z.literal("close"), roundId: id("Okänd omgång.") }),
]);

const score = z.enum(["0", "1", "2", "3", "4", "5"], { errorMap: () => ({ message: "Välj ett svar." }) });

/** An answer: scores.<statementId> = 1–5, or 0 for "kan inte bedöma"; the instrument decides which statements must be answered. */
export const answerSchema = z.object({
  scores: z.record(z.string().max(50), score, { required_error: "Svara på påståendena.", invalid_type_error: "Svara på påståendena." }),
  answer1: optionalText(2000),
  answer2: optionalText(2000),
});

export const raterGroups = ["manager", "colleague", "report"] as const;

const EMAIL = z.string().trim().toLowerCase().email("En av e-postadresserna är inte giltig.").max(254, "En av e-postadresserna är för lång.");

export const participantFeedbackSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("invite"),
    group: z.enum(raterGroups, { errorMap: () => ({ message: "Välj grupp." }) }),
    emails: z
      .string({ required_error: "Skriv minst en e-postadress." })
      .max(5000, "Högst 5 000 tecken.")
      .transform((value) => value.split(/[\s,;]+/).filter(Boolean))
      .pipe(z.array(EMAIL).min(1, "Skriv minst en e-postadress.").max(20, "Högst 20 adresser åt gången.")),
    shownApart: z.literal("on").optional(),
  }),
  z.object({ intent: z.literal("remind") }),
  z.object({ intent: z.literal("revoke"), raterId: id("Okänd bedömare.") }),
  z.object({ intent: z.literal("share"), userId: id("Välj vem du vill dela med.") }),
  z.object({ intent: z.literal("unshare"), shareId: id("Okänd delning.") }),
]);

/** A plan holds 1 to this many goals. */
export const MAX_GOALS = 5;

export const goalStatuses = ["not_started", "under_way", "reached"] as const;

export const goalSchema = z.object({
  intent: z.literal("goal"),
  goalId: id("Okänt mål.").optional(),
  title: required(200, "Fyll i målet."),
  linkedTo: z.string({ required_error: "Välj vad målet hör till." }).trim().regex(/^[a-z0-9-]{1,40}$/, "Välj vad målet hör till."),
  actions: required(3000, "Skriv vad du ska göra."),
  managerSupport: optionalText(2000),
  startsOn: optionalDate,
  dueOn: optionalDate,
});

export const actionPlanSchema = z.discriminatedUnion("intent", [
  goalSchema,
  z.object({
    intent: z.literal("progress"),
    goalId: id("Okänt mål."),
    status: z.enum(goalStatuses, { errorMap: () => ({ message: "Välj hur långt du har kommit." }) }),
    reflection: optionalText(2000),
  }),
  z.object({ intent: z.literal("remove"), goalId: id("Okänt mål.") }),
  z.object({ intent: z.literal("shareWithManager") }),
  z.object({ intent: z.literal("stopSharing") }),
]);

export type InstrumentInput = z.infer<typeof instrumentSchema>;
export type RoundInput = z.infer<typeof roundSchema>;
export type AnswerInput = z.infer<typeof answerSchema>;
export type ParticipantFeedbackInput = z.infer<typeof participantFeedbackSchema>;
export type GoalInput = z.infer<typeof goalSchema>;
export type ActionPlanInput = z.infer<typeof actionPlanSchema>;
