/**
 * A SAML 2.0 identity provider for tests of the portal's side of the flow.
 * It makes its own signing key and self-signed certificate (openssl, once per
 * IdP), reads the portal's AuthnRequest from the redirect, and answers with a
 * Response whose assertion it signs with xml-crypto, as ADFS does. Each test
 * can change the next response (`next`) to show what the portal refuses: a
 * wrong audience, an expired assertion, a stranger's signature, no signature.
 *
 * Served over HTTP on 127.0.0.1: GET /sso auto-posts the response to the
 * portal's ACS (the HTTP-POST binding, as a browser sees it), GET /metadata
 * is the IdP's metadata for the admin form's "metadata URL" (with the
 * certificates `listed`), GET /slo takes the portal's LogoutRequest (checking
 * its signature against the certificate in the portal's own metadata) and
 * redirects back with a signed LogoutResponse (single logout).
 *
 * Certificate roll-over: `addSigningKey()` makes a second key ("next") and
 * lists both certificates in the metadata; `listed` says which it lists.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { SignedXml } from "xml-crypto";

export interface AssertionOptions {
  inResponseTo: string | null;
  acs: string;
  audience: string;
  issuer?: string;
  nameId?: string;
  nameIdFormat?: string;
  email?: string | null;
  recipient?: string;
  destination?: string;
  assertionId?: string;
  /** When the assertion stops being valid (Conditions and SubjectConfirmationData). */
  notOnOrAfter?: Date;
  issuedAt?: Date;
  /** The IdP's session the assertion belongs to (AuthnStatement SessionIndex); a new one by default. */
  sessionIndex?: string;
  /** "idp" (default), "next" (the key added by addSigningKey), "stranger" (a key the portal does not know) or "none" (unsigned). */
  signedBy?: SignedBy;
}

export type SignedBy = "idp" | "next" | "stranger" | "none";

export interface ReceivedLogoutRequest {
  id: string;
  issuer: string;
  destination: string;
  nameId: string;
  nameIdFormat: string;
  sessionIndex: string | null;
  /** Signed (HTTP-Redirect: Signature over the query) by the key whose certificate is given. */
  signedBy(certificate: string): boolean;
}

export interface SamlTestIdp {
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  certificate: string;
  /** Overrides for the next response the /sso page posts (consumed by it). */
  next: Partial<AssertionOptions> & { relayState?: string };
  /** The last AuthnRequest the portal sent, read from its redirect. */
  lastRequest: { id: string; acs: string; issuer: string } | null;
  /** The SessionIndex of the last assertion the /sso page posted. */
  lastSessionIndex: string | null;
  /** The last LogoutRequest the portal sent to /slo, and whether the portal's metadata certificate verified it. */
  lastLogoutRequest: (ReceivedLogoutRequest & { verified: boolean }) | null;
  /** How many times /metadata was fetched. */
  metadataFetches: number;
  /** The last LogoutResponse (XML) the portal answered an IdP-initiated logout with. */
  lastLogoutResponse: string | null;
  /** Which keys' certificates the metadata lists ("idp" by default). */
  listed: ("idp" | "next")[];
  /** Makes the second key and lists both certificates; returns the new certificate. */
  addSigningKey(): string;
  /** A base64 SAMLResponse as the IdP would post it. */
  response(options: AssertionOptions): string;
  /** Reads the portal's redirect URL (HTTP-Redirect binding). */
  readRequest(url: string): { id: string; acs: string; issuer: string };
  /** Reads the portal's LogoutRequest from its redirect URL. */
  readLogoutRequest(url: string): ReceivedLogoutRequest;
  /** The portal's SLO address with a LogoutResponse (HTTP-Redirect), signed by the IdP unless told otherwise. */
  logoutResponseUrl(o: { slo: string; inResponseTo: string; destination?: string; issuer?: string; signedBy?: SignedBy; relayState?: string }): string;
  /** The portal's SLO address with an IdP-initiated LogoutRequest (HTTP-Redirect). */
  logoutRequestUrl(o: { slo: string; nameId: string; sessionIndex?: string; destination?: string; issuer?: string; signedBy?: SignedBy; relayState?: string }): string;
  close(): Promise<void>;
}

export const NS_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

function keyAndCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saml-idp-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "2", "-subj", "/CN=Test IdP"],
      { stdio: "ignore" },
    );
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const escapeXml = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const escapeHtml = escapeXml;
const id = () => `_${crypto.randomBytes(16).toString("hex")}`;

function sign(xml: string, key: string, cert: string): string {
  const signer = new SignedXml({
    privateKey: key,
    publicCert: cert,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  signer.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
  });
  signer.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: "after" } });
  return signer.getSignedXml();
}

const SIG_ALG = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const base64 = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "");

