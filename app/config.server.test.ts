import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.server";

const quiet = () => {};

describe("configuration from the environment", () => {
  it("works with no configuration at all", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfg-"));
    const config = loadConfig({ DATABASE_URL: `file:${dir}/portal.sqlite` }, quiet);
    expect(config.port).toBe(3000);
    expect(config.seedDemo).toBe(true);
    expect(config.cookieSecure).toBe(true);
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.webConcurrency).toBe(1);
  });

  it("reads WEB_CONCURRENCY as the number of app processes, and refuses nonsense with its name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfg-"));
    expect(loadConfig({ DATABASE_URL: `file:${dir}/portal.sqlite`, WEB_CONCURRENCY: "4" }, quiet).webConcurrency).toBe(4);
    for (const bad of ["0", "many", "2.5", "65"]) {
      expect(() => loadConfig({ DATABASE_URL: `file:${dir}/portal.sqlite`, WEB_CONCURRENCY: bad }, quiet)).toThrow(/WEB_CONCURRENCY/);
    }
    // Every process would have a database of its own.
    expect(() => loadConfig({ DATABASE_URL: ":memory:", WEB_CONCURRENCY: "2" }, quiet)).toThrow(/WEB_CONCURRENCY: must be 1 with an in-memory database/);
  });

  it("keeps a generated session secret beside the database, so sessions survive a restart", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfg-"));
    const lines: string[] = [];
    const first = loadConfig({ DATABASE_URL: `file:${dir}/portal.sqlite` }, (l) => lines.push(l));
    const second = loadConfig({ DATABASE_URL: `file:${dir}/portal.sqlite` }, (l) => lines.push(l));
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(fs.readFileSync(path.join(dir, "session-secret"), "utf8").trim()).toBe(first.sessionSecret);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("SESSION_SECRET is not set");
  });

  it("keeps the session secret readable by this user only, also after a restore made it readable by others", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfg-"));
    const file = path.join(dir, "session-secret");
    loadConfig({ DATABASE_URL: `file:${dir}/portal.sqlite` }, quiet);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.chmodSync(file, 0o644);
    const lines: string[] = [];
    loadConfig({ DATABASE_URL: `file:${dir}/portal.sqlite` }, (l) => lines.push(l));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(lines[0]).toContain("mode 600");
  });

  it.each([
    [{ PORT: "tusen" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ SESSION_SECRET: "kort" }, "SESSION_SECRET"],
    [{ SEED_DEMO: "kanske" }, "SEED_DEMO"],
  ])("stops with one line naming the bad variable (%o)", (env, name) => {
    expect(() => loadConfig({ DATABASE_URL: ":memory:", ...env }, quiet)).toThrowError(ConfigError);
    try {
      loadConfig({ DATABASE_URL: ":memory:", ...env }, quiet);
    } catch (error) {
      expect((error as Error).message).toMatch(new RegExp(`^Invalid environment variable ${name}: `));
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("reads SEED_DEMO=false", () => {
    expect(loadConfig({ DATABASE_URL: ":memory:", SEED_DEMO: "false" }, quiet).seedDemo).toBe(false);
  });
});

describe("configuration for PostgreSQL", () => {
  const pgUrl = "postgres://portal:hemligt@db.kommun.se:5432/portal";
  const secret = "a-session-secret-of-at-least-32-characters";

  it("takes a postgres:// address with the pool's settings, defaults first", () => {
    const config = loadConfig({ DATABASE_URL: pgUrl, SESSION_SECRET: secret }, quiet);
    expect(config.databaseUrl).toBe(pgUrl);
    expect(config.databasePool).toEqual({ max: 10, idleTimeoutMs: 30_000, connectionTimeoutMs: 10_000, statementTimeoutMs: 30_000 });
    const tuned = loadConfig(
      { DATABASE_URL: pgUrl, SESSION_SECRET: secret, DATABASE_POOL_MAX: "25", DATABASE_POOL_IDLE_SECONDS: "5", DATABASE_CONNECT_TIMEOUT_SECONDS: "2", DATABASE_STATEMENT_TIMEOUT_SECONDS: "0" },
      quiet,
    );
    expect(tuned.databasePool).toEqual({ max: 25, idleTimeoutMs: 5_000, connectionTimeoutMs: 2_000, statementTimeoutMs: 0 });
  });

  it("asks for SESSION_SECRET, which every app process must share, instead of keeping one in a file", () => {
    expect(() => loadConfig({ DATABASE_URL: pgUrl }, quiet)).toThrowError(
      "Invalid environment variable SESSION_SECRET: must be set when DATABASE_URL is a PostgreSQL address",
    );
  });

  it.each([
    [{ DATABASE_URL: "mysql://db/portal" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgres://portal@db.kommun.se:femtiofyra/portal" }, "DATABASE_URL"],
    [{ DATABASE_POOL_MAX: "0" }, "DATABASE_POOL_MAX"],
    [{ DATABASE_POOL_MAX: "många" }, "DATABASE_POOL_MAX"],
    [{ DATABASE_POOL_IDLE_SECONDS: "-1" }, "DATABASE_POOL_IDLE_SECONDS"],
    [{ DATABASE_CONNECT_TIMEOUT_SECONDS: "0" }, "DATABASE_CONNECT_TIMEOUT_SECONDS"],
    [{ DATABASE_STATEMENT_TIMEOUT_SECONDS: "-5" }, "DATABASE_STATEMENT_TIMEOUT_SECONDS"],
  ])("stops with one line naming the bad database setting (%o)", (env, name) => {
    expect(() => loadConfig({ DATABASE_URL: pgUrl, SESSION_SECRET: secret, ...env }, quiet)).toThrowError(
      new RegExp(`^Invalid environment variable ${name}: [^\\n]+$`),
    );
  });
});
