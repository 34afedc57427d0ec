/**
 * Login through a municipality's SAML 2.0 identity provider (ADFS and the
 * like) with @node-saml/node-saml: SP-initiated, AuthnRequest by HTTP-Redirect,
 * Response by HTTP-POST to the assertion consumer service (ACS).
 *
 * What node-saml checks: the assertion's signature against the IdP's
 * certificate (wantAssertionsSigned), audience, NotBefore/NotOnOrAfter with a
 * small clock skew, and InResponseTo against the one request id this browser
 * started (kept in a signed cookie, like the OIDC flow's). What it leaves to
 * us, and this module checks: the assertion's Issuer is the configured IdP,
 * the Recipient (and the Response's Destination, when given) is our ACS, and
 * an assertion ID is used once (saml_assertion_ids).
 */
import crypto from "node:crypto";
import { createCookie, type AppLoadContext } from "@remix-run/node";
import { generateServiceProviderMetadata, SAML, ValidateInResponseTo, type CacheProvider, type Profile } from "@node-saml/node-saml";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { nowIso } from "~/db/connection.server";
import type { IdentityProviderTable } from "~/db/schema";
import { writeAudit } from "~/domain/audit.server";
import { safeRedirect } from "~/utils/redirect";
import { certificateBlocks, METADATA_RETRY_MS, refreshIdpMetadata, usableCertificates } from "./saml-certificates.server";
import { parseXml } from "./saml-metadata.server";
import type { SamlLoginFacts } from "./session.server";
import type { ServiceProviderKey } from "./saml-sp-key.server";
import { accountForIdentity, type SsoOutcome } from "./sso-accounts.server";
import { SAML_ACS_PATH, SAML_METADATA_PATH, SAML_SLO_PATH } from "./sso-paths";

export { SAML_ACS_PATH, SAML_METADATA_PATH, SAML_SLO_PATH };

type SsoContext = Pick<AppLoadContext, "db" | "config">;

/** Clocks of the IdP and the portal may differ this much; an assertion is otherwise valid only within its own times. */
export const SAML_CLOCK_SKEW_MS = 60 * 1000;
const FLOW_SECONDS = 10 * 60;
const EMAIL_ATTRIBUTES = ["email", "mail", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "urn:oid:0.9.2342.19200300.100.1.3"];
const TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

/** The portal's entity id: the address of its own metadata, as is customary. */
export function samlEntityId(publicUrl: string): string {
  return `${publicUrl}${SAML_METADATA_PATH}`;
}

export function samlAcsUrl(publicUrl: string): string {
  return `${publicUrl}${SAML_ACS_PATH}`;
}

export function samlSloUrl(publicUrl: string): string {
  return `${publicUrl}${SAML_SLO_PATH}`;
}

const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/**
 * The SP metadata an IdP imports (ADFS: "relying party trust from metadata
 * URL"): entity id, ACS, the single logout address and the certificate the
 * portal signs its logout messages with. node-saml publishes the logout
 * address with the HTTP-POST binding and, given a key, says AuthnRequests are
 * signed; the portal takes logout messages by HTTP-Redirect and leaves
 * AuthnRequests unsigned (an IdP set up without our certificate would refuse
 * signed ones), so both are corrected here.
 */
export function serviceProviderMetadata(publicUrl: string, key: ServiceProviderKey | null): string {
  const xml = generateServiceProviderMetadata({
    issuer: samlEntityId(publicUrl),
    callbackUrl: samlAcsUrl(publicUrl),
    logoutCallbackUrl: key ? samlSloUrl(publicUrl) : undefined,
    wantAssertionsSigned: true,
    identifierFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    ...(key ? { privateKey: key.privateKey, publicCerts: [key.certificate], signatureAlgorithm: "sha256" as const } : {}),
  });
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  for (const slo of Array.from(doc.getElementsByTagName("SingleLogoutService"))) slo.setAttribute("Binding", REDIRECT_BINDING);
  for (const sp of Array.from(doc.getElementsByTagName("SPSSODescriptor"))) sp.setAttribute("AuthnRequestsSigned", "false");
  return new XMLSerializer().serializeToString(doc);
}

