/**
 * `npm run bench:profile`: where each benchmarked page's CPU goes (docs/performance.md).
 *
 * For each page of scripts/bench-pages.ts: starts the built portal on the scale data with
 * V8's sampling profiler on (`--cpu-prof`), logs in as the page's user, drives the page with
 * 20 connections for PROFILE_SECONDS, stops the server (which writes its profile) and sums the
 * profile's self time into a few categories: React rendering, Remix and its router, express and
 * its middleware, SQL (Kysely, the driver and SQLite itself, which runs inside the driver's call), Node's own HTTP and
 * streams, garbage collection, and our code (the app bundle). Prints, per page, the CPU time per
 * view and the share of each category, then the functions that cost most in our code.
 *
 * Needs `npm run build` and the scale data (`npm run bench` makes both). Environment:
 * PROFILE_SECONDS (8), BENCH_PAGES (comma-separated keys), PROFILE_DATABASE_URL (the scale
 * SQLite file; a postgres:// address profiles on PostgreSQL), BENCH_PORT (3207).
 * Writes bench-results/profile.json; keeps the raw .cpuprofile files in a temp folder (printed),
 * which Chrome's DevTools opens.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { databasePathFromUrl } from "../app/db/connection.server";
import { ACCOUNTS, benchIds, PAGES, type BenchRole } from "./bench-pages";
import { cpuMsOf, login, serverEnv, startProcess } from "./bench-support";
import { DEFAULT_SCALE_DATABASE } from "./seed-scale";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);

const PORT = Number(process.env.BENCH_PORT ?? 3207);
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 8);
const CONNECTIONS = 20;
const SECRET = "bench-session-secret-0123456789-abcdefghijklmnop";
const BUILD_DIR = process.env.REMIX_BUILD_DIR ? path.resolve(process.env.REMIX_BUILD_DIR) : path.join(ROOT, "build");
const SELECTED = process.env.BENCH_PAGES ? new Set(process.env.BENCH_PAGES.split(",")) : null;

/** A node of V8's .cpuprofile: one function at one place in the call tree. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The category a frame's self time counts to, by where its code lives. */
export function categoryOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(idle)") return "idle";
  if (functionName === "(program)") return "V8 and native (other)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (pkg === "react-dom" || pkg === "react") return "React rendering";
    if (pkg.startsWith("@remix-run/") || pkg === "react-router" || pkg === "react-router-dom" || pkg === "turbo-stream") return "Remix and router";
    // better-sqlite3 runs SQLite inside its native call, which the profiler books to the calling JavaScript frame
    // (Kysely's driver): on SQLite this category is the queries' own time too.
    if (pkg === "kysely" || pkg === "better-sqlite3" || pkg === "pg" || pkg.startsWith("pg-")) return "SQL (Kysely, the driver, SQLite itself)";
    if (["express", "helmet", "compression", "body-parser", "cookie", "cookie-signature", "send", "serve-static", "router", "finalhandler", "on-headers", "accepts", "negotiator"].includes(pkg)) {
      return "express and middleware";
    }
    if (pkg === "zod") return "zod";
    return `other packages`;
  }
  // Native functions called from JavaScript (better-sqlite3's statement methods among them) have no URL.
  if (!url) return ["all", "get", "run", "iterate", "prepare", "exec"].includes(functionName) ? "SQL (Kysely, the driver, SQLite itself)" : "V8 and native (other)";
  if (url.startsWith("node:")) return "Node (HTTP, streams, zlib, crypto)";
  if (url.includes("/build/")) return "our code (the app bundle)";
  return "other";
}

export interface ProfileSummary {
  totalMs: number;
  byCategory: Record<string, number>;
  /** Our code's most expensive functions by self time. */
  ownFunctions: { name: string; ms: number }[];
}

/** Self time per category and our own most expensive functions, from a .cpuprofile. */
export function summarise(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  // Each sample is the node on top of the stack; its time delta is how long since the previous sample.
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byCategory: Record<string, number> = {};
  const own = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    const category = categoryOf(node.callFrame);
    if (category === "idle") continue;
    byCategory[category] = (byCategory[category] ?? 0) + ms;
    totalMs += ms;
    if (category === "our code (the app bundle)") {
      const name = `${node.callFrame.functionName || "(anonymous)"} (${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1})`;
      own.set(name, (own.get(name) ?? 0) + ms);
    }
  }
  const ownFunctions = [...own].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, 8);
  return { totalMs, byCategory, ownFunctions };
}

