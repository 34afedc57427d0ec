import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "./redirect";

describe("safeRedirect", () => {
  it("keeps paths on this site", () => {
    // "/%09/…" is an (unknown) path here: browsers do not decode it into a tab.
    for (const path of ["/", "/deltagare", "/deltagare/12?sida=2#x", "/omgangar/2/trafar?fran=2026-01-01", "/a//b", "/sök?q=å", "/%09/evil.example"]) {
      expect(safeRedirect(path)).toBe(path);
    }
  });

  it("sends everything else to the start page", () => {
    const hostile = [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example/phish",
      "/\n/evil.example",
      "/\r\nSet-Cookie: x=1",
      "\\\\evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      " /deltagare",
      "/deltagare\u0000",
      "/\u2028/evil.example",
      "",
      "deltagare",
      `/${"a".repeat(3000)}`,
    ];
    for (const to of hostile) expect(safeRedirect(to), JSON.stringify(to)).toBe("/");
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined, "/konto")).toBe("/konto");
  });

  it("never lets a browser leave the site, whatever the string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.string().map((s) => `/${s}`), fc.string().map((s) => `/\\${s}`)), (to) => {
        const target = safeRedirect(to);
        // WHATWG URL parsing is what a browser applies to a Location header.
        expect(new URL(target, "https://portal.example").origin).toBe("https://portal.example");
        expect(target).not.toMatch(/[\u0000-\u001f\u007f]/);
      }),
    );
  });
});
