/**
 * `npm run bench`: performance at national scale (docs/performance.md).
 *
 *  1. builds the app as `npm run build` does (`remix build` and the server bundle, into
 *     REMIX_BUILD_DIR when set);
 *  2. creates the national-scale database when it is missing (scripts/seed-scale.ts;
 *     SCALE_DATABASE_URL or db/data/scale.sqlite) and a fresh demo database in a temp folder;
 *  3. explains every query of every benchmarked page (scripts/bench-plans.ts) and fails
 *     when one that serves a single user scans a table that grows with the country;
 *  4. starts the production server on the scale database and the bare baseline
 *     (scripts/bench-baseline.ts), logs in once per role, and drives each page with
 *     autocannon (20 connections, BENCH_ROUNDS rounds of BENCH_SECONDS s each, the round
 *     with the median p95 reported), sampling the server's memory every 100 ms; then the
 *     same pages on the demo data;
 *  5. sums the JavaScript each route ships (gzipped) and fails when one is over 150 kB;
 *  6. prints one table and writes bench-results/latest.json.
 *
 * Each page is reported with the CPU time the app process spends per view (from /proc: the
 * stable figure on a noisy machine), and on PostgreSQL also the database server's.
 *
 * Exit code 1 on a bad query plan, too much JavaScript or a page that does not answer
 * 200. The time and memory targets are reported (met / missed), not enforced: they are
 * benchmarks, and the figures move when other work runs on the machine.
 *
 * Environment: BENCH_PORT (3207), BASELINE_PORT (3208), BENCH_SECONDS (5), BENCH_ROUNDS (3),
 * BENCH_CONNECTIONS (20), BENCH_PAGES (comma-separated keys, default all),
 * BENCH_SKIP_BUILD=1 (reuse the build), BENCH_SKIP_DEMO=1 (no demo comparison),
 * BENCH_BACKENDS (default "sqlite,postgres": the scale pages and the baseline on each; PostgreSQL is a
 * throw-away embedded server with the scale data copied in, the app connecting as a role held by
 * row-level security), BENCH_DATABASE_URL=postgres://… (use that database instead of the embedded
 * one: filled from the scale file when empty). Query plans are checked on the SQLite file; the demo
 * comparison runs on SQLite.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";
import autocannon from "autocannon";
import { databasePathFromUrl, isPostgresUrl, migrateToLatest, openDatabase } from "../app/db/connection.server";
import { seedDemo } from "../db/seed/demo";
import { ACCOUNTS, benchIds, PAGES, type BenchIds, type BenchRole } from "./bench-pages";
import { benchPostgres, cleanup, cpuMsOf, login, memoryOf, postgresCpuMs, serverEnv, startProcess, stopBenchPostgres } from "./bench-support";
import { explainPages, type PagePlans } from "./bench-plans";
import { DEFAULT_SCALE_DATABASE, seedScale } from "./seed-scale";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);

const PORT = Number(process.env.BENCH_PORT ?? 3207);
const BASELINE_PORT = Number(process.env.BASELINE_PORT ?? 3208);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// One round can be unlucky on a shared machine: the round with the median p95 is reported.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const WARMUP_SECONDS = 2;
const HEAP_CAP = /--max-old-space-size=\d+/.exec(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start)?.[0] ?? "--max-old-space-size=192";
const SECRET = "bench-session-secret-0123456789-abcdefghijklmnop";
const BUILD_DIR = process.env.REMIX_BUILD_DIR ? path.resolve(process.env.REMIX_BUILD_DIR) : path.join(ROOT, "build");
const SELECTED = process.env.BENCH_PAGES ? new Set(process.env.BENCH_PAGES.split(",")) : null;
const pages = PAGES.filter((p) => !SELECTED || SELECTED.has(p.key));

// Targets (issue 8).
const P95_TARGET_MS = 100;
const CPU_TARGET_MS = 3;
const DEMO_RATIO_TARGET = 1.5;
const SCHEDULE_BASELINE_SHARE = 0.4;
const MEMORY_TARGET_MB = 300;
const JS_LIMIT_KB = 150;
const SEED_TARGET_S = 180;

const log = (line: string) => console.log(line);
const step = (title: string) => log(`\n== ${title}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------- processes

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${out}`))));
  });
}

/**
 * Reads a file from start to end and throws the bytes away. A busy machine (a
 * clean install, another build) pushes the 900 MB scale database out of the
 * operating system's page cache, and the first pages measured would then be
 * timing the disk. A portal in use keeps its database warm.
 */
