import { describe, expect, it } from "vitest";
import {
  acceptedTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodesLeft,
  totpCodeAt,
  totpQrSvg,
  totpUri,
  withoutRecoveryCode,
} from "./totp.server";

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" (here in base32); its 8-digit
// codes end in the 6 digits an authenticator app shows.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP (RFC 6238) with a fixed clock", () => {
  it("gives the RFC 6238 test vectors at their times", () => {
    expect(totpCodeAt(RFC_SECRET, 59_000)).toBe("287082");
    expect(totpCodeAt(RFC_SECRET, 1_111_111_109_000)).toBe("081804");
    expect(totpCodeAt(RFC_SECRET, 1_234_567_890_000)).toBe("005924");
    expect(totpCodeAt(RFC_SECRET, 2_000_000_000_000)).toBe("279037");
  });

  it("accepts a code for the step before, the current and the next one, and nothing further", () => {
    const now = 1_234_567_890_000;
    const step = Math.floor(now / 30_000);
    expect(
      acceptedTotpStep(RFC_SECRET, totpCodeAt(RFC_SECRET, now), null, now)
    ).toBe(step);
    expect(
      acceptedTotpStep(
        RFC_SECRET,
        totpCodeAt(RFC_SECRET, now - 30_000),
        null,
        now
      )
    ).toBe(step - 1);
    expect(
      acceptedTotpStep(
        RFC_SECRET,
        totpCodeAt(RFC_SECRET, now + 30_000),
        null,
        now
      )
    ).toBe(step + 1);
    expect(
      acceptedTotpStep(
        RFC_SECRET,
        totpCodeAt(RFC_SECRET, now - 60_000),
        null,
        now
      )
    ).toBeNull();
    expect(
      acceptedTotpStep(
        RFC_SECRET,
        totpCodeAt(RFC_SECRET, now + 60_000),
        null,
        now
      )
    ).toBeNull();
  });

  it("refuses a code whose step was already used, and malformed codes", () => {
    const now = 1_234_567_890_000;
    const step = Math.floor(now / 30_000);
    const code = totpCodeAt(RFC_SECRET, now);
    expect(acceptedTotpStep(RFC_SECRET, code, step, now)).toBeNull();
    expect(
      acceptedTotpStep(
        RFC_SECRET,
        totpCodeAt(RFC_SECRET, now - 30_000),
        step,
        now
      )
    ).toBeNull();
    expect(
      acceptedTotpStep(
        RFC_SECRET,
        `${code.slice(0, 3)} ${code.slice(3)}`,
        null,
        now
      )
    ).toBe(step);
    for (const bad of ["", "12345", "1234567", "abcdef", "0059245"])
      expect(acceptedTotpStep(RFC_SECRET, bad, null, now), bad).toBeNull();
  });

  it("makes 160-bit secrets and an otpauth address and SVG QR code an app can read", async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = totpUri(secret, "anna@kommun.se");
    expect(uri).toMatch(
      /^otpauth:\/\/totp\/Programportalen:anna%40kommun\.se\?/
    );
    expect(uri).toContain(`secret=${secret}`);
    const svg = await totpQrSvg(secret, "anna@kommun.se");
    expect(svg).toMatch(/^<svg [^>]*viewBox/);
    expect(svg).not.toContain("<script");
  });
});

describe("recovery codes", () => {
  it("makes ten different codes, stored only as hashes", () => {
    const { codes, stored } = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(stored).not.toContain(code.replace("-", ""));
    }
    expect(recoveryCodesLeft(stored)).toBe(10);
  });

  it("a recovery code used twice is refused", () => {
    const { codes, stored } = newRecoveryCodes();
    const afterFirst = withoutRecoveryCode(stored, codes[3].toUpperCase());
    expect(afterFirst).not.toBeNull();
    expect(recoveryCodesLeft(afterFirst)).toBe(9);
    expect(withoutRecoveryCode(afterFirst, codes[3])).toBeNull();
    expect(withoutRecoveryCode(afterFirst, codes[4])).not.toBeNull();
  });
});
