/**
 * The project's full test pipeline (`npm test`).
 *
 *   node --import tsx scripts/test.ts               tsc, eslint, build, vitest, chromium, playwright
 *   node --import tsx scripts/test.ts --skip-e2e    tsc, eslint, build, vitest
 *   node --import tsx scripts/test.ts --only-e2e    build, chromium, playwright
 *   node --import tsx scripts/test.ts --only-chromium   just make sure Chromium is installed
 *
 * Steps run in order and the run stops at the first failure (exit code 1).
 * Tools are run from node_modules/.bin with inherited stdio.
 *
 * Chromium for Playwright (Playwright cannot download its own browsers here):
 * CHROMIUM_PATH if set, else /usr/bin/chromium, else — when running as root
 * with apt-get available — Debian's `chromium` package is installed. The path
 * is exported to the Playwright process as CHROMIUM_PATH.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const DEFAULT_CHROMIUM = "/usr/bin/chromium";

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = paint("1");
const red = paint("31");
const green = paint("32");
const yellow = paint("33");

class StepError extends Error {}

type Step = {
  name: string;
  run: () => Promise<void>;
};

type Result = {
  name: string;
  status: "ok" | "FAILED" | "not run";
  ms: number;
};

// ---------------------------------------------------------------- arguments

const USAGE = `usage: node --import tsx scripts/test.ts [--skip-e2e | --only-e2e | --only-chromium]`;
const args = process.argv.slice(2);
const known = new Set(["--skip-e2e", "--only-e2e", "--only-chromium", "--help", "-h"]);
for (const arg of args) {
  if (!known.has(arg)) {
    console.error(red(`test: unknown argument ${JSON.stringify(arg)}`));
    console.error(USAGE);
    process.exit(2);
  }
}
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const modes = ["--skip-e2e", "--only-e2e", "--only-chromium"].filter((m) => args.includes(m));
if (modes.length > 1) {
  console.error(red(`test: ${modes.join(" and ")} cannot be combined`));
  console.error(USAGE);
  process.exit(2);
}
const mode = modes[0] ?? "all";

// ---------------------------------------------------------------- helpers

let currentChild: ReturnType<typeof spawn> | undefined;

function describeCommand(command: string, commandArgs: string[]): string {
  return [command, ...commandArgs].join(" ");
}

/** Runs a command with inherited stdio; rejects with a StepError unless it exits 0. */
function run(
  command: string,
  commandArgs: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const shown = describeCommand(
      command.startsWith(BIN + path.sep) ? path.basename(command) : command,
      commandArgs,
    );
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      stdio: "inherit",
      env: options.env ?? process.env,
    });
    currentChild = child;
    child.on("error", (err) => {
      currentChild = undefined;
      reject(new StepError(`could not start \`${shown}\`: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      currentChild = undefined;
      if (code === 0) resolve();
      else if (signal) reject(new StepError(`\`${shown}\` was killed by ${signal}`));
      else reject(new StepError(`\`${shown}\` exited with code ${code}`));
    });
  });
}

/** A tool installed by npm, from node_modules/.bin. */
function bin(name: string): string {
  const file = path.join(BIN, name);
  if (!existsSync(file)) {
    throw new StepError(
      `${path.relative(ROOT, file)} is missing: dependencies are not installed. Run \`npm ci\` first.`,
    );
  }
  return file;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `command -v name`: the first executable `name` on PATH, or undefined. */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
}

// ---------------------------------------------------------------- chromium

let chromiumPath: string | undefined;

