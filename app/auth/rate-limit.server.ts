/**
 * Brakes on password guessing, kept in memory (one server process):
 * - per IP: at most 10 failed logins a minute, then 429 until the minute has passed;
 * - per account: after 5 failures in 15 minutes each further try must wait a
 *   growing delay (2, 4, 8 ... at most 60 seconds). A short cap means an
 *   attacker can slow a real user down but never lock them out for long.
 */
const IP_WINDOW_MS = 60_000;
const IP_MAX_FAILURES = 10;
const ACCOUNT_WINDOW_MS = 15 * 60_000;
const ACCOUNT_FREE_FAILURES = 5;
const ACCOUNT_MAX_DELAY_MS = 60_000;

interface Failures {
  times: number[];
}

export class LoginRateLimiter {
  private byIp = new Map<string, Failures>();
  private byAccount = new Map<string, Failures>();

  constructor(private now: () => number = Date.now) {}

  /** Seconds to wait before another try is allowed, or 0. */
  retryAfterSeconds(ip: string, account: string): number {
    const now = this.now();
    const ipFailures = this.recent(this.byIp, ip, IP_WINDOW_MS, now);
    if (ipFailures.length >= IP_MAX_FAILURES) return Math.ceil((ipFailures[0] + IP_WINDOW_MS - now) / 1000);
    const accountFailures = this.recent(this.byAccount, account, ACCOUNT_WINDOW_MS, now);
    const excess = accountFailures.length - ACCOUNT_FREE_FAILURES;
    if (excess < 0) return 0;
    const delay = Math.min(2 ** (excess + 1) * 1000, ACCOUNT_MAX_DELAY_MS);
    const waitUntil = accountFailures[accountFailures.length - 1] + delay;
    return waitUntil > now ? Math.ceil((waitUntil - now) / 1000) : 0;
  }

  recordFailure(ip: string, account: string): void {
    const now = this.now();
    this.push(this.byIp, ip, now);
    this.push(this.byAccount, account, now);
  }

  recordSuccess(account: string): void {
    this.byAccount.delete(account);
  }

  private recent(map: Map<string, Failures>, key: string, windowMs: number, now: number): number[] {
    const entry = map.get(key);
    if (!entry) return [];
    entry.times = entry.times.filter((t) => t > now - windowMs);
    if (!entry.times.length) map.delete(key);
    return entry.times;
  }

  private push(map: Map<string, Failures>, key: string, now: number) {
    const entry = map.get(key) ?? { times: [] };
    entry.times.push(now);
    if (entry.times.length > 100) entry.times.shift();
    map.set(key, entry);
    // Keep memory bounded under a spray of addresses.
    if (map.size > 50_000) map.delete(map.keys().next().value as string);
  }
}