/**
 * The browser's login under way. The IdP posts the response from its own site:
 * a Lax cookie would stay behind on that cross-site POST, so over HTTPS the
 * cookie is SameSite=None (still signed, HttpOnly, ten minutes, one path).
 */
function flowCookie(context: SsoContext) {
  return createCookie("pp_saml", {
    httpOnly: true,
    sameSite: context.config.cookieSecure ? "none" : "lax",
    secure: context.config.cookieSecure,
    path: "/sso/saml",
    secrets: [context.config.sessionSecret],
    maxAge: FLOW_SECONDS,
  });
}

interface Flow {
  providerId: number;
  requestId: string;
  startedAt: string;
  returnTo: string;
}

/** The one request id this browser may get an answer to. */
function expecting(flow: Pick<Flow, "requestId" | "startedAt">): CacheProvider {
  return {
    saveAsync: async (_key, value) => ({ value, createdAt: Date.now() }),
    getAsync: async (key) => (key === flow.requestId ? flow.startedAt : null),
    removeAsync: async (key) => key,
  };
}

type SamlRow = Pick<IdentityProviderTable, "issuer" | "protocol" | "saml_sso_url" | "saml_slo_url" | "saml_certificate" | "saml_metadata_url"> & { id: number };

/** A configured SAML IdP as the login and logout flows read it. */
export async function samlProviderRow(context: SsoContext, providerId: number): Promise<SamlRow | null> {
  const row = await context.db
    .selectFrom("identity_providers")
    .select(["id", "issuer", "protocol", "saml_sso_url", "saml_slo_url", "saml_certificate", "saml_metadata_url"])
    .where("id", "=", providerId)
    .executeTakeFirst();
  return row && row.protocol === "saml" && row.saml_sso_url && row.saml_certificate ? row : null;
}

/**
 * node-saml for one IdP, checking signatures against its certificates that
 * are valid now (null when none is; `sendOnly`, for a client that only makes
 * requests, does not mind). `expecting` is the one request id an answer may
 * be in response to; `signingKey` signs what the portal sends (logout
 * messages), and `sloUrl` is where they go.
 */
export function samlClient(
  publicUrl: string,
  row: SamlRow,
  options: { expecting: Pick<Flow, "requestId" | "startedAt">; signingKey?: ServiceProviderKey; sloUrl?: string; sendOnly?: boolean },
): SAML | null {
  const idpCert = options.sendOnly ? certificateBlocks(row.saml_certificate) : usableCertificates(row.saml_certificate);
  if (!idpCert.length || !row.saml_sso_url) return null;
  return new SAML({
    issuer: samlEntityId(publicUrl),
    audience: samlEntityId(publicUrl),
    callbackUrl: samlAcsUrl(publicUrl),
    logoutCallbackUrl: samlSloUrl(publicUrl),
    entryPoint: row.saml_sso_url,
    logoutUrl: options.sloUrl,
    idpCert,
    idpIssuer: row.issuer,
    wantAssertionsSigned: true,
    // ADFS signs the assertion by default, not always the response: the assertion's signature is what we require.
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: FLOW_SECONDS * 1000,
    cacheProvider: expecting(options.expecting),
    generateUniqueId: () => options.expecting.requestId,
    identifierFormat: null,
    // The IdP decides how people authenticate (Windows login, MFA); asking for one class makes ADFS refuse the others.
    disableRequestedAuthnContext: true,
    signatureAlgorithm: "sha256",
    ...(options.signingKey ? { privateKey: options.signingKey.privateKey } : {}),
  });
}

