import { z } from "zod";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Ange datumet som ÅÅÅÅ-MM-DD.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v), "Ange ett giltigt datum.");
const id = z.coerce.number().int().positive().max(1e12);

/** The statistics view's query string (/statistik, /statistik.xlsx, /statistik.csv). */
export const statisticsQuerySchema = z
  .object({
    program: id.optional(),
    omgang: id.optional(),
    fran: isoDate.optional(),
    till: isoDate.optional(),
  })
  .refine((v) => !v.fran || !v.till || v.fran <= v.till, { message: "Periodens början måste ligga före dess slut.", path: ["till"] });

export type StatisticsQuery = z.infer<typeof statisticsQuerySchema>;

/**
 * Reads the query string; empty fields count as not given. Returns the
 * filter and the Swedish messages for anything that had to be left out.
 */
export function parseStatisticsQuery(url: URL): { filter: { programmeId?: number; cohortId?: number; from?: string; to?: string }; errors: string[] } {
  const raw = Object.fromEntries(["program", "omgang", "fran", "till"].flatMap((k) => (url.searchParams.get(k) ? [[k, url.searchParams.get(k)]] : [])));
  const result = statisticsQuerySchema.safeParse(raw);
  if (result.success) {
    const v = result.data;
    return { filter: { programmeId: v.program, cohortId: v.omgang, from: v.fran, to: v.till }, errors: [] };
  }
  const bad = new Set(result.error.issues.map((i) => String(i.path[0])));
  const kept = statisticsQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
  const v = kept.success ? kept.data : {};
  return {
    filter: { programmeId: v.program, cohortId: v.omgang, from: v.fran, to: v.till },
    errors: result.error.issues.map((i) => `${i.path[0] === "fran" ? "Från" : i.path[0] === "till" ? "Till" : "Urvalet"}: ${i.message}`),
  };
}

export const outcomeSchema = z.object({
  enrolmentId: id,
  checkpoint: z.enum(["4_weeks", "6_months"], { errorMap: () => ({ message: "Välj uppföljningstillfälle." }) }),
  result: z.enum(["same_role", "new_role", "became_manager", "studying", "left_municipality", "unknown"], { errorMap: () => ({ message: "Välj ett resultat." }) }),
});

export const scbReportSchema = z.object({
  intent: z.enum(["report", "correct"]),
  programmeId: id,
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Ange månaden som ÅÅÅÅ-MM."),
});
