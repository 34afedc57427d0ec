/**
 * The portal's own SAML signing key: it signs the LogoutRequests and
 * LogoutResponses the portal sends (HTTP-Redirect binding), and its
 * certificate is in the SP metadata so the IdP can check them. Made once, at
 * first need, so that `npm start` needs no configuration; the private key is
 * sealed under SSO_SECRET_KEY (or the session secret) like client secrets.
 * Self-signed on purpose: SAML trusts the certificate the metadata carries,
 * not a chain (ADR 037).
 */
import crypto from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { Db } from "~/db/connection.server";
import { openSecret, sealSecret } from "./secret-box.server";

export interface ServiceProviderKey {
  privateKey: string;
  certificate: string;
}

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const VALID_YEARS = 10;

async function makeKey(): Promise<ServiceProviderKey> {
  const webcrypto = crypto.webcrypto as unknown as Crypto;
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const now = new Date();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: crypto.randomBytes(8).toString("hex").replace(/^[89a-f]/, "1"),
      name: "CN=Programportalen SAML",
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + VALID_YEARS * 365 * 86_400_000),
      signingAlgorithm: ALGORITHM,
      keys,
    },
    webcrypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const privateKey = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`;
  return { privateKey, certificate: certificate.toString("pem") };
}

/**
 * The key pair, made and stored on the first call. Two processes may make one
 * at once: the first stored wins (the update only fills an empty row) and the
 * other reads it back. Null when the stored key cannot be opened (the secret
 * key changed): then the portal signs nothing and offers no single logout.
 */
export async function serviceProviderKey(db: Db, secretKey: string): Promise<ServiceProviderKey | null> {
  const read = () => db.selectFrom("portal_settings").select(["saml_sp_private_key_encrypted", "saml_sp_certificate"]).where("id", "=", 1).executeTakeFirst();
  let row = await read();
  if (!row) return null;
  if (!row.saml_sp_private_key_encrypted || !row.saml_sp_certificate) {
    const made = await makeKey();
    await db
      .updateTable("portal_settings")
      .set({ saml_sp_private_key_encrypted: sealSecret(secretKey, made.privateKey), saml_sp_certificate: made.certificate })
      .where("id", "=", 1)
      .where("saml_sp_private_key_encrypted", "is", null)
      .execute();
    row = await read();
  }
  if (!row?.saml_sp_private_key_encrypted || !row.saml_sp_certificate) return null;
  const privateKey = openSecret(secretKey, row.saml_sp_private_key_encrypted);
  return privateKey ? { privateKey, certificate: row.saml_sp_certificate } : null;
}