/** The IdP's sign-in URL for this login (HTTP-Redirect), and the cookie that remembers the request id. */
export async function startSamlLogin(context: SsoContext, providerId: number, returnTo: string | undefined): Promise<{ url: string; cookie: string } | null> {
  const flow: Flow = {
    providerId,
    requestId: `_${crypto.randomBytes(20).toString("hex")}`,
    startedAt: new Date().toISOString(),
    returnTo: safeRedirect(returnTo),
  };
  const row = await samlProviderRow(context, providerId);
  // An expired certificate does not stop the request: the answer is checked, and may bring the IdP's new certificate along.
  const saml = row && samlClient(context.config.publicUrl, row, { expecting: flow, sendOnly: true });
  if (!saml) return null;
  const url = await saml.getAuthorizeUrlAsync("", undefined, {});
  return { url, cookie: await flowCookie(context).serialize(flow) };
}

async function pendingFlow(context: SsoContext, request: Request): Promise<Flow | null> {
  const value: unknown = await flowCookie(context).parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const f = value as Record<string, unknown>;
  if (typeof f.providerId !== "number" || typeof f.requestId !== "string" || typeof f.startedAt !== "string" || typeof f.returnTo !== "string") return null;
  if (Date.parse(f.startedAt) + FLOW_SECONDS * 1000 <= Date.now()) return null;
  return f as unknown as Flow;
}

/** node-saml's errors as short codes for the audit log (its messages may quote values from the response). */
function errorCode(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (/audience/i.test(message)) return "audience";
  // node-saml finds a subject confirmation "not valid" only by its NotBefore/NotOnOrAfter.
  if (/expired|not yet valid|subject confirmation/i.test(message)) return "expired";
  if (/InResponseTo/i.test(message)) return "in_response_to";
  if (/signature/i.test(message)) return "signature";
  return "invalid_response";
}

type XmlNode = Record<string, unknown> & { $?: Record<string, string>; _?: string };
const children = (node: XmlNode | undefined, name: string): XmlNode[] => (node && Array.isArray(node[name]) ? (node[name] as XmlNode[]) : []);

/** What the signed assertion says beyond node-saml's checks: its id, expiry and every Recipient. */
function assertionFacts(profile: Profile) {
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion;
  const confirmations = children(assertion, "Subject").flatMap((s) => children(s, "SubjectConfirmation"));
  const data = confirmations.flatMap((c) => children(c, "SubjectConfirmationData"));
  const notOnOrAfter = [...children(assertion, "Conditions"), ...data].map((n) => n.$?.NotOnOrAfter).filter((v): v is string => typeof v === "string");
  return {
    id: assertion?.$?.ID ?? null,
    recipients: data.map((d) => d.$?.Recipient ?? null),
    expiresAt: notOnOrAfter.length ? new Date(Math.max(...notOnOrAfter.map(Date.parse))) : null,
  };
}

function responseDestination(xml: string): string | null {
  return parseXml(xml)?.documentElement.getAttribute("Destination") || null;
}

function emailOf(profile: Profile): string | null {
  for (const name of EMAIL_ATTRIBUTES) {
    const value = profile[name];
    if (typeof value === "string" && value.includes("@")) return value;
  }
  return profile.nameIDFormat === "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" && profile.nameID.includes("@") ? profile.nameID : null;
}