async function readThrough(file: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 8 * 1024 * 1024 })) bytes += (chunk as Buffer).length;
  return bytes;
}


// ---------------------------------------------------------------- load

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Peak resident memory of the server while this page ran, MB. */
  peakRssMb: number | null;
  /** The very first request to the page's main address, before any warm-up (ms). */
  firstMs: number | null;
  /** p95 of every round, in the order they ran (the reported figures are the median round's). */
  roundsP95: number[];
  /** The server process's CPU time per answered request (ms): the stable figure on a noisy machine. */
  cpuMsPerView: number | null;
  /** On PostgreSQL, the database server's CPU time per request (ms); null on SQLite, where it is in the app's. */
  dbCpuMsPerView: number | null;
}

/** What to watch while a page is driven: the server's memory and CPU, and the database server's CPU. */
interface Watch {
  pid: number;
  memory: boolean;
  /** The port of the PostgreSQL server the app uses, whose CPU is counted too; null on SQLite. */
  postgresPort: number | null;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

async function drive(baseUrl: string, paths: string[], cookie: string | null, duration: number, watch: Watch | null): Promise<LoadResult> {
  let peak = 0;
  const sampler = watch?.memory
    ? setInterval(() => {
        const m = memoryOf(watch.pid);
        if (m && m.rss > peak) peak = m.rss;
      }, 100)
    : null;
  const cpuBefore = watch ? cpuMsOf(watch.pid) : null;
  const dbCpuBefore = watch?.postgresPort ? postgresCpuMs(watch.postgresPort) : null;
  const latencies: number[] = [];
  // Without a callback autocannon returns its tracker (an EventEmitter) made thenable.
  const instance = autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration,
    headers: cookie ? { cookie } : {},
    // Each connection requests the paths in turn.
    requests: paths.map((p) => ({ method: "GET" as const, path: p })),
    timeout: 30,
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  if (sampler) clearInterval(sampler);
  const cpuAfter = watch ? cpuMsOf(watch.pid) : null;
  const dbCpuAfter = dbCpuBefore === null || !watch?.postgresPort ? null : postgresCpuMs(watch.postgresPort);
  const answered = result.requests.total;
  latencies.sort((a, b) => a - b);
  return {
    cpuMsPerView: cpuBefore !== null && cpuAfter !== null && answered ? (cpuAfter - cpuBefore) / answered : null,
    dbCpuMsPerView: dbCpuBefore !== null && dbCpuAfter !== null && answered ? (dbCpuAfter - dbCpuBefore) / answered : null,
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || duration),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    peakRssMb: watch?.memory ? Math.round(peak) : null,
    firstMs: null,
    roundsP95: [],
  };
}

