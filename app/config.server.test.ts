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
    [{ DATABASE_URL: "postgres://x" }, "DATABASE_URL"],
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
