/**
 * Start-up configuration, read once from the environment and validated.
 * A bad value stops the server with one line that names the variable.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { databasePathFromUrl, isPostgresUrl, type PoolSettings } from "./db/connection.server";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], {
    errorMap: () => ({ message: "must be true or false" }),
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number({ invalid_type_error: "must be a port number" }).int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .min(1)
    .refine(
      (v) => v === ":memory:" || v.startsWith("file:") || isPostgresUrl(v),
      "must look like file:path/to/portal.sqlite or postgres://user:password@host:5432/portal",
    )
    .refine((v) => !isPostgresUrl(v) || canParseUrl(v), "is not a valid postgres:// address (check the port, and percent-encode special characters in the password)")
    .default("file:db/data/portal.sqlite"),
  // PostgreSQL only: the connection pool of each app process.
  DATABASE_POOL_MAX: z.coerce.number({ invalid_type_error: "must be a number of connections" }).int().min(1).max(200).default(10),
  DATABASE_POOL_IDLE_SECONDS: z.coerce.number({ invalid_type_error: "must be a number of seconds" }).min(1).max(3600).default(30),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number({ invalid_type_error: "must be a number of seconds" }).min(1).max(300).default(10),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce.number({ invalid_type_error: "must be a number of seconds (0: no limit)" }).min(0).max(3600).default(30),
  /** App processes (node:cluster workers) serving one port; 1 is a single process, as `npm start` runs by default. */
  WEB_CONCURRENCY: z.coerce.number({ invalid_type_error: "must be a number of processes" }).int().min(1).max(64).default(1),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Key for the identity providers' client secrets at rest; without it one is derived from SESSION_SECRET. */
  SSO_SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  SEED_DEMO: booleanFlag.default("true"),
  /** Secure cookies are the default; set false only for a plain-HTTP test set-up on another host than localhost. */
  COOKIE_SECURE: booleanFlag.optional(),
  /** The address users reach the portal at, used in links that leave the browser (calendar feeds, e-mail). */
  PUBLIC_URL: z.string().url("must be a full address such as https://portal.example.se").optional(),
  /** Trust X-Forwarded-* from one proxy in front (for client IP and HTTPS detection). */
  TRUST_PROXY: booleanFlag.default("false"),
  /** Outgoing mail server, e.g. smtp://user:password@smtp.example.se:587; without it mail is written to MAIL_OUTBOX_DIR. */
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^/]/.test(v), "must look like smtp://user:password@host:587 or smtps://...")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Programportalen <no-reply@programportalen.invalid>"),
  /** Where unsent-by-SMTP mail lands as .eml files (default: mail-outbox/ beside the database). */
  MAIL_OUTBOX_DIR: z.string().min(1).optional(),
  /** Where uploaded session material is kept (default: material/ beside the database); never under public/. */
  MATERIAL_DIR: z.string().min(1).optional(),
  REMINDER_DAYS_BEFORE: z.coerce.number({ invalid_type_error: "must be a number of days" }).int().min(0).max(60).default(2),
  MAIL_WORKER_INTERVAL_SECONDS: z.coerce.number({ invalid_type_error: "must be a number of seconds" }).min(0.2).max(3600).default(30),
}).superRefine((e, context) => {
  // Each process would have a database of its own.
  if (e.DATABASE_URL === ":memory:" && e.WEB_CONCURRENCY > 1) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ["WEB_CONCURRENCY"], message: "must be 1 with an in-memory database" });
  }
  // Several processes, maybe on several machines, share a PostgreSQL database: they must sign cookies
  // with one secret, which a file beside an SQLite database cannot give them.
  if (isPostgresUrl(e.DATABASE_URL) && !e.SESSION_SECRET) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ["SESSION_SECRET"], message: "must be set when DATABASE_URL is a PostgreSQL address" });
  }
});

function canParseUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export type Config = {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl: string;
  /** How many app processes serve the port (node:cluster workers when more than one). */
  webConcurrency: number;
  /** Used with PostgreSQL only. */
  databasePool: PoolSettings;
  sessionSecret: string;
  /** The material the IdP client secrets are encrypted under (SSO_SECRET_KEY, else the session secret). */
  ssoSecretKey: string;
  seedDemo: boolean;
  cookieSecure: boolean;
  publicUrl: string;
  trustProxy: boolean;
  smtpUrl: string | null;
  mailFrom: string;
  mailOutboxDir: string;
  /** Uploaded session material, one file per upload named by a random key. Back it up with the database. */
  materialDir: string;
  reminderDaysBefore: number;
  mailWorkerIntervalMs: number;
};

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with a one-line message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, log: (line: string) => void = console.log): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid environment variable ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  const sessionSecret = e.SESSION_SECRET ?? sessionSecretBesideDatabase(e.DATABASE_URL, log);
  const materialDir = path.resolve(e.MATERIAL_DIR ?? besideDatabase(e.DATABASE_URL, "material"));
  // Files there are served only through the material route's checks; the static file server must never reach them.
  if (!path.relative(path.resolve("public"), materialDir).startsWith("..")) {
    throw new ConfigError("Invalid environment variable MATERIAL_DIR: must not be inside public/ (the web root)");
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    webConcurrency: e.WEB_CONCURRENCY,
    databasePool: {
      max: e.DATABASE_POOL_MAX,
      idleTimeoutMs: Math.round(e.DATABASE_POOL_IDLE_SECONDS * 1000),
      connectionTimeoutMs: Math.round(e.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000),
      statementTimeoutMs: Math.round(e.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000),
    },
    sessionSecret,
    ssoSecretKey: e.SSO_SECRET_KEY ?? sessionSecret,
    seedDemo: e.SEED_DEMO,
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === "production",
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    mailOutboxDir: path.resolve(e.MAIL_OUTBOX_DIR ?? besideDatabase(e.DATABASE_URL, "mail-outbox")),
    materialDir,
    reminderDaysBefore: e.REMINDER_DAYS_BEFORE,
    mailWorkerIntervalMs: Math.round(e.MAIL_WORKER_INTERVAL_SECONDS * 1000),
  };
}

/**
 * With no SESSION_SECRET configured, a random one is generated once and kept
 * next to the database file, so logins survive a restart without any set-up.
 */
function sessionSecretBesideDatabase(databaseUrl: string, log: (line: string) => void): string {
  const dbPath = databasePathFromUrl(databaseUrl);
  if (dbPath === ":memory:") return crypto.randomBytes(32).toString("base64url");
  const secretPath = path.join(path.dirname(dbPath), "session-secret");
  if (fs.existsSync(secretPath)) {
    // A copy restored from a backup may have come back readable by everyone: it signs every login cookie.
    if ((fs.statSync(secretPath).mode & 0o077) !== 0) {
      fs.chmodSync(secretPath, 0o600);
      log(`${path.relative(process.cwd(), secretPath)} was readable by other users; it is now readable by this user only (mode 600).`);
    }
    return fs.readFileSync(secretPath, "utf8").trim();
  }
  fs.mkdirSync(path.dirname(secretPath), { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(secretPath, secret + "\n", { mode: 0o600 });
  log(`SESSION_SECRET is not set: generated one and stored it in ${path.relative(process.cwd(), secretPath)}`);
  return secret;
}

/** A folder beside the SQLite file (db/data/ for PostgreSQL). */
function besideDatabase(databaseUrl: string, folder: string): string {
  if (isPostgresUrl(databaseUrl)) return path.join("db", "data", folder);
  const dbPath = databasePathFromUrl(databaseUrl);
  return dbPath === ":memory:" ? folder : path.join(path.dirname(dbPath), folder);
}
