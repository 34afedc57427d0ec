/**
 * `npm run bench:scaleout`: what several app processes give, measured as far as this
 * machine allows, for the projection in docs/performance.md.
 *
 * The load generator (this script) is pinned to the last core with `taskset`; the portal, and
 * on PostgreSQL the database server, to the cores before it. The same page is then driven at
 * WEB_CONCURRENCY=1 and at WEB_CONCURRENCY=2 on the same server cores. On a 2-core machine both
 * runs have one core to serve from, so the second shows what running two processes costs
 * (memory, cross-process contention in the database, the cluster's hand-off), not a speed-up;
 * with one core per process the projection is then `N x` the one-process throughput per core,
 * as long as the database keeps up: its CPU per view, measured here too, says how many app
 * cores one database core serves.
 *
 * Environment: SCALEOUT_BACKEND (postgres | sqlite; default postgres), SCALEOUT_PAGES (bench page
 * keys, default schedule,roster,participants), SCALEOUT_SECONDS (8), BENCH_PORT (3207).
 * Needs `npm run build` and the scale data (`npm run bench` makes both).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { ACCOUNTS, benchIds, PAGES, type BenchRole } from "./bench-pages";
import { benchPostgres, cpuMsOf, login, memoryOf, postgresCpuMs, serverEnv, startProcess, stopBenchPostgres } from "./bench-support";
import { DEFAULT_SCALE_DATABASE } from "./seed-scale";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);

const PORT = Number(process.env.BENCH_PORT ?? 3207);
const SECONDS = Number(process.env.SCALEOUT_SECONDS ?? 8);
const BACKEND = process.env.SCALEOUT_BACKEND ?? "postgres";
const PAGE_KEYS = (process.env.SCALEOUT_PAGES ?? "schedule,roster,participants").split(",");
const SECRET = "bench-session-secret-0123456789-abcdefghijklmnop";
const BUILD_DIR = process.env.REMIX_BUILD_DIR ? path.resolve(process.env.REMIX_BUILD_DIR) : path.join(ROOT, "build");

const cores = os.cpus().length;
const loadCore = String(cores - 1);
const serverCores = cores > 1 ? `0-${cores - 2}` : "0";

function pin(pid: number, cpus: string) {
  const result = spawnSync("taskset", ["-a", "-cp", cpus, String(pid)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`taskset failed: ${result.stderr || result.error}`);
}

/** The process and the children it forked (the cluster's workers, PostgreSQL's backends). */
function family(root: number): number[] {
  const pids = [root];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      if (ppid === root) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function postmasterOf(port: number): number | null {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args[args.indexOf("-p") + 1] === String(port)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

interface Run {
  processes: number;
  page: string;
  rps: number;
  p95: number;
  appCpuMsPerView: number;
  dbCpuMsPerView: number | null;
  rssMb: number;
}

async function main() {
  if (cores < 2) throw new Error("bench:scaleout needs at least 2 cores: one for the load, one to serve from.");
  if (!fs.existsSync(path.join(BUILD_DIR, "server.mjs"))) throw new Error("No build: run `npm run build` (or `npm run bench`) first.");
  const scaleFile = DEFAULT_SCALE_DATABASE;
  if (!fs.existsSync(scaleFile)) throw new Error(`${scaleFile} is missing: run \`npm run db:seed:scale\` (or \`npm run bench\`) first.`);
  pin(process.pid, loadCore);
  console.log(`Load generator on core ${loadCore}; the portal${BACKEND === "postgres" ? " and PostgreSQL" : ""} on core(s) ${serverCores}.`);

  let url = `file:${scaleFile}`;
  if (BACKEND === "postgres") {
    const target = await benchPostgres(url);
    console.log(`PostgreSQL: ${target.description}`);
    url = target.url;
  }
  const postgresPort = BACKEND === "postgres" ? Number(new URL(url).port || 5432) : null;
  const ids = await benchIds(url, `http://127.0.0.1:${PORT}`);
  const pages = PAGES.filter((p) => PAGE_KEYS.includes(p.key));
  const runs: Run[] = [];
  try {
    for (const processes of [1, 2]) {
      const server = await startProcess(
        `portal x${processes}`,
        ["--max-old-space-size=192", path.join(BUILD_DIR, "server.mjs")],
        serverEnv({ url, port: PORT, publicPort: PORT, secret: SECRET, buildDir: BUILD_DIR }, { WEB_CONCURRENCY: String(processes) }),
        PORT,
        "/healthz",
      );
      try {
        for (const page of pages) {
          const cookie = page.role ? await login(server.url, ACCOUNTS[page.role as BenchRole]) : null;
          const load = (duration: number) =>
            autocannon({
              url: server.url,
              connections: 20,
              duration,
              headers: cookie ? { cookie } : {},
              requests: page.paths(ids).map((p) => ({ method: "GET" as const, path: p })),
            }) as unknown as PromiseLike<autocannon.Result>;
          await load(2);
          // Pinned after the warm-up, when the workers and the database's backends exist.
          const appPids = family(server.pid);
          for (const pid of appPids) pin(pid, serverCores);
          const postmaster = postgresPort ? postmasterOf(postgresPort) : null;
          if (postmaster) for (const pid of family(postmaster)) pin(pid, serverCores);
          const cpu = () => appPids.reduce((sum, pid) => sum + (cpuMsOf(pid) ?? 0), 0);
          const appBefore = cpu();
          const dbBefore = postgresPort ? postgresCpuMs(postgresPort) : null;
          const latencies: number[] = [];
          const instance = load(SECONDS) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
          instance.on("response", (_c, _s, _b, ms) => latencies.push(ms));
          const result = await instance;
          const views = result.requests.total;
          const dbAfter = postgresPort ? postgresCpuMs(postgresPort) : null;
          latencies.sort((a, b) => a - b);
          const run: Run = {
            processes,
            page: page.key,
            rps: views / SECONDS,
            p95: latencies[Math.ceil(latencies.length * 0.95) - 1] ?? NaN,
            appCpuMsPerView: (cpu() - appBefore) / views,
            dbCpuMsPerView: dbBefore !== null && dbAfter !== null ? (dbAfter - dbBefore) / views : null,
            rssMb: Math.round(appPids.reduce((sum, pid) => sum + (memoryOf(pid)?.rss ?? 0), 0)),
          };
          if (result.non2xx) throw new Error(`${page.key}: ${result.non2xx} answers were not 2xx`);
          runs.push(run);
          console.log(
            `  ${processes} process${processes > 1 ? "es" : ""}  ${page.key.padEnd(14)} ${run.rps.toFixed(0).padStart(5)} req/s  p95 ${run.p95.toFixed(0).padStart(4)} ms  ` +
              `app CPU ${run.appCpuMsPerView.toFixed(2)} ms/view${run.dbCpuMsPerView !== null ? `  database CPU ${run.dbCpuMsPerView.toFixed(2)} ms/view` : ""}  RSS ${run.rssMb} MB`,
          );
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await stopBenchPostgres();
  }

  console.log(`\nProjection (${BACKEND}): views per second a machine serves with N app cores, from this run's CPU per view.`);
  console.log(`| page | 1 process, 1 core | 2 processes, same core | app CPU ms/view | database CPU ms/view | app cores one database core serves | 4 cores | 8 cores | 16 cores |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const page of pages) {
    const one = runs.find((r) => r.page === page.key && r.processes === 1)!;
    const two = runs.find((r) => r.page === page.key && r.processes === 2)!;
    // On one core the app and the database (on PostgreSQL) share it: a view costs both.
    const perCore = 1000 / (one.appCpuMsPerView + (one.dbCpuMsPerView ?? 0));
    const efficiency = two.rps / one.rps;
    const appCoresPerDbCore = one.dbCpuMsPerView ? one.appCpuMsPerView / one.dbCpuMsPerView : null;
    const projected = (n: number) => `${Math.round(n * perCore * Math.min(1, efficiency))}`;
    console.log(
      `| ${page.key} | ${one.rps.toFixed(0)} req/s | ${two.rps.toFixed(0)} req/s (${Math.round(efficiency * 100)} %) | ${one.appCpuMsPerView.toFixed(2)} | ${one.dbCpuMsPerView?.toFixed(2) ?? "– (in the app)"} | ${appCoresPerDbCore?.toFixed(1) ?? "–"} | ${projected(4)} | ${projected(8)} | ${projected(16)} |`,
    );
  }
  const out = path.join(ROOT, "bench-results", `scaleout-${BACKEND}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), backend: BACKEND, cores, seconds: SECONDS, runs }, null, 2));
  console.log(`\nWritten to ${path.relative(ROOT, out)}.`);
}

main().catch(async (error) => {
  console.error(error);
  await stopBenchPostgres();
  process.exit(1);
});
