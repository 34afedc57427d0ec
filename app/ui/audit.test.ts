import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SessionChangeKind } from "~/db/schema";
import { auditDetailText, auditEntityText, auditEventLabel, auditEventLabels } from "./audit";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Where a code is written: `action: ...` in an entry, `const action = ...`, or a module's `audit("...")` helper. */
const WRITES = /\baction\s*[:=]\s*([^,;\n]+)|\baudit\(\s*([^,)\n]+)/g;
const CODE = /["'`]([a-z][a-z_]*\.[a-z][a-z_]*)["'`]/g;
const TEMPLATE = /`([a-z][a-z_]*)\.\$\{[^}]+\}`/g;

/** Codes built from a value: each template's every value. */
const sessionChangeKinds: Record<SessionChangeKind, true> = { edited: true, moved: true, cancelled: true, reinstated: true };
const TEMPLATE_VALUES: Record<string, string[]> = { session: Object.keys(sessionChangeKinds) };

/** Every event code the application writes, read from the files that write to the audit log. */
function writtenCodes(): { codes: Set<string>; templates: string[] } {
  const codes = new Set<string>();
  const templates: string[] = [];
  for (const file of sourceFiles(join(__dirname, ".."))) {
    const text = readFileSync(file, "utf8");
    if (!/writeAudit|\baudit\(/.test(text) || file.endsWith(join("ui", "audit.ts"))) continue;
    for (const write of text.matchAll(WRITES)) {
      const expression = write[1] ?? write[2];
      for (const m of expression.matchAll(CODE)) codes.add(m[1]);
      for (const m of expression.matchAll(TEMPLATE)) templates.push(m[1]);
    }
  }
  for (const prefix of templates) for (const value of TEMPLATE_VALUES[prefix] ?? []) codes.add(`${prefix}.${value}`);
  return { codes, templates };
}

describe("the audit log's Swedish event names", () => {
  it("name every event code the code writes", () => {
    const { codes } = writtenCodes();
    // The collector must see the codes at all, or the check below proves nothing.
    expect(codes).toContain("participant.updated");
    expect(codes).toContain("authz.denied");
    expect(codes).toContain("session.cancelled");
    const unnamed = [...codes].filter((code) => !(code in auditEventLabels));
    expect(unnamed, "add a Swedish name in app/ui/audit.ts").toEqual([]);
  });

  it("know the values of every code built from a template", () => {
    const unknown = writtenCodes().templates.filter((prefix) => !(prefix in TEMPLATE_VALUES));
    expect(unknown, "list the template's values in TEMPLATE_VALUES").toEqual([]);
  });

  it("keep no name for a code nothing writes any more", () => {
    const { codes } = writtenCodes();
    expect(Object.keys(auditEventLabels).filter((code) => !codes.has(code))).toEqual([]);
  });

  it("are Swedish words, never the code itself", () => {
    for (const [code, label] of Object.entries(auditEventLabels)) {
      expect(label).not.toContain(code);
      expect(label).not.toMatch(/[a-z]+_[a-z]+|\./);
    }
    expect(auditEventLabel("auth.login")).toBe("Loggade in");
  });
});

describe("an audit entry's details", () => {
  it("read as one Swedish line, not JSON", () => {
    expect(auditDetailText(JSON.stringify({ source: "form", fields: ["firstName", "email"] }))).toBe("källa: formulär; fält: förnamn, e-post");
    expect(auditDetailText(JSON.stringify({ format: "json", via: "self" }))).toBe("format: JSON-fil; av: deltagaren själv");
    expect(auditDetailText(JSON.stringify({ participantId: 12, month: "2026-10", fields: ["status"] }))).toBe(
      "deltagare nr: 12; månad: 2026-10; fält: status",
    );
    expect(auditDetailText(null)).toBe("");
    expect(auditDetailText("not json")).toBe("not json");
  });

  it("name what the entry concerns", () => {
    expect(auditEntityText("participant", "12")).toBe("Deltagare nr 12");
    expect(auditEntityText("time_report", null)).toBe("Tidrapport");
    expect(auditEntityText(null, null)).toBeNull();
  });
});