async function measure(baseUrl: string, paths: string[], cookie: string | null, watch: Watch | null): Promise<LoadResult> {
  // Every address must answer 200 (the first answer is timed: nothing cached yet),
  // then a warm-up (JIT, SQLite page cache), then the measurement.
  let firstMs: number | null = null;
  for (const pathname of paths) {
    const t = performance.now();
    const check = await fetch(baseUrl + pathname, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    const body = await check.text();
    firstMs ??= performance.now() - t;
    if (check.status !== 200) throw new Error(`${pathname} answered ${check.status}: ${body.slice(0, 300)}`);
  }
  await drive(baseUrl, paths, cookie, WARMUP_SECONDS, null);
  const rounds: LoadResult[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await drive(baseUrl, paths, cookie, SECONDS, watch));
  const median = [...rounds].sort((a, b) => a.p95 - b.p95)[Math.floor((rounds.length - 1) / 2)];
  const peaks = rounds.map((r) => r.peakRssMb).filter((m): m is number => m !== null);
  return {
    ...median,
    peakRssMb: peaks.length ? Math.max(...peaks) : null,
    firstMs,
    roundsP95: rounds.map((r) => r.p95),
  };
}

// ---------------------------------------------------------------- datasets

interface Dataset {
  name: "scale" | "demo";
  /** How the dataset is named in the output: "scale", "scale pg" or "demo". */
  label: string;
  /** The database the servers run on: an SQLite file, or PostgreSQL for the scale data with BENCH_DATABASE_URL. */
  url: string;
  ids: BenchIds;
}

/** A dataset: its database, migrated, and the ids its pages need. */
async function prepare(name: Dataset["name"], url: string, label: string = name): Promise<Dataset> {
  return { name, label, url, ids: await benchIds(url, `http://127.0.0.1:${PORT}`) };
}

interface PageRun {
  portal: LoadResult;
  baseline: LoadResult | null;
}

async function benchDataset(dataset: Dataset, withBaseline: boolean): Promise<{ runs: Record<string, PageRun>; serverPeakMb: number }> {
  // The same V8 heap cap as `npm start` (package.json): the live heap is ~65 MB, and without a cap
  // V8 lets garbage pile up to 200+ MB under load before it collects.
  // As `npm start` runs it: the built server on plain Node, with the same heap cap.
  const portal = await startProcess("portal", [HEAP_CAP, path.join(BUILD_DIR, "server.mjs")], serverEnv({ url: dataset.url, port: PORT, publicPort: PORT, secret: SECRET, buildDir: BUILD_DIR }), PORT, "/healthz");
  const baseline = withBaseline
    ? await startProcess(
        "baseline",
        ["--import", "tsx", "scripts/bench-baseline.ts"],
        serverEnv({ url: dataset.url, port: BASELINE_PORT, publicPort: PORT, secret: SECRET, buildDir: BUILD_DIR }, { BENCH_IDS: JSON.stringify(dataset.ids) }),
        BASELINE_PORT,
        "/",
      )
    : null;
  const runs: Record<string, PageRun> = {};
  let serverPeakMb = 0;
  try {
    const runnable = pages.filter((p) => !p.scaleOnly || dataset.name === "scale");
    const cookies = new Map<BenchRole, string>();
    for (const page of runnable) {
      if (page.role && !cookies.has(page.role)) cookies.set(page.role, await login(portal.url, ACCOUNTS[page.role]));
    }
    for (const page of runnable) {
      const cookie = page.role ? cookies.get(page.role)! : null;
      const paths = page.paths(dataset.ids);
      const started = Date.now();
      const postgresPort = isPostgresUrl(dataset.url) ? Number(new URL(dataset.url).port || 5432) : null;
      const portalResult = await measure(portal.url, paths, cookie, { pid: portal.pid, memory: true, postgresPort });
      const baselineResult = baseline ? await measure(baseline.url, paths, cookie, { pid: baseline.pid, memory: false, postgresPort }) : null;
      runs[page.key] = { portal: portalResult, baseline: baselineResult };
      log(
        `  ${dataset.label.padEnd(8)} ${page.key.padEnd(20)} ${fmt(portalResult.cpuMsPerView, 2).padStart(6)} ms CPU ${fmt(portalResult.rps, 0).padStart(6)} req/s  p95 ${fmt(portalResult.p95, 0).padStart(4)} ms` +
          ` (rounds ${portalResult.roundsP95.map((p) => fmt(p, 0)).join("/")})` +
          (baselineResult ? `   baseline ${fmt(baselineResult.cpuMsPerView, 2)} ms CPU ${fmt(baselineResult.rps, 0).padStart(6)} req/s  p95 ${fmt(baselineResult.p95, 0).padStart(4)} ms` : "") +
          `   (${seconds(started)})`,
      );
    }
    serverPeakMb = Math.round(memoryOf(portal.pid)?.hwm ?? 0);
  } finally {
    await portal.stop();
    await baseline?.stop();
  }
  return { runs, serverPeakMb };
}

// ---------------------------------------------------------------- JavaScript per route

interface RouteManifestEntry {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
}

async function javascriptPerRoute(): Promise<{ route: string; kb: number }[]> {
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "index.js")).href)) as {
    assets: { entry: { module: string; imports: string[] }; routes: Record<string, RouteManifestEntry>; url: string };
    assetsBuildDirectory: string;
    publicPath: string;
  };
  const assetsDir = path.resolve(ROOT, build.assetsBuildDirectory);
  const sizes = new Map<string, number>();
  const gzipped = (url: string) => {
    let size = sizes.get(url);
    if (size === undefined) {
      const file = path.join(assetsDir, url.slice(build.publicPath.length));
      size = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
      sizes.set(url, size);
    }
    return size;
  };
  const { assets } = build;
  const result: { route: string; kb: number }[] = [];
  for (const route of Object.values(assets.routes)) {
    if (route.id === "root") continue;
    const files = new Set<string>([assets.url, assets.entry.module, ...assets.entry.imports]);
    for (let r: RouteManifestEntry | undefined = route; r; r = r.parentId ? assets.routes[r.parentId] : undefined) {
      files.add(r.module);
      for (const i of r.imports ?? []) files.add(i);
    }
    const bytes = [...files].reduce((sum, f) => sum + gzipped(f), 0);
    result.push({ route: route.id.replace(/^routes\//, ""), kb: Math.round(bytes / 102.4) / 10 });
  }
  return result.sort((a, b) => b.kb - a.kb);
}

// ---------------------------------------------------------------- report

function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  return n.toFixed(digits);
}

function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function main() {
  const started = Date.now();
  const failures: string[] = [];
  const misses: string[] = [];

  if (process.env.BENCH_SKIP_BUILD !== "1") {
    step("Build");
    const t = Date.now();
    await run(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "build.ts")], { ...process.env, NODE_ENV: "production" });
    log(`  npm run build (remix build and the server bundle) into ${path.relative(ROOT, BUILD_DIR) || BUILD_DIR} (${seconds(t)})`);
  }

  step("Databases");
  const scaleFile = databasePathFromUrl(process.env.SCALE_DATABASE_URL ?? DEFAULT_SCALE_DATABASE);
  let seedSeconds: number | null = null;
  if (!fs.existsSync(scaleFile)) {
    log(`  ${path.relative(ROOT, scaleFile)} is missing: generating it (npm run db:seed:scale)`);
    const summary = await seedScale(scaleFile, undefined, (line) => log(`  ${line.trim()}`));
    seedSeconds = summary.seconds;
    log(`  generated in ${summary.seconds.toFixed(1)} s`);
    if (summary.seconds > SEED_TARGET_S) misses.push(`the scale data took ${summary.seconds.toFixed(0)} s to generate (target ${SEED_TARGET_S} s)`);
  } else {
    log(`  using ${path.relative(ROOT, scaleFile)} (delete it or run npm run db:seed:scale to regenerate)`);
  }
  // The same scale data on each backend: the SQLite file, and on PostgreSQL either BENCH_DATABASE_URL or
  // a throw-away embedded server (as the tests use) with the data copied in by db:copy's code.
  const backends = (process.env.BENCH_BACKENDS ?? "sqlite,postgres").split(",").map((b) => b.trim());
  for (const b of backends) if (b !== "sqlite" && b !== "postgres") throw new Error(`BENCH_BACKENDS: unknown backend "${b}" (sqlite, postgres)`);
  const scales: Dataset[] = [];
  if (backends.includes("sqlite")) scales.push(await prepare("scale", `file:${scaleFile}`));
  if (backends.includes("postgres")) {
    const t = Date.now();
    const target = await benchPostgres(`file:${scaleFile}`);
    log(`  PostgreSQL: ${target.description} (${seconds(t)})`);
    scales.push(await prepare("scale", target.url, "scale pg"));
  }
  const scaleUrl = `file:${scaleFile}`;
  const scaleCounts = await (async () => {
    const db = openDatabase(scaleUrl);
    const n = async (table: "municipalities" | "participants" | "cohorts" | "sessions" | "attendance" | "time_reports") =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const counts = {
      municipalities: await n("municipalities"),
      participants: await n("participants"),
      cohorts: await n("cohorts"),
      sessions: await n("sessions"),
      attendance: await n("attendance"),
      time_reports: await n("time_reports"),
    };
    await db.destroy();
    return counts;
  })();
  log(`  scale: ${Object.entries(scaleCounts).map(([k, v]) => `${v.toLocaleString("sv-SE")} ${k}`).join(", ")}`);
  const warmed = Date.now();
  const bytes = await readThrough(scaleFile);
  log(`  read the whole file once (${(bytes / 1e6).toFixed(0)} MB, ${seconds(warmed)}), so the load runs measure a warm page cache, not the disk`);

  let demo: Dataset | null = null;
  if (process.env.BENCH_SKIP_DEMO !== "1") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-demo-"));
    const file = path.join(dir, "demo.sqlite");
    const db = openDatabase(`file:${file}`);
    await migrateToLatest(db);
    await seedDemo(db);
    await db.destroy();
    demo = await prepare("demo", `file:${file}`);
    log(`  demo: a fresh demo database in ${dir}`);
  }

  step("Query plans (EXPLAIN QUERY PLAN of every query each page runs, scale data)");
  // EXPLAIN QUERY PLAN is SQLite's: the plans are checked on the SQLite copy of the same data.
  const plans: PagePlans[] = await explainPages(scaleFile, scales[0].ids, { secret: SECRET, publicUrl: `http://127.0.0.1:${PORT}` }, pages);
  for (const p of plans) {
    const bad = p.queries.flatMap((q) => q.badScans.map((s) => ({ sql: q.sql, scan: s })));
    log(`  ${p.page.padEnd(20)} ${String(p.queries.length).padStart(3)} queries, ${bad.length ? `${bad.length} full scan(s) of country-sized tables` : "no full scans of country-sized tables"}`);
    for (const b of bad) {
      log(`      ${b.scan}\n        in: ${b.sql.slice(0, 240)}`);
      if (p.singleUser) failures.push(`${p.page}: ${b.scan}`);
    }
  }

  step(`Load: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per page (after ${WARMUP_SECONDS} s warm-up), the median round reported`);
  const scaleRuns: { dataset: Dataset; runs: Awaited<ReturnType<typeof benchDataset>> }[] = [];
  for (const dataset of scales) scaleRuns.push({ dataset, runs: await benchDataset(dataset, true) });
  const demoRuns = demo ? await benchDataset(demo, false) : null;
  await stopBenchPostgres();

  step("JavaScript shipped per route (gzipped: entry, root, route and their chunks)");
  const js = await javascriptPerRoute();
  const perLine = 3;
  for (let i = 0; i < js.length; i += perLine) {
    log("  " + js.slice(i, i + perLine).map((r) => `${r.route.slice(0, 38).padEnd(38)} ${fmt(r.kb).padStart(6)} kB`).join("   "));
  }
  for (const r of js) if (r.kb > JS_LIMIT_KB) failures.push(`${r.route} ships ${r.kb} kB of JavaScript (limit ${JS_LIMIT_KB} kB)`);

  // ---------------------------------------------------------------- the tables, one per backend
  const results: Record<string, unknown>[] = [];
  for (const { dataset, runs: scaleRun } of scaleRuns) {
    const onPostgres = isPostgresUrl(dataset.url);
    const rows: string[][] = [];
    for (const page of pages) {
      const run = scaleRun.runs[page.key];
      if (!run) continue;
      // The demo comparison runs on SQLite only: it says how a page grows with the data, not with the engine.
      const demoRun = onPostgres ? undefined : demoRuns?.runs[page.key];
      const ratio = run.baseline ? run.portal.rps / run.baseline.rps : null;
      const demoRatio = demoRun ? run.portal.p50 / demoRun.portal.p50 : null;
      rows.push([
        page.label,
        fmt(run.portal.cpuMsPerView, 2),
        ...(onPostgres ? [fmt(run.portal.dbCpuMsPerView, 2)] : []),
        fmt(run.portal.firstMs, 0),
        fmt(run.portal.rps, 0),
        fmt(run.portal.p50, 0),
        fmt(run.portal.p95, 0),
        fmt(run.portal.p99, 0),
        fmt(run.portal.peakRssMb, 0),
        run.baseline ? fmt(run.baseline.cpuMsPerView, 2) : "–",
        run.baseline ? fmt(run.baseline.rps, 0) : "–",
        run.baseline ? `${fmt(run.baseline.p50, 0)}/${fmt(run.baseline.p95, 0)}` : "–",
        ratio === null ? "–" : `${fmt(ratio * 100, 0)} %`,
        ...(onPostgres ? [] : [demoRun ? `${fmt(demoRun.portal.p50, 0)}/${fmt(demoRun.portal.p95, 0)}` : "–", demoRatio === null ? "–" : `${fmt(demoRatio, 2)}x`]),
      ]);
      results.push({ backend: onPostgres ? "postgres" : "sqlite", page: page.key, label: page.label, paths: page.paths(dataset.ids), portal: run.portal, baseline: run.baseline, demo: demoRun?.portal ?? null, portalToBaseline: ratio, scaleToDemoP50: demoRatio });

      for (const r of [run.portal, run.baseline, demoRun?.portal]) {
        if (r && (r.non2xx || r.errors)) failures.push(`${dataset.label} ${page.key}: ${r.non2xx} non-2xx answers and ${r.errors} errors under load`);
      }
      if (run.portal.cpuMsPerView !== null && run.portal.cpuMsPerView > CPU_TARGET_MS) {
        misses.push(`${dataset.label} ${page.key}: ${fmt(run.portal.cpuMsPerView, 2)} ms CPU per view (target <= ${CPU_TARGET_MS} ms)`);
      }
      if (run.portal.p95 >= P95_TARGET_MS) misses.push(`${dataset.label} ${page.key}: p95 ${fmt(run.portal.p95, 0)} ms (target < ${P95_TARGET_MS} ms)`);
      if (page.singleUser && demoRatio !== null && demoRatio > DEMO_RATIO_TARGET) {
        misses.push(`${dataset.label} ${page.key}: p50 ${fmt(demoRatio, 2)}x its demo-data time (target <= ${DEMO_RATIO_TARGET}x)`);
      }
      if (page.key === "schedule" && ratio !== null && ratio < SCHEDULE_BASELINE_SHARE) {
        misses.push(`${dataset.label} schedule: ${fmt(ratio * 100, 0)} % of its baseline's throughput (target >= ${SCHEDULE_BASELINE_SHARE * 100} %)`);
      }
    }
    if (scaleRun.serverPeakMb >= MEMORY_TARGET_MB) misses.push(`${dataset.label}: server peak memory ${scaleRun.serverPeakMb} MB (target < ${MEMORY_TARGET_MB} MB)`);

    step(`Results at national scale on ${onPostgres ? "PostgreSQL" : "SQLite"} (${CONNECTIONS} connections, median of ${ROUNDS} rounds of ${SECONDS} s per page; latency in ms)`);
    log(
      table(
        [
          "page",
          "CPU ms",
          ...(onPostgres ? ["DB CPU ms"] : []),
          "1st",
          "req/s",
          "p50",
          "p95",
          "p99",
          "RSS MB",
          "base CPU ms",
          "base req/s",
          "base p50/p95",
          "portal/base",
          ...(onPostgres ? [] : ["demo p50/p95", "scale/demo"]),
        ],
        rows,
      ),
    );
    log(`\nServer peak memory (VmHWM): ${scaleRun.serverPeakMb} MB.`);
  }
  log(`Server peak memory on the demo data: ${demoRuns?.serverPeakMb ?? "–"} MB.`);
  const biggest = js[0];
  log(`Largest JavaScript per route: ${biggest ? `${biggest.route} ${fmt(biggest.kb)} kB` : "–"} (limit ${JS_LIMIT_KB} kB gzipped).`);
  log(`CPU ms: the app process's CPU time (user + system) per answered request, the stable figure on a noisy machine.`);
  log(`DB CPU ms: on PostgreSQL, the database server's CPU per request (on SQLite the database runs inside the app process).`);
  log(`1st: the very first request to the page (cold: nothing cached, before the warm-up).`);
  log(`portal/base: the portal's throughput as a share of the bare node:http baseline running the same SQL.`);
  log(`scale/demo: p50 at national scale divided by p50 on the eight-municipality demo data (SQLite).`);

  step("Targets");
  log(misses.length ? misses.map((m) => `  MISSED  ${m}`).join("\n") : `  all met: CPU <= ${CPU_TARGET_MS} ms per view, p95 < 100 ms, schedule >= 40 % of baseline, single-user pages <= 1.5x demo, memory < 300 MB`);
  if (failures.length) log(failures.map((f) => `  FAILED  ${f}`).join("\n"));

  const out = path.join(ROOT, "bench-results", "latest.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryMb: Math.round(os.totalmem() / 1024 / 1024), node: process.version },
        backends: scaleRuns.map((r) => (isPostgresUrl(r.dataset.url) ? "postgres" : "sqlite")),
        settings: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS },
        scale: { file: path.relative(ROOT, scaleFile), counts: scaleCounts, generatedInSeconds: seedSeconds },
        serverPeakMb: { ...Object.fromEntries(scaleRuns.map((r) => [r.dataset.label, r.runs.serverPeakMb])), demo: demoRuns?.serverPeakMb ?? null },
        pages: results,
        queryPlans: plans,
        javascript: js,
        misses,
        failures,
        totalSeconds: Math.round((Date.now() - started) / 1000),
      },
      null,
      2,
    ),
  );
  log(`\nWritten to ${path.relative(ROOT, out)}. Total time ${seconds(started)}.`);
  if (failures.length) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  cleanup();
  void stopBenchPostgres().finally(() => process.exit(1));
});
