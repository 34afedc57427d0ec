import { z } from "zod";
import { lines } from "./evaluations";

export const MAX_GOALS = 8;

/** The programme lead's goals, one per line. */
export const programmeGoalsSchema = z.object({
  goals: lines(MAX_GOALS, "mål", "mål"),
});
export type ProgrammeGoalsInput = z.infer<typeof programmeGoalsSchema>;

const score = z.coerce
  .number({ invalid_type_error: "Välj ett värde mellan 1 och 5." })
  .int("Välj ett värde mellan 1 och 5.")
  .min(1, "Välj ett värde mellan 1 och 5.")
  .max(5, "Välj ett värde mellan 1 och 5.");

/** A participant's rating of themself: a score per goal (`scores.g<id>`), at the start or the end. */
export const selfRatingSchema = z.object({
  phase: z.enum(["start", "end"], { errorMap: () => ({ message: "Okänd skattning. Ladda om sidan." }) }),
  scores: z.record(z.string().regex(/^g\d{1,9}$/), score, { required_error: "Skatta dig mot varje mål." }).default({}),
});
export type SelfRatingInput = z.infer<typeof selfRatingSchema>;
