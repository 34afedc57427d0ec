/**
 * Login sessions (`loginSession` in code; "session" alone is a training day)
 * live in the database; the cookie carries only a signed, random id, and the
 * database only that id's SHA-256, so a copy of the database (even with the
 * signing secret beside it) opens no login session. Logging out or disabling
 * a user deletes the rows, so a replayed cookie is worthless at once.
 *
 * A login session can still owe something before its pages open: a one-time
 * password to change, or the two-factor enrolment that the account's role
 * requires. Until then every page sends the user to
 * Mitt konto (`/konto`), where both are done.
 */
import crypto from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database } from "~/db/schema";
import { writeAudit } from "~/domain/audit.server";
import { loadGrants, userContext, type Ctx } from "~/domain/context.server";
import { twoFactorStatus, type TwoFactorStatus } from "./two-factor-policy.server";

export const IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would turn reads into writes.
const TOUCH_INTERVAL_MS = 60 * 1000;

/** The page where a login session settles what it owes (a new password, two-factor). */
export const ACCOUNT_PATH = "/konto";

function loginSessionCookie(context: AppLoadContext) {
  return createCookie("pp_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: context.config.cookieSecure,
    path: "/",
    secrets: [context.config.sessionSecret],
    maxAge: ABSOLUTE_LIFETIME_MS / 1000,
  });
}

/** The key a login session is stored under: the SHA-256 of the id its cookie carries. */
const storageKey = (loginSessionId: string) => crypto.createHash("sha256").update(loginSessionId).digest("hex");

/** What a SAML login's single logout names: the assertion's NameID (and its format) and the IdP's SessionIndex. */
export interface SamlLoginFacts {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

/** Creates a fresh login session (a new id at every login) and returns its Set-Cookie header. */
export async function startLoginSession(context: AppLoadContext, userId: number, identityProviderId: number | null = null, saml: SamlLoginFacts | null = null): Promise<string> {
  const id = crypto.randomBytes(32).toString("base64url");
  const now = new Date().toISOString();
  await context.db
    .insertInto("login_sessions")
    .values({
      id: storageKey(id),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      authenticated_at: now,
      expires_at: new Date(Date.parse(now) + ABSOLUTE_LIFETIME_MS).toISOString(),
      identity_provider_id: identityProviderId,
      saml_name_id: saml?.nameId ?? null,
      saml_name_id_format: saml?.nameIdFormat ?? null,
      saml_session_index: saml?.sessionIndex ?? null,
    })
    .execute();
  return loginSessionCookie(context).serialize(id);
}

/** The stored key of this browser's login session (whether or not it is still live), or null without a cookie. */
export async function currentLoginSessionKey(context: AppLoadContext, request: Request): Promise<string | null> {
  const value = await loginSessionCookie(context).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? storageKey(value) : null;
}

/** What the current login session knows beyond the caller's context. */
export interface LoginSessionState {
  /** The stored key of this login session. */
  key: string;
  /** When the person last proved who they are in it. */
  authenticatedAt: string;
  /** The password is a one-time password that must be changed first. */
  passwordChangeRequired: boolean;
  twoFactor: TwoFactorStatus;
}

interface Lookup {
  ctx: Ctx;
  loginSession: LoginSessionState;
}

// The root loader and the page's loader both ask who is logged in; a page
// load (one load context) looks it up once. Writes always look again.
const lookups = new WeakMap<AppLoadContext, Promise<Lookup | null>>();
const loginSessions = new WeakMap<Ctx, LoginSessionState>();

function lookUp(request: Request, context: AppLoadContext): Promise<Lookup | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return lookUpLoginSession(request, context);
  let lookup = lookups.get(context);
  if (!lookup) {
    lookup = lookUpLoginSession(request, context);
    lookups.set(context, lookup);
  }
  return lookup;
}

/** The context of the logged-in user, or null when there is no live login session. */
export async function findUserContext(request: Request, context: AppLoadContext): Promise<Ctx | null> {
  return (await lookUp(request, context))?.ctx ?? null;
}

/** The login session behind a context made by findUserContext or requireUserContext. */
export function loginSessionOf(ctx: Ctx): LoginSessionState {
  const state = loginSessions.get(ctx);
  if (!state) throw new Error("The context was not made from a login session.");
  return state;
}

