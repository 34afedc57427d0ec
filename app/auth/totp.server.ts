/**
 * Two-factor codes: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps,
 * what every authenticator app reads from a QR code) through `otpauth`, and
 * ten one-time recovery codes stored as SHA-256 hashes (they are random, so
 * a fast hash keeps them as safe as the login sessions' ids).
 *
 * A code is accepted for the step before, the current and the next one
 * (clocks drift), and never for a step at or before the last one accepted
 * for the account (RFC 6238 section 5.2): a code seen over a shoulder or in
 * a proxy log cannot be used again.
 */
import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

const PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

function totpFor(secret: string, label = "") {
  return new TOTP({
    issuer: "Programportalen",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** A new random secret (160 bits, base32), as RFC 4226 recommends. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The secret in groups of four, easier to type into an app than one long string. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secret: string, email: string): string {
  return totpFor(secret, email).toString();
}

/** The QR code of the otpauth:// address as an SVG string, drawn on the server (no client code). */
export function totpQrSvg(secret: string, email: string): Promise<string> {
  return QRCode.toString(totpUri(secret, email), {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 2,
  });
}

/** The code for a moment (tests and the demo's code printer). */
export function totpCodeAt(secret: string, timestamp: number): string {
  return totpFor(secret).generate({ timestamp });
}

/**
 * The time step a code belongs to when it is valid now and newer than
 * `lastStep`; null otherwise. Accepts spaces inside the code.
 */
export function acceptedTotpStep(
  secret: string,
  code: string,
  lastStep: number | null,
  timestamp: number
): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^[0-9]{6}$/.test(token)) return null;
  const delta = totpFor(secret).validate({ token, timestamp, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten new recovery codes (about 50 bits each, "xxxxx-xxxxx") and their stored form. */
export function newRecoveryCodes(): { codes: string[]; stored: string } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(
      crypto.randomBytes(10),
      (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]
    ).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, stored: JSON.stringify(codes.map(hashRecoveryCode)) };
}

function hashRecoveryCode(code: string): string {
  return crypto
    .createHash("sha256")
    .update(code.trim().toLowerCase().replace(/[\s-]/g, ""))
    .digest("hex");
}

/** The stored hashes without the one this code matches, or null when it matches none. */
export function withoutRecoveryCode(
  stored: string | null,
  code: string
): string | null {
  if (!stored) return null;
  const hashes = JSON.parse(stored) as string[];
  const hash = hashRecoveryCode(code);
  const index = hashes.indexOf(hash);
  if (index < 0) return null;
  return JSON.stringify(hashes.filter((_, i) => i !== index));
}

export function recoveryCodesLeft(stored: string | null): number {
  return stored ? (JSON.parse(stored) as string[]).length : 0;
}
