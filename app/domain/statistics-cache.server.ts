/**
 * An in-process cache in front of getStatistics, so that the statistics of a
 * large programme (hundreds of cohorts, hundreds of thousands of attendance
 * rows) answer in milliseconds instead of being counted again on every visit.
 * See docs/performance.md.
 *
 * Key: the caller's grants (so only callers with exactly the same rights share
 * an entry, and every access decision is the one getStatistics made), the
 * filter and the day. Nothing is cached for a caller who is refused:
 * getStatistics throws, writes its audit entry, and the next try does the same.
 *
 * A programme's protected breakdowns (the small-number audit, ADR 017) are the
 * same for every filter and every funder or lead of it, so they have their
 * own entries, keyed by programme and day and used only after getStatistics
 * has decided the caller may see that programme. They are reused only while
 * nothing has been written, so a report never mixes fresh figures with
 * older breakdowns.
 *
 * Freshness: each entry remembers the database's change counter when it was
 * computed (dialect changeCounter: on SQLite this connection's changes plus
 * commits by other processes; on PostgreSQL the transaction snapshot, which
 * every app process's commits move).
 * While nothing has been written the entry is exact and is served as is.
 * After a write it is served for at most MAX_STALE_MS more, then counted
 * again, so a figure is never more than a minute behind, and a busy portal
 * (logins and audit entries are writes too) counts a report at most once a
 * minute. Requests that arrive while a report is being counted wait for that
 * one count instead of starting their own.
 */
import { dialectOf } from "~/db/dialect.server";
import type { Db } from "~/db/connection.server";
import { stockholmToday } from "~/utils/format";
import type { Ctx } from "./context.server";
import type { Result } from "./result";
import { computeBreakdowns, type Breakdowns } from "./internal/statistics-breakdowns.server";
import { getStatistics, type BreakdownSource, type StatisticsData, type StatisticsFilter } from "./statistics.server";

export const MAX_STALE_MS = 60_000;
const MAX_ENTRIES = 500;

interface Entry<T> {
  version: string;
  computedAt: number;
  value: T;
}

/** Fresh entries by key, most recently used last, and the computations under way. */
class Memo<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(private readonly maxStaleMs: number) {}

  get(key: string, version: string, now: number, compute: () => Promise<T>, retry: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && (entry.version === version || now - entry.computedAt < this.maxStaleMs)) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return Promise.resolve(entry.value);
    }
    const running = this.inFlight.get(key);
    if (running) return running.catch(retry);
    const computing = compute()
      .then((value) => {
        this.entries.delete(key);
        this.entries.set(key, { version, computedAt: now, value });
        if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, computing);
    return computing;
  }
}

interface Cache {
  reports: Memo<Result<StatisticsData>>;
  breakdowns: Memo<Breakdowns>;
}

const caches = new WeakMap<Db, Cache>();

function cacheFor(db: Db): Cache {
  let cache = caches.get(db);
  // A report counted now takes breakdowns of the same data, never older ones: the page's totals agree.
  if (!cache) caches.set(db, (cache = { reports: new Memo(MAX_STALE_MS), breakdowns: new Memo(0) }));
  return cache;
}

function keyOf(ctx: Ctx, filter: StatisticsFilter, today: string): string {
  const grants = ctx.grants.map((g) => `${g.role}:${g.municipalityId ?? ""}:${g.programmeId ?? ""}:${g.participantId ?? ""}`).sort();
  return JSON.stringify([grants, filter.programmeId ?? null, filter.cohortId ?? null, filter.fromMonth ?? null, filter.toMonth ?? null, today]);
}

/** getStatistics, answered from the cache while it is fresh (see above). */
export async function getStatisticsCached(
  ctx: Ctx,
  filter: StatisticsFilter,
  today: string = stockholmToday(),
  now: number = Date.now(),
): Promise<Result<StatisticsData>> {
  const cache = cacheFor(ctx.db);
  const version = await dialectOf(ctx.db).changeCounter(ctx.db);
  const breakdowns: BreakdownSource = (db, scope, municipalities, protect) => {
    const compute = () => computeBreakdowns(db, scope, municipalities, protect);
    return protect ? cache.breakdowns.get(JSON.stringify([scope, municipalities.map((m) => m.key)]), version, now, compute, compute) : compute();
  };
  const compute = () => getStatistics(ctx, filter, today, breakdowns);
  // A refusal is not shared: each caller asks again, so each gets its own audit entry.
  return cache.reports.get(keyOf(ctx, filter, today), version, now, compute, compute);
}
