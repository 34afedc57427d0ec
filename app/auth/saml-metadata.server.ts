/**
 * Reads what the portal needs from a SAML IdP's metadata (ADFS publishes it at
 * https://<adfs-host>/FederationMetadata/2007-06/FederationMetadata.xml): its
 * entity id, the HTTP-Redirect sign-in and logout addresses and the signing
 * certificates (all of them: during a roll-over the IdP lists the old and the
 * new one).
 */
import { DOMParser } from "@xmldom/xmldom";

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
/** Metadata with many certificates and roles (ADFS's carries WS-Federation too) stays well under this. */
export const MAX_METADATA_BYTES = 1024 * 1024;

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** The SingleLogoutService (HTTP-Redirect), when the IdP offers one. */
  sloUrl: string | null;
  /** Every signing certificate, PEM, one block each, joined by a new line. */
  certificate: string;
}

/** XML parsed without a word on the console; null when it is not well-formed. */
export function parseXml(xml: string): Document | null {
  try {
    const doc = new DOMParser({
      errorHandler: {
        warning: () => undefined,
        error: () => undefined,
        fatalError: (message: string) => {
          throw new Error(message);
        },
      },
    }).parseFromString(xml, "text/xml");
    return doc?.documentElement ? (doc as unknown as Document) : null;
  } catch {
    return null;
  }
}

const pem = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----`;

export function readIdpMetadata(xml: string): IdpMetadata | null {
  const doc = parseXml(xml);
  if (!doc) return null;
  const entities = Array.from(doc.getElementsByTagNameNS(MD, "EntityDescriptor"));
  for (const entity of entities) {
    const idp = entity.getElementsByTagNameNS(MD, "IDPSSODescriptor")[0];
    const entityId = entity.getAttribute("entityID");
    if (!idp || !entityId) continue;
    const sso = Array.from(idp.getElementsByTagNameNS(MD, "SingleSignOnService")).find((s) => s.getAttribute("Binding") === REDIRECT_BINDING);
    const certificates = Array.from(idp.getElementsByTagNameNS(MD, "KeyDescriptor"))
      .filter((k) => k.getAttribute("use") !== "encryption")
      .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, "X509Certificate")))
      .map((c) => (c.textContent ?? "").replace(/\s+/g, ""))
      .filter((c) => /^[A-Za-z0-9+/]+=*$/.test(c));
    const slo = Array.from(idp.getElementsByTagNameNS(MD, "SingleLogoutService")).find((s) => s.getAttribute("Binding") === REDIRECT_BINDING);
    const location = sso?.getAttribute("Location");
    if (!location || !certificates.length) return null;
    return { entityId, ssoUrl: location, sloUrl: slo?.getAttribute("Location") || null, certificate: [...new Set(certificates)].map(pem).join("\n") };
  }
  return null;
}

/** Fetches an IdP's metadata by its URL (an administrator's input: https, or a provider on this machine). */
export async function fetchIdpMetadata(url: string): Promise<IdpMetadata | null> {
  try {
    const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return null;
    const declared = Number(response.headers.get("content-length") ?? 0);
    if (declared > MAX_METADATA_BYTES) return null;
    const text = await response.text();
    return text.length > MAX_METADATA_BYTES ? null : readIdpMetadata(text);
  } catch {
    return null;
  }
}
