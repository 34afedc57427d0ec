/**
 * Login through a municipality's OpenID Connect provider (Entra ID and the
 * like) with openid-client: authorization code flow with PKCE, `state` and
 * `nonce`. What the browser must bring back (which IdP, the PKCE verifier,
 * state, nonce, where to go after) waits in a signed, ten-minute cookie; the
 * ID token's issuer, audience, expiry, nonce and signature (the IdP's JWKS)
 * are checked by openid-client before its claims are read.
 */
import { createCookie, type AppLoadContext } from "@remix-run/node";
import * as oidc from "openid-client";
import { writeAudit } from "~/domain/audit.server";
import { safeRedirect } from "~/utils/redirect";
import { openSecret } from "./secret-box.server";
import { accountForIdentity, type SsoOutcome } from "./sso-accounts.server";

type SsoContext = Pick<AppLoadContext, "db" | "config">;

/** The redirect URI an administrator registers at the IdP. */
export const OIDC_CALLBACK_PATH = "/login/sso/oidc";
export const OIDC_SCOPES = "openid email profile";
const FLOW_SECONDS = 10 * 60;

export function oidcRedirectUri(publicUrl: string): string {
  return `${publicUrl}${OIDC_CALLBACK_PATH}`;
}

function flowCookie(context: SsoContext) {
  return createCookie("pp_sso", {
    httpOnly: true,
    // The IdP sends the browser back with a top-level GET: lax cookies come along.
    sameSite: "lax",
    secure: context.config.cookieSecure,
    path: "/login/sso",
    secrets: [context.config.sessionSecret],
    maxAge: FLOW_SECONDS,
  });
}

interface Flow {
  providerId: number;
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
  until: number;
}

/** An IdP on this machine (tests, a local trial) may speak plain HTTP; any other must use HTTPS. */
function isLocal(url: URL): boolean {
  return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1");
}

async function oidcProvider(context: SsoContext, providerId: number) {
  const row = await context.db
    .selectFrom("identity_providers")
    .select(["id", "issuer", "client_id", "client_secret_encrypted", "protocol"])
    .where("id", "=", providerId)
    .executeTakeFirst();
  if (!row || row.protocol !== "oidc" || !row.client_id || !row.client_secret_encrypted) return null;
  const secret = openSecret(context.config.ssoSecretKey, row.client_secret_encrypted);
  if (secret === null) return null;
  const issuer = new URL(row.issuer);
  const configuration = await oidc.discovery(issuer, row.client_id, secret, undefined, isLocal(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined);
  // openid-client trusts an ID token from the token endpoint on the strength of TLS alone
  // (OIDC Core 3.1.3.7) unless told to verify its signature against the IdP's JWKS too.
  oidc.enableNonRepudiationChecks(configuration);
  return { row, configuration };
}

/** The IdP's authorization URL for this login, and the cookie that remembers it. */
export async function startOidcLogin(context: SsoContext, providerId: number, returnTo: string | undefined): Promise<{ url: string; cookie: string } | null> {
  const provider = await oidcProvider(context, providerId);
  if (!provider) return null;
  const verifier = oidc.randomPKCECodeVerifier();
  const flow: Flow = {
    providerId,
    verifier,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    returnTo: safeRedirect(returnTo),
    until: Date.now() + FLOW_SECONDS * 1000,
  };
  const url = oidc.buildAuthorizationUrl(provider.configuration, {
    redirect_uri: oidcRedirectUri(context.config.publicUrl),
    scope: OIDC_SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, cookie: await flowCookie(context).serialize(flow) };
}

async function pendingFlow(context: SsoContext, request: Request): Promise<Flow | null> {
  const value: unknown = await flowCookie(context).parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const f = value as Record<string, unknown>;
  if (typeof f.providerId !== "number" || typeof f.verifier !== "string" || typeof f.state !== "string" || typeof f.nonce !== "string") return null;
  if (typeof f.returnTo !== "string" || typeof f.until !== "number" || f.until <= Date.now()) return null;
  return f as unknown as Flow;
}

export type OidcFinish = { outcome: SsoOutcome | { ok: false; reason: "flow" }; providerId: number | null; returnTo: string; clearCookie: string };

/**
 * The IdP sent the browser back: exchange the code, check the ID token and
 * find the account. Any failure of the protocol (state, token, signature,
 * audience, expiry) is one refusal, audited with openid-client's error code.
 */
export async function finishOidcLogin(context: SsoContext, request: Request): Promise<OidcFinish> {
  const clearCookie = await flowCookie(context).serialize("", { maxAge: 0 });
  const flow = await pendingFlow(context, request);
  const refused = async (providerId: number | null, code: string): Promise<OidcFinish> => {
    await writeAudit(context.db, { actorUserId: null, action: "auth.sso_refused", entity: "identity_provider", entityId: providerId, detail: { reason: "flow", code } });
    return { outcome: { ok: false, reason: "flow" }, providerId, returnTo: "/", clearCookie };
  };
  if (!flow) return refused(null, "no_pending_login");
  const provider = await oidcProvider(context, flow.providerId).catch(() => null);
  if (!provider) return refused(flow.providerId, "provider_unavailable");
  // The address the IdP redirected to, as this site is known publicly (behind a proxy the request's own host may differ).
  const incoming = new URL(request.url);
  const currentUrl = new URL(OIDC_CALLBACK_PATH + incoming.search, context.config.publicUrl);
  let claims: oidc.IDToken | undefined;
  let email: Record<string, unknown> = {};
  try {
    const tokens = await oidc.authorizationCodeGrant(provider.configuration, currentUrl, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
    if (!claims) return refused(flow.providerId, "no_id_token");
    email = claims;
    // Many providers keep the e-mail claims out of the ID token when an access token is issued (OIDC Core 5.4):
    // then they come from the userinfo endpoint, whose subject must be the ID token's.
    if (typeof claims.email !== "string" && provider.configuration.serverMetadata().userinfo_endpoint) {
      email = await oidc.fetchUserInfo(provider.configuration, tokens.access_token, claims.sub);
    }
  } catch (error) {
    const code = error && typeof error === "object" && "code" in error ? String((error as { code: unknown }).code) : "invalid_response";
    return refused(flow.providerId, code);
  }
  const outcome = await accountForIdentity(
    context.db,
    { id: provider.row.id, issuer: provider.row.issuer },
    {
      subject: claims.sub,
      email: typeof email.email === "string" ? email.email : null,
      emailVerified: email.email_verified === true,
    },
  );
  return { outcome, providerId: flow.providerId, returnTo: flow.returnTo, clearCookie };
}

/** Where to send the browser after the portal's logout: the IdP's end_session_endpoint, when it has one. */
export async function oidcLogoutUrl(context: SsoContext, providerId: number): Promise<string | null> {
  const provider = await oidcProvider(context, providerId).catch(() => null);
  if (!provider?.configuration.serverMetadata().end_session_endpoint) return null;
  return oidc
    .buildEndSessionUrl(provider.configuration, {
      client_id: provider.row.client_id!,
      post_logout_redirect_uri: `${context.config.publicUrl}/login`,
    })
    .href;
}
