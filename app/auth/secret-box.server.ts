/**
 * Client secrets of identity providers at rest: AES-256-GCM under a key
 * derived with HKDF-SHA256 from SSO_SECRET_KEY (or the session secret), so a
 * copy of the database alone reveals no secret. Stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the version lets the scheme change.
 */
import crypto from "node:crypto";

const INFO = "programportalen identity provider client secret v1";

function keyFrom(material: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", material, "programportalen", INFO, 32));
}

export function sealSecret(material: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", keyFrom(material), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** The secret, or null when the box was sealed under another key or was tampered with. */
export function openSecret(material: string, sealed: string): string | null {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || ciphertext === undefined) return null;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", keyFrom(material), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
