import { getStatisticsCached as cachedResult } from "~/domain/statistics-cache.server";
import { getStatistics as statisticsResult } from "~/domain/statistics.server";
import type { Result } from "~/domain/result";
import { refusalText } from "~/utils/action-result.server";

/** The report, or the refusal thrown as the route answers it (so tests read a report or expect a status). */
async function reportOf<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw refusalText(r);
  return r.value;
}

export const getStatistics = (...args: Parameters<typeof statisticsResult>) => reportOf(statisticsResult(...args));
export const getStatisticsCached = (...args: Parameters<typeof cachedResult>) => reportOf(cachedResult(...args));
