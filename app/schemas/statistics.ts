import { z } from "zod";
import { MAX_ROW_NUMBER } from "./ids";

const id = z.coerce.number().int().positive().max(MAX_ROW_NUMBER);

// A whole month; an old link's full date (YYYY-MM-DD) is read as its month.
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])(-\d{2})?$/;
const monthMessage = "Ange en månad som ÅÅÅÅ-MM, till exempel 2026-04. Statistiken räknas per hel månad.";

/** The statistics view's query string (/statistik, /statistik.xlsx, /statistik.csv). */
export const statisticsQuerySchema = z
  .object({
    program: id.optional(),
    omgang: id.optional(),
    fran: z.string().regex(MONTH, monthMessage).optional(),
    till: z.string().regex(MONTH, monthMessage).optional(),
  })
  .refine((v) => !v.fran || !v.till || v.fran.slice(0, 7) <= v.till.slice(0, 7), {
    message: "Periodens första månad måste ligga före dess sista.",
    path: ["till"],
  });

export interface StatisticsQuery {
  filter: { programmeId?: number; cohortId?: number; fromMonth?: string; toMonth?: string };
  /** Full dates read as their months, for the page to say so. */
  widenedToMonths: string[];
}

const FIELD_LABELS: Record<string, string> = { program: "Program", omgang: "Omgång", fran: "Från", till: "Till" };

/**
 * Reads the query string; empty fields count as not given. Anything else that
 * does not parse is refused with a Swedish 400, so a download never silently
 * covers another selection than the one asked for.
 */
export function parseStatisticsQuery(url: URL): StatisticsQuery {
  const raw = Object.fromEntries(["program", "omgang", "fran", "till"].flatMap((k) => (url.searchParams.get(k) ? [[k, url.searchParams.get(k)!]] : [])));
  const result = statisticsQuerySchema.safeParse(raw);
  if (!result.success) {
    const message = result.error.issues.map((i) => `${FIELD_LABELS[String(i.path[0])] ?? "Urvalet"}: ${i.message}`).join(" ");
    throw new Response(message, { status: 400 });
  }
  const v = result.data;
  return {
    filter: { programmeId: v.program, cohortId: v.omgang, fromMonth: v.fran?.slice(0, 7), toMonth: v.till?.slice(0, 7) },
    widenedToMonths: [v.fran, v.till].filter((x): x is string => !!x && x.length > 7),
  };
}

/** The follow-up checkpoints and results, in the order the statistics and the forms list them. */
export const OUTCOME_CHECKPOINTS = ["4_weeks", "6_months"] as const;
export const OUTCOME_RESULTS = ["same_role", "new_role", "became_manager", "studying", "left_municipality", "unknown"] as const;

export const outcomeSchema = z.object({
  enrolmentId: id,
  checkpoint: z.enum(OUTCOME_CHECKPOINTS, { errorMap: () => ({ message: "Välj uppföljningstillfälle." }) }),
  result: z.enum(OUTCOME_RESULTS, { errorMap: () => ({ message: "Välj ett resultat." }) }),
});

export const scbReportSchema = z.object({
  intent: z.enum(["report", "correct"]),
  programmeId: id,
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Ange månaden som ÅÅÅÅ-MM."),
});
