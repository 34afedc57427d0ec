/**
 * What `npm run bench` and `npm run bench:profile` share: starting the built
 * portal and other servers as child processes (stopped when the script ends),
 * logging in as a demo account, and reading a process's memory and CPU time
 * from /proc.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isEmpty, migrateToLatest, openDatabase } from "../app/db/connection.server";
import { copyDatabase } from "../app/db/copy.server";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { APP_ROLE, startTestPostgres, type TestPostgres } from "../tests/support/postgres";

// /proc counts CPU in clock ticks: 100 per second on Linux (`getconf CLK_TCK`).
const CLOCK_TICKS = 100;

const children = new Set<ChildProcess>();
export function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

export interface Server {
  child: ChildProcess;
  pid: number;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, port: number, readyPath: string): Promise<Server> {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${out}`);
    try {
      const response = await fetch(url + readyPath);
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start within 120 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    pid: child.pid!,
    url,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

/** Memory of a process from /proc: current and peak resident set, in MB. */
export function memoryOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms; null when it is gone. */
export function cpuMsOf(pid: number): number | null {
  try {
    // The fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * The CPU so far of the PostgreSQL server listening on `port` on this machine (its postmaster and the
 * backends it forked), in ms; null when that server is not a local process (another machine, a container).
 * Other PostgreSQL servers on the machine (tests running alongside) are not counted.
 */
export function postgresCpuMs(port: number): number | null {
  const processes: { pid: number; ppid: number }[] = [];
  let postmaster: number | null = null;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      const pid = Number(entry);
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      processes.push({ pid, ppid });
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args[args.indexOf("-p") + 1] === String(port)) postmaster = pid;
    } catch {
      // the process ended meanwhile
    }
  }
  if (postmaster === null) return null;
  return processes.filter((p) => p.pid === postmaster || p.ppid === postmaster).reduce((sum, p) => sum + (cpuMsOf(p.pid) ?? 0), 0);
}

/** The environment the built portal runs with in a benchmark: production, no demo seed, no mail rounds. */
export function serverEnv(options: { url: string; port: number; publicPort: number; secret: string; buildDir: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: options.url,
    SEED_DEMO: "false",
    COOKIE_SECURE: "false",
    HOST: "127.0.0.1",
    PORT: String(options.port),
    SESSION_SECRET: options.secret,
    PUBLIC_URL: `http://127.0.0.1:${options.publicPort}`,
    REMIX_BUILD_DIR: options.buildDir,
    // The mail worker would run its first round in the middle of a measurement; here it waits an hour.
    MAIL_WORKER_INTERVAL_SECONDS: "3600",
    MAIL_OUTBOX_DIR: path.join(os.tmpdir(), "bench-mail-outbox"),
    ...extra,
  };
}

/** Logs in through the login form as a demo account; returns the session cookie. */
export async function login(baseUrl: string, email: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "/" }),
    redirect: "manual",
  });
  const setCookie = response.headers.get("set-cookie");
  await response.arrayBuffer();
  if (response.status !== 302 || !setCookie) throw new Error(`login as ${email} failed: ${response.status}`);
  return setCookie.split(";")[0];
}

let benchServer: TestPostgres | null = null;

/**
 * The scale data on PostgreSQL. BENCH_DATABASE_URL: that database, filled from the SQLite file when
 * empty. Otherwise a throw-away embedded server like the tests' (tests/support/postgres.ts: fsync off),
 * the data copied in with db:copy's code and analysed, and the app connecting as a role that owns
 * nothing and is held by row-level security, as a real installation should (docs/deployment.md).
 */
export async function benchPostgres(sqliteUrl: string): Promise<{ url: string; description: string }> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    const target = openDatabase(given);
    const empty = await migrateToLatest(target).then(() => isEmpty(target));
    await target.destroy();
    if (empty) await copyDatabase(sqliteUrl, given);
    return { url: given, description: empty ? "BENCH_DATABASE_URL, the scale data copied in" : "BENCH_DATABASE_URL, its data as it is" };
  }
  benchServer = await startTestPostgres();
  const database = "portal_bench";
  await benchServer.admin(`CREATE DATABASE ${database}`);
  const copied = await copyDatabase(sqliteUrl, benchServer.urlOf(database));
  await benchServer.admin(`CREATE ROLE ${APP_ROLE.user} LOGIN PASSWORD '${APP_ROLE.password}' NOSUPERUSER NOBYPASSRLS`);
  await benchServer.adminOn(
    database,
    `GRANT USAGE ON SCHEMA public TO ${APP_ROLE.user};
     GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE.user};
     GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE.user};
     ANALYZE`,
  );
  const rows = copied.reduce((sum, t) => sum + t.rows, 0);
  return { url: benchServer.urlOf(database, APP_ROLE), description: `embedded server, ${rows.toLocaleString("sv-SE")} rows copied in, the app as ${APP_ROLE.user} (row-level security on)` };
}

export async function stopBenchPostgres() {
  await benchServer?.stop();
  benchServer = null;
}
