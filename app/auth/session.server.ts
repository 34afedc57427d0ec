/**
 * Login sessions live in the database; the cookie carries only a signed,
 * random session id, and the database only that id's SHA-256, so a copy of
 * the database (even with the signing secret beside it) opens no session.
 * Logging out or disabling a user deletes the rows, so a replayed cookie is
 * worthless at once.
 */
import crypto from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database } from "~/db/schema";
import { writeAudit } from "~/domain/audit.server";
import { loadGrants, type Ctx } from "~/domain/context.server";

export const IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would turn reads into writes.
const TOUCH_INTERVAL_MS = 60 * 1000;

function sessionCookie(context: AppLoadContext) {
  return createCookie("pp_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: context.config.cookieSecure,
    path: "/",
    secrets: [context.config.sessionSecret],
    maxAge: ABSOLUTE_LIFETIME_MS / 1000,
  });
}

/** The key a session is stored under: the SHA-256 of the id its cookie carries. */
const storageKey = (sessionId: string) => crypto.createHash("sha256").update(sessionId).digest("hex");

/** Creates a fresh session (a new id at every login) and returns its Set-Cookie header. */
export async function startLoginSession(context: AppLoadContext, userId: number): Promise<string> {
  const id = crypto.randomBytes(32).toString("base64url");
  const now = Date.now();
  await context.db
    .insertInto("login_sessions")
    .values({
      id: storageKey(id),
      user_id: userId,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      expires_at: new Date(now + ABSOLUTE_LIFETIME_MS).toISOString(),
    })
    .execute();
  return sessionCookie(context).serialize(id);
}

/** The stored key of this browser's session (whether or not it is still live), or null without a cookie. */
export async function currentSessionKey(context: AppLoadContext, request: Request): Promise<string | null> {
  const value = await sessionCookie(context).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? storageKey(value) : null;
}

// The root loader and the page's loader both ask who is logged in; a page
// load (one load context) looks it up once. Writes always look again.
const lookups = new WeakMap<AppLoadContext, Promise<Ctx | null>>();

/** The context of the logged-in user, or null when there is no live session. */
export function findUserContext(request: Request, context: AppLoadContext): Promise<Ctx | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return lookUpUserContext(request, context);
  let lookup = lookups.get(context);
  if (!lookup) {
    lookup = lookUpUserContext(request, context);
    lookups.set(context, lookup);
  }
  return lookup;
}

async function lookUpUserContext(request: Request, context: AppLoadContext): Promise<Ctx | null> {
  const key = await currentSessionKey(context, request);
  if (!key) return null;
  const db = context.db;
  const row = await db
    .selectFrom("login_sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["s.id", "s.last_seen_at", "s.expires_at", "u.id as user_id", "u.email", "u.name", "u.disabled_at"])
    .where("s.id", "=", key)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const lastSeen = Date.parse(row.last_seen_at);
  if (row.disabled_at || Date.parse(row.expires_at) <= now || lastSeen + IDLE_TIMEOUT_MS <= now) {
    await db.deleteFrom("login_sessions").where("id", "=", key).execute();
    return null;
  }
  if (now - lastSeen > TOUCH_INTERVAL_MS) {
    await db.updateTable("login_sessions").set({ last_seen_at: new Date(now).toISOString() }).where("id", "=", key).execute();
  }
  return {
    db,
    user: { id: row.user_id, email: row.email, name: row.name },
    grants: await loadGrants(db, row.user_id),
  };
}

/** The logged-in user's context; anyone else is sent to the login page. */
export async function requireUserContext(request: Request, context: AppLoadContext): Promise<Ctx> {
  const ctx = await findUserContext(request, context);
  if (ctx) return ctx;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
}

/**
 * Logging out ends every session of the user, on every device: municipal
 * staff often share computers, and a forgotten login elsewhere should end too.
 * Returns the Set-Cookie header that clears this browser's cookie.
 */
export async function endLoginSession(context: AppLoadContext, request: Request): Promise<string> {
  const key = await currentSessionKey(context, request);
  if (key) {
    const session = await context.db.selectFrom("login_sessions").select("user_id").where("id", "=", key).executeTakeFirst();
    if (session) {
      await endAllSessionsOf(context.db, session.user_id);
      await writeAudit(context.db, { actorUserId: session.user_id, action: "auth.logout", entity: "user", entityId: session.user_id });
    }
  }
  return sessionCookie(context).serialize("", { maxAge: 0 });
}

export async function endAllSessionsOf(db: Db | Transaction<Database>, userId: number): Promise<void> {
  await db.deleteFrom("login_sessions").where("user_id", "=", userId).execute();
}
