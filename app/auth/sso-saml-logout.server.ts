/**
 * SAML single logout (SLO) by the HTTP-Redirect binding
 * (docs/decisions/037-saml-logout-and-certificate-rollover.md).
 *
 * Portal first: the logout ends the portal's login sessions, then sends the
 * browser to the IdP's SingleLogoutService with a LogoutRequest signed by the
 * portal's key, naming the NameID and SessionIndex of the login. The IdP
 * answers at the SLO address with a LogoutResponse, which must be signed by
 * the IdP, from it, to this address, and in response to the request this
 * browser's cookie remembers.
 *
 * IdP first: the IdP sends a LogoutRequest to the SLO address. It must be
 * signed by a certificate of the IdP it names as issuer and addressed here;
 * then the login sessions of that NameID (and SessionIndex, when given) at
 * that IdP end, and the portal answers with a signed LogoutResponse.
 *
 * node-saml accepts a redirect message without a signature, does not check
 * Destination, and checks InResponseTo only when present: this module does.
 */
import crypto from "node:crypto";
import zlib from "node:zlib";
import { createCookie, type AppLoadContext } from "@remix-run/node";
import type { Profile } from "@node-saml/node-saml";
import { writeAudit } from "~/domain/audit.server";
import { parseXml } from "./saml-metadata.server";
import { serviceProviderKey } from "./saml-sp-key.server";
import { SAML_SLO_PATH, samlClient, samlProviderRow, samlSloUrl, type SamlSessionFacts } from "./sso-saml.server";

type SsoContext = Pick<AppLoadContext, "db" | "config">;

const PENDING_SECONDS = 10 * 60;
const ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
/** SAML bindings 3.4.3: RelayState is at most 80 bytes; an IdP's longer one is not passed back. */
const MAX_RELAY_STATE = 80;

/** What the login page says after a single logout (`/login?utloggad=…`). */
export const SAML_LOGOUT_MESSAGES = {
  kommun: "Du är utloggad från Programportalen och från din kommuns inloggning.",
  portalen: "Du är utloggad från Programportalen. Kommunens inloggning bekräftade inte att du är utloggad där: stäng webbläsaren om du delar datorn med andra.",
} as const;

/** The logout this browser started at the IdP; Lax is enough, the IdP's answer is a top-level GET. */
function pendingCookie(context: SsoContext) {
  return createCookie("pp_saml_logout", {
    httpOnly: true,
    sameSite: "lax",
    secure: context.config.cookieSecure,
    path: SAML_SLO_PATH,
    secrets: [context.config.sessionSecret],
    maxAge: PENDING_SECONDS,
  });
}

interface PendingLogout {
  providerId: number;
  requestId: string;
  startedAt: string;
}

/**
 * The IdP's address with a signed LogoutRequest for this login, and the cookie
 * that remembers it; null when the IdP offers no single logout (or the portal
 * has no usable signing key or IdP certificate), and the logout ends here.
 */
export async function startSamlLogout(context: SsoContext, providerId: number, facts: SamlSessionFacts): Promise<{ url: string; cookie: string } | null> {
  const row = await samlProviderRow(context, providerId);
  if (!row?.saml_slo_url) return null;
  const signingKey = await serviceProviderKey(context.db, context.config.ssoSecretKey);
  if (!signingKey) return null;
  const pending: PendingLogout = { providerId, requestId: `_${crypto.randomBytes(20).toString("hex")}`, startedAt: new Date().toISOString() };
  const saml = samlClient(context.config.publicUrl, row, { expecting: pending, signingKey, sloUrl: row.saml_slo_url, sendOnly: true });
  if (!saml) return null;
  const user = { issuer: row.issuer, nameID: facts.nameId, nameIDFormat: facts.nameIdFormat ?? UNSPECIFIED, sessionIndex: facts.sessionIndex ?? undefined } as Profile;
  const url = await saml.getLogoutUrlAsync(user, "", {});
  return { url, cookie: await pendingCookie(context).serialize(pending) };
}

async function pendingLogout(context: SsoContext, request: Request): Promise<PendingLogout | null> {
  const value: unknown = await pendingCookie(context).parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const p = value as Record<string, unknown>;
  if (typeof p.providerId !== "number" || typeof p.requestId !== "string" || typeof p.startedAt !== "string") return null;
  if (Date.parse(p.startedAt) + PENDING_SECONDS * 1000 <= Date.now()) return null;
  return p as unknown as PendingLogout;
}

