import { z } from "zod";

export const MAX_STATEMENTS = 8;

const score = z.coerce
  .number({ invalid_type_error: "Välj ett värde mellan 1 och 5." })
  .int("Välj ett värde mellan 1 och 5.")
  .min(1, "Välj ett värde mellan 1 och 5.")
  .max(5, "Välj ett värde mellan 1 och 5.");

/** A participant's answer: a score per statement (`scores.s<id>`) and an optional comment. */
export const evaluationAnswerSchema = z.object({
  scores: z.record(z.string().regex(/^s\d{1,12}$/), score, { required_error: "Svara på påståendena." }).default({}),
  comment: z.string().trim().max(2000, "Skriv högst 2 000 tecken.").optional(),
});
export type EvaluationAnswer = z.infer<typeof evaluationAnswerSchema>;

/** Lines of text a lead writes (statements, goals): empty lines are dropped. */
export const lines = (max: number, noun: string, plural: string) =>
  z
    .array(z.string().trim().max(300, `Skriv högst 300 tecken per ${noun}.`).optional(), { invalid_type_error: `Skriv minst ett ${noun}.` })
    .max(max, `Högst ${max} ${plural}.`)
    .default([])
    .transform((v) => v.filter((s): s is string => Boolean(s)))
    .refine((v) => v.length > 0, `Skriv minst ett ${noun}.`);

export const evaluationSetupSchema = z.object({
  statements: lines(MAX_STATEMENTS, "påstående", "påståenden"),
  minAnswers: z.coerce
    .number({ invalid_type_error: "Ange ett heltal, minst 3." })
    .int("Ange ett heltal, minst 3.")
    .min(3, "Resultat visas aldrig för färre än 3 svar.")
    .max(50, "Ange högst 50."),
});
export type EvaluationSetup = z.infer<typeof evaluationSetupSchema>;