async function ensureChromium(): Promise<void> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) {
      throw new StepError(
        `CHROMIUM_PATH is set to ${JSON.stringify(fromEnv)}, but that is not an executable file. ` +
          `Point CHROMIUM_PATH at a Chromium/Chrome binary, or unset it to use ${DEFAULT_CHROMIUM}.`,
      );
    }
    chromiumPath = fromEnv;
    console.log(`Using Chromium from CHROMIUM_PATH: ${fromEnv}`);
  } else if (isExecutableFile(DEFAULT_CHROMIUM)) {
    chromiumPath = DEFAULT_CHROMIUM;
    console.log(`Using Chromium at ${DEFAULT_CHROMIUM}`);
  } else {
    const aptGet = which("apt-get");
    const isRoot = process.getuid?.() === 0;
    if (!isRoot || !aptGet) {
      const why = !aptGet ? "apt-get is not available" : "this is not running as root";
      throw new StepError(
        `Chromium is missing: CHROMIUM_PATH is not set and ${DEFAULT_CHROMIUM} does not exist, ` +
          `and it cannot be installed automatically because ${why}.\n` +
          `Install it with:  sudo apt-get update && sudo apt-get install -y chromium   (Debian/Ubuntu)\n` +
          `or set CHROMIUM_PATH to an existing Chromium/Chrome binary. ` +
          `(\`npx playwright install\` cannot download browsers on this network.)`,
      );
    }
    console.log(`Chromium not found at ${DEFAULT_CHROMIUM}; installing Debian's chromium package with apt-get.`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    // Wait for a concurrent apt/dpkg run instead of failing on its lock.
    const lockWait = ["-o", "DPkg::Lock::Timeout=300"];
    await run(aptGet, [...lockWait, "update"], { env: aptEnv });
    await run(
      aptGet,
      [...lockWait, "install", "-y", "--no-install-recommends", "chromium"],
      { env: aptEnv },
    );
    if (!isExecutableFile(DEFAULT_CHROMIUM)) {
      throw new StepError(
        `apt-get install chromium succeeded, but ${DEFAULT_CHROMIUM} still does not exist.`,
      );
    }
    chromiumPath = DEFAULT_CHROMIUM;
  }
  // Smoke check: the binary starts and prints its version.
  await run(chromiumPath, ["--version"]);
}

// ---------------------------------------------------------------- steps

const steps: Record<string, Step> = {
  tsc: { name: "typecheck (tsc --noEmit)", run: () => run(bin("tsc"), ["--noEmit"]) },
  eslint: {
    name: "lint (eslint --max-warnings=0 .)",
    run: () => run(bin("eslint"), ["--max-warnings=0", "."]),
  },
  build: { name: "build (npm run build: remix build and the server bundle)", run: () => run(process.execPath, ["--import", "tsx", "scripts/build.ts"]) },
  vitest: { name: "unit/integration tests (vitest run)", run: () => run(bin("vitest"), ["run"]) },
  chromium: { name: "chromium for e2e", run: ensureChromium },
  playwright: {
    name: "e2e tests (playwright test)",
    run: () => {
      if (!chromiumPath) throw new StepError("internal error: Chromium step did not run");
      return run(bin("playwright"), ["test"], {
        env: { ...process.env, CHROMIUM_PATH: chromiumPath },
      });
    },
  },
};

const plan: Record<string, string[]> = {
  all: ["tsc", "eslint", "build", "vitest", "chromium", "playwright"],
  "--skip-e2e": ["tsc", "eslint", "build", "vitest"],
  "--only-e2e": ["build", "chromium", "playwright"],
  "--only-chromium": ["chromium"],
};

const selected = (plan[mode] ?? []).map((key) => steps[key]!);
const results: Result[] = selected.map((s) => ({ name: s.name, status: "not run", ms: 0 }));

function printSummary(): void {
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`\n${bold("Summary")}`);
  for (const r of results) {
    const status =
      r.status === "ok"
        ? green("ok     ")
        : r.status === "FAILED"
          ? red("FAILED ")
          : yellow("not run");
    const time = r.status === "not run" ? "" : formatMs(r.ms);
    console.log(`  ${status}  ${r.name.padEnd(width)}  ${time}`);
  }
  const total = results.reduce((sum, r) => sum + r.ms, 0);
  console.log(`  total ${formatMs(total)}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    currentChild?.kill(signal);
    console.error(red(`\ntest: interrupted by ${signal}`));
    printSummary();
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

for (const [i, step] of selected.entries()) {
  console.log(`\n${bold(`==> [${i + 1}/${selected.length}] ${step.name}`)}`);
  const started = Date.now();
  const result = results[i]!;
  try {
    await step.run();
    result.status = "ok";
    result.ms = Date.now() - started;
  } catch (err) {
    result.status = "FAILED";
    result.ms = Date.now() - started;
    const message = err instanceof StepError ? err.message : String(err instanceof Error ? err.stack : err);
    printSummary();
    console.error(red(`\ntest: FAILED at step "${step.name}": ${message}`));
    process.exit(1);
  }
}

printSummary();
console.log(green(`\ntest: all ${selected.length} steps passed`));