/** A message in the HTTP-Redirect binding: deflated, base64, and signed over the query as the binding says (3.4.4.1). */
function redirectUrl(target: string, kind: "SAMLRequest" | "SAMLResponse", xml: string, relayState: string | undefined, key: string | null): string {
  let query = `${kind}=${encodeURIComponent(zlib.deflateRawSync(Buffer.from(xml, "utf8")).toString("base64"))}`;
  if (relayState) query += `&RelayState=${encodeURIComponent(relayState)}`;
  if (key) {
    query += `&SigAlg=${encodeURIComponent(SIG_ALG)}`;
    query += `&Signature=${encodeURIComponent(crypto.sign("RSA-SHA256", Buffer.from(query), key).toString("base64"))}`;
  }
  return `${target}${target.includes("?") ? "&" : "?"}${query}`;
}

export async function startSamlIdp(defaults: { nameId: string; email: string }): Promise<SamlTestIdp> {
  const own = keyAndCertificate();
  const stranger = keyAndCertificate();
  let next: { key: string; cert: string } | null = null;
  const keyOf = (signedBy: SignedBy) => (signedBy === "none" ? null : signedBy === "stranger" ? stranger : signedBy === "next" ? next! : own);

  const idp: SamlTestIdp = {
    entityId: "",
    ssoUrl: "",
    metadataUrl: "",
    certificate: own.cert,
    next: {},
    lastRequest: null,
    lastSessionIndex: null,
    lastLogoutRequest: null,
    lastLogoutResponse: null,
    listed: ["idp"],
    metadataFetches: 0,
    addSigningKey() {
      next ??= keyAndCertificate();
      idp.listed = ["idp", "next"];
      return next.cert;
    },
    response(o) {
      const issuer = o.issuer ?? idp.entityId;
      const now = o.issuedAt ?? new Date();
      const until = (o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60 * 1000)).toISOString();
      const inResponseTo = o.inResponseTo === null ? "" : ` InResponseTo="${escapeXml(o.inResponseTo)}"`;
      const email = o.email === undefined ? defaults.email : o.email;
      const attributes = email
        ? `<saml:AttributeStatement><saml:Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"><saml:AttributeValue>${escapeXml(email)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`
        : "";
      const assertion =
        `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${escapeXml(o.assertionId ?? id())}" Version="2.0" IssueInstant="${now.toISOString()}">` +
        `<saml:Issuer>${escapeXml(issuer)}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="${escapeXml(o.nameIdFormat ?? NS_PERSISTENT)}">${escapeXml(o.nameId ?? defaults.nameId)}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${escapeXml(o.recipient ?? o.acs)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${new Date(now.getTime() - 1000).toISOString()}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escapeXml(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${escapeXml(o.sessionIndex ?? id())}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
        attributes +
        `</saml:Assertion>`;
      const signedBy = o.signedBy ?? "idp";
      const keys = keyOf(signedBy) ?? own;
      const response =
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${escapeXml(o.destination ?? o.acs)}"${inResponseTo}>` +
        `<saml:Issuer>${escapeXml(issuer)}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
        assertion +
        `</samlp:Response>`;
      return Buffer.from(signedBy === "none" ? response : sign(response, keys.key, keys.cert)).toString("base64");
    },
    readRequest(url) {
      const encoded = new URL(url).searchParams.get("SAMLRequest");
      if (!encoded) throw new Error("no SAMLRequest in the redirect");
      const xml = zlib.inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
      const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? "";
      const request = { id: attribute("ID"), acs: attribute("AssertionConsumerServiceURL"), issuer: /<saml:Issuer[^>]*>([^<]*)</.exec(xml)?.[1] ?? "" };
      idp.lastRequest = request;
      return request;
    },
    readLogoutRequest(url) {
      const parsed = new URL(url);
      const encoded = parsed.searchParams.get("SAMLRequest");
      if (!encoded) throw new Error("no SAMLRequest in the redirect");
      const xml = zlib.inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
      if (!/<(\w+:)?LogoutRequest[\s>]/.test(xml)) throw new Error("not a LogoutRequest");
      const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? "";
      const nameId = /<(?:\w+:)?NameID([^>]*)>([^<]*)</.exec(xml);
      const tokens = parsed.search.slice(1).split("&");
      const token = (name: string) => tokens.find((t) => t.startsWith(`${name}=`));
      const signature = parsed.searchParams.get("Signature");
      const signed = [token("SAMLRequest"), token("RelayState"), token("SigAlg")].filter(Boolean).join("&");
      return {
        id: attribute("ID"),
        destination: attribute("Destination"),
        issuer: /<(?:\w+:)?Issuer[^>]*>([^<]*)</.exec(xml)?.[1] ?? "",
        nameId: nameId?.[2] ?? "",
        nameIdFormat: /Format="([^"]*)"/.exec(nameId?.[1] ?? "")?.[1] ?? "",
        sessionIndex: /<(?:\w+:)?SessionIndex[^>]*>([^<]*)</.exec(xml)?.[1] ?? null,
        signedBy: (certificate) =>
          Boolean(signature) && parsed.searchParams.get("SigAlg") === SIG_ALG && crypto.verify("RSA-SHA256", Buffer.from(signed), certificate, Buffer.from(signature!, "base64")),
      };
    },
    logoutResponseUrl(o) {
      const xml =
        `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${escapeXml(o.destination ?? o.slo)}" InResponseTo="${escapeXml(o.inResponseTo)}">` +
        `<saml:Issuer>${escapeXml(o.issuer ?? idp.entityId)}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
      return redirectUrl(o.slo, "SAMLResponse", xml, o.relayState, keyOf(o.signedBy ?? "idp")?.key ?? null);
    },
    logoutRequestUrl(o) {
      const xml =
        `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${escapeXml(o.destination ?? o.slo)}">` +
        `<saml:Issuer>${escapeXml(o.issuer ?? idp.entityId)}</saml:Issuer>` +
        `<saml:NameID Format="${NS_PERSISTENT}">${escapeXml(o.nameId)}</saml:NameID>` +
        (o.sessionIndex ? `<samlp:SessionIndex>${escapeXml(o.sessionIndex)}</samlp:SessionIndex>` : "") +
        `</samlp:LogoutRequest>`;
      return redirectUrl(o.slo, "SAMLRequest", xml, o.relayState, keyOf(o.signedBy ?? "idp")?.key ?? null);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", idp.entityId);
    if (url.pathname === "/metadata") {
      idp.metadataFetches += 1;
      const signing = idp.listed
        .map((which) => (which === "next" ? next! : own).cert)
        .map((cert) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
        .join("");
      res.writeHead(200, { "Content-Type": "application/samlmetadata+xml" });
      res.end(
        `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escapeXml(idp.entityId)}">` +
          `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
          `<md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${crypto.randomBytes(8).toString("hex")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
          signing +
          `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(idp.entityId)}/slo"/>` +
          `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(idp.entityId)}/sso-post"/>` +
          `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(idp.ssoUrl)}"/>` +
          `</md:IDPSSODescriptor></md:EntityDescriptor>`,
      );
      return;
    }
    if (url.pathname === "/sso") {
      const request = idp.readRequest(url.href);
      const { relayState, ...overrides } = idp.next;
      idp.next = {};
      const sessionIndex = overrides.sessionIndex ?? id();
      idp.lastSessionIndex = sessionIndex;
      const samlResponse = idp.response({ inResponseTo: request.id, acs: request.acs, audience: request.issuer, sessionIndex, ...overrides });
      const relay = relayState === undefined ? "" : `<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">`;
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html lang="sv"><head><title>Test-IdP</title></head><body onload="document.forms[0].submit()">` +
          `<form method="post" action="${escapeHtml(overrides.destination ?? request.acs)}"><input type="hidden" name="SAMLResponse" value="${samlResponse}">${relay}` +
          `<noscript><button>Fortsätt</button></noscript></form></body></html>`,
      );
      return;
    }
    if (url.pathname === "/slo" && url.searchParams.has("SAMLResponse")) {
      // The portal's answer to an IdP-initiated logout.
      idp.lastLogoutResponse = zlib.inflateRawSync(Buffer.from(url.searchParams.get("SAMLResponse")!, "base64")).toString("utf8");
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="sv"><head><title>Test-IdP</title></head><body><h1>Utloggad hos test-IdP</h1></body></html>`);
      return;
    }
    if (url.pathname === "/slo") {
      void (async () => {
        const request = idp.readLogoutRequest(url.href);
        // The portal's entity id is the address of its metadata, which carries the certificate it signs with.
        const spMetadata = await (await fetch(request.issuer)).text();
        const spCertificate = /<(?:\w+:)?X509Certificate>([^<]+)</.exec(spMetadata)?.[1]?.replace(/\s+/g, "");
        const verified = Boolean(spCertificate) && request.signedBy(`-----BEGIN CERTIFICATE-----\n${spCertificate!.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----`);
        idp.lastLogoutRequest = { ...request, verified };
        if (!verified) {
          res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Utloggningsbegäran var inte signerad av portalen.");
          return;
        }
        const slo = request.issuer.replace(/\/sso\/saml\/metadata$/, "/sso/saml/slo");
        res.writeHead(302, { Location: idp.logoutResponseUrl({ slo, inResponseTo: request.id }) }).end();
      })().catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  idp.entityId = `http://127.0.0.1:${port}`;
  idp.ssoUrl = `${idp.entityId}/sso`;
  idp.metadataUrl = `${idp.entityId}/metadata`;
  return idp;
}