/** The message of a redirect, inflated and parsed, before any check: only to learn who claims to send it. */
function inflated(encoded: string): Document | null {
  try {
    return parseXml(zlib.inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8"));
  } catch {
    return null;
  }
}

export type SloOutcome =
  /** The IdP confirmed the portal's logout (`confirmed`), or the answer could not be trusted: either way the person is logged out of the portal. */
  | { kind: "portal_logout_done"; confirmed: boolean; clearCookie: string }
  /** An IdP-initiated logout was carried out: send the browser back to the IdP with this LogoutResponse, or (no address) show that it is done. */
  | { kind: "answered"; redirectTo: string | null }
  | { kind: "refused" };

async function refusal(context: SsoContext, providerId: number | null, code: string) {
  await writeAudit(context.db, { actorUserId: null, action: "auth.sso_logout_refused", entity: "identity_provider", entityId: providerId, detail: { code } });
}

/** What arrives at the SLO address: the IdP's LogoutResponse to the portal, or its own LogoutRequest. */
export async function receiveSamlLogoutMessage(context: SsoContext, request: Request): Promise<SloOutcome> {
  const url = new URL(request.url);
  const query = url.search.slice(1);
  const container = Object.fromEntries(url.searchParams);
  const expectedDestination = samlSloUrl(context.config.publicUrl);

  if (container.SAMLResponse) {
    const clearCookie = await pendingCookie(context).serialize("", { maxAge: 0 });
    const done = (confirmed: boolean): SloOutcome => ({ kind: "portal_logout_done", confirmed, clearCookie });
    const pending = await pendingLogout(context, request);
    if (!pending) return refusal(context, null, "no_pending_logout").then(() => done(false));
    const row = await samlProviderRow(context, pending.providerId);
    const saml = row && samlClient(context.config.publicUrl, row, { expecting: pending });
    if (!saml) return refusal(context, pending.providerId, "provider_unavailable").then(() => done(false));
    const response = inflated(container.SAMLResponse)?.documentElement;
    if (!container.Signature) return refusal(context, pending.providerId, "unsigned").then(() => done(false));
    if (response?.getAttribute("InResponseTo") !== pending.requestId) return refusal(context, pending.providerId, "in_response_to").then(() => done(false));
    if (response.getAttribute("Destination") !== expectedDestination) return refusal(context, pending.providerId, "destination").then(() => done(false));
    try {
      await saml.validateRedirectAsync(container, query);
    } catch {
      return refusal(context, pending.providerId, "invalid_response").then(() => done(false));
    }
    return done(true);
  }

  if (!container.SAMLRequest) {
    await refusal(context, null, "no_message");
    return { kind: "refused" };
  }
  const message = inflated(container.SAMLRequest)?.documentElement;
  const claimedIssuer = message?.getElementsByTagNameNS(ASSERTION_NS, "Issuer")[0]?.textContent?.trim();
  const provider = claimedIssuer
    ? await context.db.selectFrom("identity_providers").select("id").where("issuer", "=", claimedIssuer).where("protocol", "=", "saml").executeTakeFirst()
    : undefined;
  const row = provider ? await samlProviderRow(context, provider.id) : null;
  if (!message || !row) {
    await refusal(context, null, "unknown_issuer");
    return { kind: "refused" };
  }
  const refused = async (code: string): Promise<SloOutcome> => {
    await refusal(context, row.id, code);
    return { kind: "refused" };
  };
  if (!container.Signature) return refused("unsigned");
  if (message.getAttribute("Destination") !== expectedDestination) return refused("destination");
  const signingKey = await serviceProviderKey(context.db, context.config.ssoSecretKey);
  const saml = samlClient(context.config.publicUrl, row, {
    expecting: { requestId: "", startedAt: "" },
    signingKey: signingKey ?? undefined,
    sloUrl: row.saml_slo_url ?? undefined,
  });
  if (!saml) return refused("provider_unavailable");
  let profile: Profile | null;
  try {
    ({ profile } = await saml.validateRedirectAsync(container, query));
  } catch {
    return refused("invalid_request");
  }
  if (!profile?.nameID) return refused("no_name_id");

  const ended = await context.db
    .deleteFrom("login_sessions")
    .where("identity_provider_id", "=", row.id)
    .where("saml_name_id", "=", profile.nameID)
    .$if(Boolean(profile.sessionIndex), (q) => q.where("saml_session_index", "=", profile.sessionIndex!))
    .returning("user_id")
    .execute();
  for (const userId of new Set(ended.map((e) => e.user_id))) {
    await writeAudit(context.db, { actorUserId: userId, action: "auth.sso_logout", entity: "user", entityId: userId, detail: { identityProviderId: row.id } });
  }
  if (!row.saml_slo_url || !signingKey) return { kind: "answered", redirectTo: null };
  const relayState = container.RelayState && container.RelayState.length <= MAX_RELAY_STATE ? container.RelayState : "";
  return { kind: "answered", redirectTo: await saml.getLogoutResponseUrlAsync(profile, relayState, {}, true) };
}
