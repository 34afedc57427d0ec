import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy.server";
import { LoginRateLimiter } from "./rate-limit.server";

describe("login rate limits", () => {
  it("lets 10 failures a minute through per IP, then asks to wait until the minute has passed", () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(() => now);
    for (let i = 0; i < 10; i++) {
      expect(limiter.retryAfterSeconds("1.2.3.4", `user${i}@x.se`)).toBe(0);
      limiter.recordFailure("1.2.3.4", `user${i}@x.se`);
    }
    expect(limiter.retryAfterSeconds("1.2.3.4", "other@x.se")).toBe(60);
    expect(limiter.retryAfterSeconds("5.6.7.8", "other@x.se")).toBe(0);
    now += 61_000;
    expect(limiter.retryAfterSeconds("1.2.3.4", "other@x.se")).toBe(0);
  });

  it("slows an account down with a growing delay that is capped at a minute", () => {
    let now = 0;
    const limiter = new LoginRateLimiter(() => now);
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      now += 1000;
      const wait = limiter.retryAfterSeconds(`10.0.0.${i}`, "anna@x.se");
      delays.push(wait);
      now += wait * 1000;
      limiter.recordFailure(`10.0.0.${i}`, "anna@x.se");
    }
    expect(delays.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(delays.slice(6)).toEqual([3, 7, 15, 31, 59, 59]);
    limiter.recordSuccess("anna@x.se");
    expect(limiter.retryAfterSeconds("10.0.0.99", "anna@x.se")).toBe(0);
  });
});

describe("password policy", () => {
  it("asks for 12 to 256 characters and refuses common passwords", () => {
    expect(passwordProblem("kort")).toMatch(/minst 12/);
    expect(passwordProblem("a".repeat(257))).toMatch(/högst 256/);
    expect(passwordProblem("password1234")).toMatch(/för vanligt/);
    expect(passwordProblem("aaaaaaaaaaaaaa")).not.toBeNull();
    expect(passwordProblem("Fika i Vimmerby varje tisdag")).toBeNull();
  });
});