async function main() {
  if (!fs.existsSync(path.join(BUILD_DIR, "server.mjs"))) throw new Error("No build: run `npm run build` (or `npm run bench`) first.");
  const url = process.env.PROFILE_DATABASE_URL ?? `file:${DEFAULT_SCALE_DATABASE}`;
  if (url.startsWith("file:") && !fs.existsSync(databasePathFromUrl(url))) throw new Error(`${url} is missing: run \`npm run db:seed:scale\` (or \`npm run bench\`) first.`);
  const ids = await benchIds(url, `http://127.0.0.1:${PORT}`);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-profiles-"));
  const results: { page: string; label: string; views: number; cpuMsPerView: number; summary: ProfileSummary }[] = [];
  const pages = PAGES.filter((p) => (!SELECTED || SELECTED.has(p.key)) && (!p.scaleOnly || ids.nationalProgrammeId !== null));

  for (const page of pages) {
    const dir = path.join(outDir, page.key);
    const server = await startProcess(
      page.key,
      ["--max-old-space-size=192", "--cpu-prof", `--cpu-prof-dir=${dir}`, path.join(BUILD_DIR, "server.mjs")],
      serverEnv({ url, port: PORT, publicPort: PORT, secret: SECRET, buildDir: BUILD_DIR }),
      PORT,
      "/healthz",
    );
    let views = 0;
    let cpuMs = 0;
    try {
      const cookie = page.role ? await login(server.url, ACCOUNTS[page.role as BenchRole]) : null;
      const paths = page.paths(ids);
      const load = (duration: number) =>
        autocannon({
          url: server.url,
          connections: CONNECTIONS,
          duration,
          headers: cookie ? { cookie } : {},
          requests: paths.map((p) => ({ method: "GET" as const, path: p })),
        }) as unknown as PromiseLike<autocannon.Result>;
      await load(2);
      const before = cpuMsOf(server.pid)!;
      const result = await load(SECONDS);
      cpuMs = cpuMsOf(server.pid)! - before;
      views = result.requests.total;
      if (result.non2xx) throw new Error(`${page.key}: ${result.non2xx} answers were not 2xx`);
    } finally {
      await server.stop();
    }
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error(`${page.key}: the server wrote no profile`);
    const summary = summarise(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile);
    results.push({ page: page.key, label: page.label, views, cpuMsPerView: cpuMs / views, summary });
    console.log(`  ${page.key.padEnd(20)} ${(cpuMs / views).toFixed(2)} ms CPU per view (${views} views)`);
  }

  // The table: per page, the CPU per view split by category (the profile covers warm-up and start too,
  // so shares are taken from the profile and applied to the measured CPU per view).
  const categories = [...new Set(results.flatMap((r) => Object.keys(r.summary.byCategory)))].sort(
    (a, b) => results.reduce((s, r) => s + (r.summary.byCategory[b] ?? 0), 0) - results.reduce((s, r) => s + (r.summary.byCategory[a] ?? 0), 0),
  );
  console.log(`\n| page | CPU ms/view | ${categories.join(" | ")} |`);
  console.log(`| --- | ---: | ${categories.map(() => "---:").join(" | ")} |`);
  for (const r of results) {
    const share = (c: string) => (r.summary.byCategory[c] ?? 0) / r.summary.totalMs;
    console.log(`| ${r.label} | ${r.cpuMsPerView.toFixed(2)} | ${categories.map((c) => `${(share(c) * r.cpuMsPerView).toFixed(2)} (${Math.round(share(c) * 100)} %)`).join(" | ")} |`);
  }
  console.log("\nOur code's most expensive functions (self time, share of the page's profile):");
  for (const r of results) {
    console.log(`  ${r.page}: ${r.summary.ownFunctions.slice(0, 5).map((f) => `${f.name} ${Math.round((f.ms / r.summary.totalMs) * 100)} %`).join(", ")}`);
  }
  const out = path.join(ROOT, "bench-results", "profile.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), database: url.startsWith("file:") ? "sqlite" : "postgres", seconds: SECONDS, results }, null, 2));
  console.log(`\nWritten to ${path.relative(ROOT, out)}; the raw profiles are in ${outDir}.`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
