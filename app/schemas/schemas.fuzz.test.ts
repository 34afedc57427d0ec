/// <reference types="vite/client" />
/**
 * Every form schema, fed random and hostile input: parsing never throws, and
 * every rejection carries a Swedish message (none of zod's English defaults).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z, type ZodTypeAny } from "zod";

const modules = import.meta.glob<Record<string, unknown>>("./*.ts", { eager: true });

const HOSTILE = [
  "'; DROP TABLE participants; --",
  "<script>alert('x')</script>",
  "<img src=x onerror=alert(1)>",
  "\u0000\u0007\u001b[31m",
  "\u202eevil",
  "2027-02-30",
  "2027-13-01",
  "0000-00-00",
  "-5",
  "-0.25",
  "1e309",
  "NaN",
  "Infinity",
  "9".repeat(400),
  "x".repeat(100_000),
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂 åäö",
  "   ",
  "",
  "null",
  "undefined",
  "[object Object]",
  "../../etc/passwd",
];

const hostileValue = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 3 }),
);

const ENGLISH = /^(Required|Expected|Invalid|String must|Number must|Array must|Too (small|big)|Unrecognized)/;

function keysOf(schema: ZodTypeAny): string[] {
  const def = schema._def as { typeName?: string; schema?: ZodTypeAny; innerType?: ZodTypeAny; options?: ZodTypeAny[] };
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (def.schema) return keysOf(def.schema);
  if (def.innerType) return keysOf(def.innerType);
  if (def.options) return [...new Set(def.options.flatMap(keysOf))];
  return [];
}

const schemas = Object.entries(modules).flatMap(([file, mod]) =>
  Object.entries(mod)
    .filter(([, value]) => value instanceof z.ZodType)
    .map(([name, value]) => ({ name: `${file.replace("./", "")}:${name}`, schema: value as ZodTypeAny })),
);

let inputs = 0;

describe("every form schema under hostile input", () => {
  it("finds the schemas", () => {
    expect(schemas.length).toBeGreaterThan(5);
  });

  for (const { name, schema } of schemas) {
    it(`${name} never throws and explains every rejection in Swedish`, () => {
      const keys = keysOf(schema);
      const intents = keys.includes("intent") ? fc.constantFrom(...intentValues(schema)) : fc.constant(undefined);
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...(keys.length ? keys : ["x"])), hostileValue), intents, (input, intent) => {
          inputs++;
          const value = intent ? { ...input, intent } : input;
          const result = schema.safeParse(value);
          if (!result.success) {
            for (const issue of result.error.issues) {
              expect(issue.message.length, `${name}: empty message`).toBeGreaterThan(0);
              expect(issue.message, `${name}: English message for ${JSON.stringify(issue.path)}`).not.toMatch(ENGLISH);
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it("reports how many inputs were tried", () => {
    console.log(`fuzz: ${schemas.length} schemas, ${inputs} hostile inputs, 0 exceptions`);
    expect(inputs).toBeGreaterThan(0);
  });
});

function intentValues(schema: ZodTypeAny): string[] {
  const def = schema._def as { options?: ZodTypeAny[] };
  const values = (def.options ?? [])
    .map((o) => (o instanceof z.ZodObject ? o.shape.intent : undefined))
    .filter((s): s is z.ZodLiteral<string> => s instanceof z.ZodLiteral)
    .map((s) => s.value);
  return values.length ? values : ["x"];
}
