import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { emptyDb } from "../../tests/support/db";
import { passwordProblem } from "./password-policy.server";
import { LIMITS, passwordRetryAfter, recordMalformedLogin, recordPasswordFailure, recordPasswordSuccess } from "./rate-limit.server";

describe("password-check limits (kept in the database)", () => {
  let db: Db;
  beforeEach(async () => {
    db = await emptyDb();
  });
  afterEach(() => db.destroy());

  it("lets one address fail across many accounts without holding back another account's login", async () => {
    const now = 1_000_000_000_000;
    for (let i = 0; i < 30; i++) await recordPasswordFailure(db, { ip: "1.2.3.4", account: `user${i}@x.se` }, now);
    expect(await passwordRetryAfter(db, { ip: "1.2.3.4", account: "anna@x.se" }, now)).toBe(0);
  });

  it("slows one address guessing one account with a growing wait, for that address only", async () => {
    let now = 1_000_000_000_000;
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const wait = await passwordRetryAfter(db, { ip: "1.2.3.4", account: "anna@x.se" }, now);
      waits.push(wait);
      now += wait * 1000;
      await recordPasswordFailure(db, { ip: "1.2.3.4", account: "anna@x.se" }, now);
    }
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 2, 4, 8]);
    expect(await passwordRetryAfter(db, { ip: "5.6.7.8", account: "anna@x.se" }, now)).toBe(0);
    // The owner logging in elsewhere does not free the guessing address.
    await recordPasswordSuccess(db, { ip: "5.6.7.8", account: "anna@x.se" });
    expect(await passwordRetryAfter(db, { ip: "1.2.3.4", account: "anna@x.se" }, now)).toBe(16);
    await recordPasswordSuccess(db, { ip: "1.2.3.4", account: "anna@x.se" });
    expect(await passwordRetryAfter(db, { ip: "1.2.3.4", account: "anna@x.se" }, now)).toBe(0);
  });

  it("slows guesses at one account from many addresses, at most a minute at a time", async () => {
    let now = 1_000_000_000_000;
    for (let i = 0; i < LIMITS.account.free + 10; i++) {
      now += (await passwordRetryAfter(db, { ip: `10.0.${i}.1`, account: "anna@x.se" }, now)) * 1000;
      await recordPasswordFailure(db, { ip: `10.0.${i}.1`, account: "anna@x.se" }, now);
    }
    expect(await passwordRetryAfter(db, { ip: "10.9.9.9", account: "anna@x.se" }, now)).toBe(60);
    expect(await passwordRetryAfter(db, { ip: "10.9.9.9", account: "bo@x.se" }, now)).toBe(0);
  });

  it("stops an address after a hundred failures of any kind, malformed forms included, for a while", async () => {
    let now = 1_000_000_000_000;
    for (let i = 0; i < LIMITS.ip.free; i++) {
      if (i % 2) await recordMalformedLogin(db, "1.2.3.4", now);
      else await recordPasswordFailure(db, { ip: "1.2.3.4", account: `user${i}@x.se` }, now);
    }
    expect(await passwordRetryAfter(db, { ip: "1.2.3.4" }, now)).toBe(0);
    await recordMalformedLogin(db, "1.2.3.4", now);
    expect(await passwordRetryAfter(db, { ip: "1.2.3.4" }, now)).toBe(2);
    expect(await passwordRetryAfter(db, { ip: "1.2.3.5" }, now)).toBe(0);
    now += LIMITS.ip.windowMs + 1;
    expect(await passwordRetryAfter(db, { ip: "1.2.3.4", account: "x@x.se" }, now)).toBe(0);
    // Counters past their window are cleared by the next failure anywhere; no address or e-mail is stored.
    await recordMalformedLogin(db, "9.9.9.9", now);
    const rows = await db.selectFrom("rate_limits").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("password policy", () => {
  it("asks for 12 to 256 characters that are hard to guess", () => {
    expect(passwordProblem("kort")).toMatch(/minst 12/);
    expect(passwordProblem("a".repeat(257))).toMatch(/högst 256/);
    expect(passwordProblem("password1234")).toMatch(/för vanligt/);
    expect(passwordProblem("aaaaaaaaaaaaaa")).toMatch(/för lätt att gissa/);
    expect(passwordProblem("Sommar2026!!")).toMatch(/för lätt att gissa/);
    expect(passwordProblem("Midsommar2026")).toMatch(/för lätt att gissa/);
    expect(passwordProblem("Vimmerby2026!")).toMatch(/för lätt att gissa/);
    expect(passwordProblem("Fika i Vimmerby varje tisdag")).toBeNull();
    expect(passwordProblem("cykeln står under äppelträdet i regn")).toBeNull();
  });

  it("counts the user's own name and e-mail as easy guesses", () => {
    expect(passwordProblem("lindqvistbergman", [])).toBeNull();
    expect(passwordProblem("lindqvistbergman", ["karin.lindqvist-bergman@vetlanda.se", "Karin Lindqvist"])).not.toBeNull();
  });
});
