import { getStatisticsCached as cachedResult } from "~/domain/statistics-cache.server";
import { getStatistics as statisticsResult } from "~/domain/statistics.server";
import type { Result } from "~/domain/result";
import { presentStatistics } from "~/ui/statistics-report";
import { refusalText } from "~/utils/action-result.server";

/** The report, or the refusal thrown as the route answers it (so tests read a report or expect a status). */
async function reportOf<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw refusalText(r);
  return r.value;
}

/** The report as the page and the downloads present it (labels and texts), from the domain's numbers. */
export const getStatistics = async (...args: Parameters<typeof statisticsResult>) => presentStatistics(await reportOf(statisticsResult(...args)));
/** The cached numbers themselves (the same object while the cache serves it). */
export const getStatisticsCached = (...args: Parameters<typeof cachedResult>) => reportOf(cachedResult(...args));