/** An assertion ID is accepted once: the row stays until the assertion would have expired anyway. */
async function firstUse(context: SsoContext, providerId: number, assertionId: string, expiresAt: Date): Promise<boolean> {
  const now = nowIso();
  await context.db.deleteFrom("saml_assertion_ids").where("expires_at", "<", now).execute();
  const inserted = await context.db
    .insertInto("saml_assertion_ids")
    .values({ id: `${providerId}:${assertionId}`, expires_at: new Date(expiresAt.getTime() + SAML_CLOCK_SKEW_MS).toISOString() })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** What single logout needs to name this login to the IdP (kept with the login session). */
export type SamlSessionFacts = SamlLoginFacts;

export type SamlFinish = {
  outcome: SsoOutcome | { ok: false; reason: "flow" };
  providerId: number | null;
  returnTo: string;
  clearCookie: string;
  saml: SamlSessionFacts | null;
};

/** The assertion checked by node-saml against the certificates valid now, or a short refusal code. */
async function validated(publicUrl: string, row: SamlRow, flow: Flow, samlResponse: string): Promise<{ profile: Profile | null } | { code: string }> {
  const saml = samlClient(publicUrl, row, { expecting: flow });
  if (!saml) return { code: "certificate_expired" };
  try {
    return { profile: (await saml.validatePostResponseAsync({ SAMLResponse: samlResponse })).profile };
  } catch (error) {
    return { code: errorCode(error) };
  }
}

/**
 * The IdP posted its response to the ACS: check it and find the account.
 * Any failure of the protocol is one refusal, audited with a short code.
 * Where to go next comes from the login this browser started; RelayState is
 * not read, so it cannot send anyone elsewhere.
 */
export async function finishSamlLogin(context: SsoContext, request: Request, samlResponse: string | null): Promise<SamlFinish> {
  const clearCookie = await flowCookie(context).serialize("", { maxAge: 0 });
  const flow = await pendingFlow(context, request);
  const refused = async (providerId: number | null, code: string): Promise<SamlFinish> => {
    await writeAudit(context.db, { actorUserId: null, action: "auth.sso_refused", entity: "identity_provider", entityId: providerId, detail: { reason: "flow", code } });
    return { outcome: { ok: false, reason: "flow" }, providerId, returnTo: "/", clearCookie, saml: null };
  };
  if (!flow) return refused(null, "no_pending_login");
  if (!samlResponse) return refused(flow.providerId, "no_response");
  let row = await samlProviderRow(context, flow.providerId);
  if (!row) return refused(flow.providerId, "provider_unavailable");
  const acs = samlAcsUrl(context.config.publicUrl);

  let checked = await validated(context.config.publicUrl, row, flow, samlResponse);
  // A signature no stored certificate verifies may be the IdP's new key: its metadata says (ADR 037).
  if ("code" in checked && (checked.code === "signature" || checked.code === "certificate_expired") && row.saml_metadata_url) {
    if ((await refreshIdpMetadata(context.db, row.id, { olderThanMs: METADATA_RETRY_MS })) === "changed") {
      row = await samlProviderRow(context, flow.providerId);
      if (!row) return refused(flow.providerId, "provider_unavailable");
      checked = await validated(context.config.publicUrl, row, flow, samlResponse);
    }
  }
  if ("code" in checked) return refused(flow.providerId, checked.code);
  const profile = checked.profile;
  if (!profile) return refused(flow.providerId, "no_assertion");
  if (profile.issuer !== row.issuer) return refused(flow.providerId, "issuer");
  const facts = assertionFacts(profile);
  if (!facts.recipients.length || facts.recipients.some((r) => r !== acs)) return refused(flow.providerId, "recipient");
  const destination = responseDestination(profile.getSamlResponseXml?.() ?? "");
  if (destination !== null && destination !== acs) return refused(flow.providerId, "destination");
  if (!facts.id || !facts.expiresAt) return refused(flow.providerId, "no_assertion_id");
  if (profile.nameIDFormat === TRANSIENT) return refused(flow.providerId, "transient_name_id");
  if (!(await firstUse(context, row.id, facts.id, facts.expiresAt))) return refused(flow.providerId, "replayed");

  const outcome = await accountForIdentity(
    context.db,
    { id: row.id, issuer: row.issuer },
    // SAML has no "verified" flag: the IdP an administrator connected vouches for the address, within the domains it serves.
    { subject: profile.nameID, email: emailOf(profile), emailVerified: true },
  );
  const saml = { nameId: profile.nameID, nameIdFormat: profile.nameIDFormat ?? null, sessionIndex: profile.sessionIndex ?? null };
  return { outcome, providerId: flow.providerId, returnTo: flow.returnTo, clearCookie, saml };
}