async function lookUpLoginSession(request: Request, context: AppLoadContext): Promise<Lookup | null> {
  const key = await currentLoginSessionKey(context, request);
  if (!key) return null;
  const db = context.db;
  const row = await db
    .selectFrom("login_sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select([
      "s.id",
      "s.last_seen_at",
      "s.expires_at",
      "s.authenticated_at",
      "u.id as user_id",
      "u.email",
      "u.name",
      "u.disabled_at",
      "u.password_hash",
      "u.password_change_required",
      "u.totp_enabled_at",
    ])
    .select((eb) => eb.selectFrom("portal_settings").select("two_factor_required").where("id", "=", 1).as("two_factor_required_here"))
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
  const grants = await loadGrants(db, row.user_id);
  const ctx = userContext(db, { id: row.user_id, email: row.email, name: row.name }, grants);
  const loginSession: LoginSessionState = {
    key,
    authenticatedAt: row.authenticated_at,
    passwordChangeRequired: row.password_hash !== null && row.password_change_required === 1,
    twoFactor: twoFactorStatus({
      grants,
      hasPassword: row.password_hash !== null,
      requiredHere: row.two_factor_required_here !== 0,
      enabledAt: row.totp_enabled_at,
    }),
  };
  loginSessions.set(ctx, loginSession);
  return { ctx, loginSession };
}

/**
 * The logged-in user's context; anyone else is sent to the login page, and a
 * login session that owes a new password or two-factor enrolment to Mitt konto.
 */
export async function requireUserContext(request: Request, context: AppLoadContext): Promise<Ctx> {
  const url = new URL(request.url);
  const found = await lookUp(request, context);
  if (!found) {
    const back = url.pathname + url.search;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  const { passwordChangeRequired, twoFactor } = found.loginSession;
  if ((passwordChangeRequired || twoFactor === "required") && url.pathname !== ACCOUNT_PATH) throw redirect(ACCOUNT_PATH);
  return found.ctx;
}

/** How long a proof of who one is (login, "Bekräfta att det är du") opens sensitive actions. */
export const RECENT_AUTHENTICATION_MS = 15 * 60 * 1000;

/** The page where a person proves again who they are. */
export const CONFIRM_PATH = "/bekrafta";

/**
 * Sensitive actions (role changes, anonymisation): a login session whose
 * person last proved who they are more than fifteen minutes ago is sent to
 * confirm it with the password, and from there back to this page (a path on
 * this site only: the confirmation page passes it through app/utils/redirect.ts).
 */
export function requireRecentAuthentication(request: Request, ctx: Ctx, now = Date.now()): void {
  const { authenticatedAt } = loginSessionOf(ctx);
  if (Date.parse(authenticatedAt) + RECENT_AUTHENTICATION_MS > now) return;
  const url = new URL(request.url);
  url.searchParams.delete("_data");
  throw redirect(`${CONFIRM_PATH}?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * Logging out ends every login session of the user, on every device: municipal
 * staff often share computers, and a forgotten login elsewhere should end too.
 * Returns the Set-Cookie header that clears this browser's cookie, the
 * identity provider the login came through and, for a SAML login, what the
 * IdP's single logout needs (RP-initiated logout).
 */
export async function endLoginSession(
  context: AppLoadContext,
  request: Request,
): Promise<{ cookie: string; identityProviderId: number | null; saml: SamlLoginFacts | null }> {
  const key = await currentLoginSessionKey(context, request);
  let identityProviderId: number | null = null;
  let saml: SamlLoginFacts | null = null;
  if (key) {
    const loginSession = await context.db
      .selectFrom("login_sessions")
      .select(["user_id", "identity_provider_id", "saml_name_id", "saml_name_id_format", "saml_session_index"])
      .where("id", "=", key)
      .executeTakeFirst();
    if (loginSession) {
      identityProviderId = loginSession.identity_provider_id;
      if (loginSession.saml_name_id) {
        saml = { nameId: loginSession.saml_name_id, nameIdFormat: loginSession.saml_name_id_format, sessionIndex: loginSession.saml_session_index };
      }
      await endAllLoginSessionsOf(context.db, loginSession.user_id);
      await writeAudit(context.db, { actorUserId: loginSession.user_id, action: "auth.logout", entity: "user", entityId: loginSession.user_id });
    }
  }
  return { cookie: await loginSessionCookie(context).serialize("", { maxAge: 0 }), identityProviderId, saml };
}

/** Ends the user's login sessions, all of them or all but `except` (the one that made the change). */
export async function endAllLoginSessionsOf(db: Db | Transaction<Database>, userId: number, except?: string): Promise<void> {
  let query = db.deleteFrom("login_sessions").where("user_id", "=", userId);
  if (except) query = query.where("id", "!=", except);
  await query.execute();
}
