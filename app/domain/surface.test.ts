/**
 * The domain's public surface: what routes, components and UI code may call.
 *
 * 1. A public domain module (app/domain/*.server.ts) exports no function that
 *    takes a bare database handle or transaction: such a helper checks no
 *    grant, so it is module-private or lives in app/domain/internal/.
 * 2. Route, component, UI, schema and util modules import nothing from
 *    app/domain/internal/ and nothing but types from app/db/ (also enforced
 *    by ESLint's no-restricted-imports, which names the file and line).
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOMAIN = path.join(ROOT, "app/domain");

/** The guard itself: the context and audit modules hand the database to the checks. */
const INFRASTRUCTURE = new Set(["context.server.ts", "audit.server.ts"]);

/**
 * Exports that still take a bare handle (issue 19 moves each into its module
 * or app/domain/internal/). This list only shrinks; it must end empty.
 */
const KNOWN_DEBT = new Set<string>([
]);

const HANDLE_TYPE = /\b(Db|Conn|Transaction|Kysely|Trx)\b/;

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Exported functions of a module with the type text of each parameter. */
function exportedFunctions(source: ts.SourceFile): { name: string; parameterTypes: string[] }[] {
  const found: { name: string; parameterTypes: string[] }[] = [];
  const describeParameters = (parameters: ts.NodeArray<ts.ParameterDeclaration>) => parameters.map((p) => p.type?.getText(source) ?? "");
  for (const statement of source.statements) {
    if (!isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      found.push({ name: statement.name.text, parameterTypes: describeParameters(statement.parameters) });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          found.push({ name: declaration.name.getText(source), parameterTypes: describeParameters(init.parameters) });
        }
      }
    }
  }
  return found;
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => pattern.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
}

describe("the domain's public surface", () => {
  const publicModules = fs.readdirSync(DOMAIN).filter((f) => f.endsWith(".server.ts") && !INFRASTRUCTURE.has(f));

  it("exports no function that takes a bare database handle (those check no grant)", () => {
    const offenders: string[] = [];
    for (const file of publicModules) {
      for (const fn of exportedFunctions(parse(path.join(DOMAIN, file)))) {
        const key = `${file} ${fn.name}`;
        if (fn.parameterTypes.some((t) => HANDLE_TYPE.test(t)) && !KNOWN_DEBT.has(key)) offenders.push(key);
      }
    }
    expect(offenders, "move these into app/domain/internal/ or make them module-private").toEqual([]);
  });

  it("keeps its list of known exceptions true (an entry goes when its helper is moved)", () => {
    const stillTakingHandles = new Set<string>();
    for (const file of publicModules) {
      for (const fn of exportedFunctions(parse(path.join(DOMAIN, file)))) {
        if (fn.parameterTypes.some((t) => HANDLE_TYPE.test(t))) stillTakingHandles.add(`${file} ${fn.name}`);
      }
    }
    expect([...KNOWN_DEBT].filter((k) => !stillTakingHandles.has(k)), "remove these from KNOWN_DEBT").toEqual([]);
  });

  it("is all that routes, components, UI, schema and util modules import from the server side", () => {
    const callers = ["routes", "components", "ui", "schemas", "utils"].flatMap((dir) => filesUnder(path.join(ROOT, "app", dir), /\.tsx?$/));
    expect(callers.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const file of callers) {
      const source = parse(file);
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement)) continue;
        const from = (statement.moduleSpecifier as ts.StringLiteral).text;
        const typeOnly = statement.importClause?.isTypeOnly ?? false;
        const where = `${path.relative(ROOT, file)} imports ${from}`;
        if (/(^~|\.\.?)\/(.*\/)?domain\/internal\//.test(from) || from.startsWith("~/domain/internal")) offenders.push(where);
        if (/^~\/db\//.test(from) && !typeOnly && !(file.endsWith(path.join("routes", "healthz.ts")) && from === "~/db/connection.server")) offenders.push(where);
        if (from === "kysely" && !typeOnly) offenders.push(where);
      }
    }
    expect(offenders).toEqual([]);
  });
});
