/**
 * Hostile input over HTTP: every route of the build that has an action gets
 * random and hostile bodies (fast-check) from a user allowed to use it, built
 * on the field names and intent values its own page shows. Never a 500, and
 * every refusal (400/409/422) tells the user in Swedish what is wrong. The
 * CSV import also gets random files; a rejected file changes no participant.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import fc from "fast-check";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { serverBuildPath } from "../../server/build-path";
import { startTestServer, type TestServer } from "../support/http";
import { ACTORS, expectations, type Actor } from "./authorization-expectations";
import { demoIds, type DemoIds } from "./demo-ids";

/** FUZZ_RUNS_FACTOR=5 npx vitest run tests/integration/http-fuzz.test.ts searches harder (a few minutes). */
const RUNS_FACTOR = Number(process.env.FUZZ_RUNS_FACTOR ?? 1);

// ---------------------------------------------------------------------------
// Routes (as authorization-matrix.test.ts reads them)

interface RouteInfo {
  id: string;
  path: string;
  hasAction: boolean;
}

async function routesOfBuild(): Promise<RouteInfo[]> {
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const routes: RouteInfo[] = [];
  for (const route of Object.values(build.routes)) {
    if (route.id === "root") continue;
    let full = "";
    for (let r: typeof route | undefined = route; r; r = r.parentId ? build.routes[r.parentId] : undefined) {
      if (r.path) full = `/${r.path}${full}`;
    }
    routes.push({ id: route.id, path: full || "/", hasAction: !!route.module.action });
  }
  return routes.sort((a, b) => a.id.localeCompare(b.id));
}

function fillPath(path: string, ids: DemoIds): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = ids.params[name];
    if (value === undefined) throw new Error(`No demo id for the route parameter :${name}; add it to demo-ids.ts`);
    return String(value);
  });
}

/** The first user whose expected POST answer shows they may use the action. */
function allowedActor(routeId: string): Actor | null {
  const post = expectations[routeId]?.post;
  if (!post) return null;
  return ACTORS.find((a) => !["forbidden", "notFound", "login", "none"].includes(post[a])) ?? null;
}

// ---------------------------------------------------------------------------
// A tiny HTML reader: form fields of the page and the error messages it shows

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, "\u00a0")
    .replace(/&amp;/g, "&");

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([\w:-]+)(?:="([^"]*)")?/g)) attrs[m[1].toLowerCase()] = decode(m[2] ?? "");
  return attrs;
}

const withoutScripts = (html: string) => html.replace(/<script\b[\s\S]*?<\/script>/gi, "").replace(/<style\b[\s\S]*?<\/style>/gi, "");
const textOf = (html: string) => decode(html.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();

interface Field {
  /** input type, or "select" / "textarea". */
  type: string;
  /** Values the page offers (value attributes, options, text). */
  values: Set<string>;
}

interface PageForm {
  fields: Map<string, Field>;
  intents: Set<string>;
  multipart: boolean;
}

/** Fields of the forms that post to the page itself (not the menu's log-out form). */
function scrapeForms(html: string, pagePath: string): PageForm {
  const result: PageForm = { fields: new Map(), intents: new Set(), multipart: false };
  const body = withoutScripts(html);
  for (const form of body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(form[1]);
    const action = attrs.action ? new URL(attrs.action, "http://x").pathname : pagePath;
    if ((attrs.method ?? "get").toLowerCase() !== "post" || action !== pagePath) continue;
    if (attrs.enctype === "multipart/form-data") result.multipart = true;
    const inner = form[2];
    const add = (name: string, type: string, value?: string) => {
      if (!name) return;
      if (!result.fields.has(name)) result.fields.set(name, { type, values: new Set() });
      if (value !== undefined && value !== "") result.fields.get(name)!.values.add(value);
    };
    for (const m of inner.matchAll(/<(input|button)\b([^>]*)>/gi)) {
      const a = attributes(m[2]);
      if (!a.name) continue;
      if (a.name === "intent") {
        if (a.value) result.intents.add(a.value);
        continue;
      }
      add(a.name, a.type ?? "text", a.type === "file" ? undefined : a.value);
    }
    for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) add(attributes(m[1]).name, "textarea", decode(m[2]));
    for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attributes(m[1]).name;
      add(name, "select");
      for (const o of m[2].matchAll(/<option\b([^>]*)>/gi)) add(name, "select", attributes(o[1]).value);
    }
  }
  return result;
}

/** What a sighted user reads as an error on the page: field errors, error alerts, an error page's explanation. */
function visibleErrors(html: string): string[] {
  const body = withoutScripts(html);
  const found: string[] = [];
  for (const m of body.matchAll(/<(p|div|li|span)\b[^>]*class="[^"]*\b(field-error|alert--error)\b[^"]*"[^>]*>([\s\S]*?)<\/\1>/gi)) found.push(textOf(m[3]));
  for (const m of body.matchAll(/<h1[^>]*>(Det gick inte|Åtkomst nekad|Sidan finns inte|Något gick fel|Något i förfrågan var fel|För mycket på en gång|Fel format|För många försök)<\/h1>\s*<p[^>]*>([\s\S]*?)<\/p>/gi)) found.push(textOf(m[2]));
  return found.filter(Boolean);
}

/** Error messages in an action's JSON: Conform replies' error lists and any message strings. */
function jsonMessages(value: unknown, key = ""): string[] {
  if (typeof value === "string") return /^(message|formError|fileError|error)s?$/i.test(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === "string" && /error|message/i.test(key) ? [v] : jsonMessages(v, key)));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => {
      if (k === "initialValue" || k === "state") return [];
      if (k === "error" && v && typeof v === "object" && !Array.isArray(v)) {
        return Object.values(v as Record<string, unknown>).flatMap((msgs) => (Array.isArray(msgs) ? msgs.filter((m): m is string => typeof m === "string") : []));
      }
      return jsonMessages(v, k);
    });
  }
  return [];
}

const ENGLISH = /\b(Required|Invalid|Expected|String must|Number must|Array must|Too (small|big)|Unrecognized|Unexpected|undefined|NaN|Error:)\b/;

function swedishProblem(messages: string[]): string | null {
  if (!messages.length) return "no visible message";
  for (const m of messages) {
    if (!/[a-zåäö]/i.test(m)) return `empty message ${JSON.stringify(m)}`;
    // What the user sent is quoted back ("Rubrikraden har en okänd kolumn: "NaN""): only the rest is ours.
    if (ENGLISH.test(m.replace(/"[^"]*"/g, ""))) return `English message ${JSON.stringify(m)}`;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Hostile values

const HOSTILE = [
  "'; DROP TABLE participants; --",
  "1 OR 1=1",
  "\" OR \"\"=\"",
  "<script>alert('x')</script>",
  "<img src=x onerror=alert(1)>",
  "\u0000\u0007\u001b[31m\r\n",
  "\u202eevil\u200b",
  "2027-02-30",
  "2026-02-29",
  "2027-13-01",
  "0000-00-00",
  "2026-11-26T25:61",
  "2026-11-31T10:00",
  "24:00",
  "-5",
  "-1.5",
  "0.25",
  "2,75",
  "1e309",
  "-0",
  "NaN",
  "Infinity",
  "9".repeat(40),
  "x".repeat(20_000),
  "å".repeat(300),
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂 åäö",
  "   ",
  "",
  "null",
  "[object Object]",
  "../../etc/passwd",
  "__proto__",
  "constructor",
];

interface Pools {
  /** Ids of rows the poster must not reach: Hultsfred's participants, enrolments, sessions, other programmes' rows. */
  foreign: string[];
}

function valueArb(pools: Pools, offered: string[]): fc.Arbitrary<string> {
  const arbs: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double()).map(String) },
    { weight: 1, arbitrary: fc.date({ min: new Date("1899-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16)) },
    { weight: 3, arbitrary: fc.constantFrom(...pools.foreign) },
  ];
  if (offered.length) arbs.push({ weight: 6, arbitrary: fc.constantFrom(...offered) });
  return fc.oneof(...arbs);
}

type Body = [string, string][];

/** A value the form itself would plausibly send for the field: what the page offers, or one made up by its type. */
function plausible(name: string, field: Field): fc.Arbitrary<string> {
  if (field.values.size) return fc.constantFrom(...field.values);
  const byName: Record<string, string[]> = {
    birthYear: ["1985", "1972"],
    personnummer: [""],
    salaryGroup: ["2"],
    year: ["2026"],
    hourlyCost: ["412,50", "300"],
    completionPercent: ["80"],
    months: ["120"],
    capacity: ["40"],
    seats: ["1", "0"],
    hours: ["1.5", "7"],
    meetingUrl: ["https://meet.example.se/traff"],
  };
  const last = name.replace(/^.*[.\]]/, "");
  if (byName[last]) return fc.constantFrom(...byName[last]);
  const byType: Record<string, string[]> = {
    date: ["2026-12-01", "2026-11-20"],
    time: ["09:00", "16:30"],
    "datetime-local": ["2026-12-01T09:00"],
    number: ["1", "2", "7.5"],
    email: ["fuzz.test@vimmerby.example"],
    password: ["ett-långt-lösenord-2026"],
    month: ["2026-10"],
    checkbox: ["on"],
  };
  return fc.constantFrom(...(byType[field.type] ?? ["Test Testsson"]));
}

/** Random bodies: every field present, missing, hostile or repeated at random. */
function randomBodyArb(page: PageForm, pools: Pools): fc.Arbitrary<Body> {
  const names = [...page.fields.keys()];
  const fieldArbs = names.map((name) => {
    const value = valueArb(pools, [...page.fields.get(name)!.values]);
    return fc
      .oneof(
        { weight: 1, arbitrary: fc.constant<string[]>([]) }, // missing
        { weight: 5, arbitrary: value.map((v) => [v]) },
        { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) }, // repeated
      )
      .map((values) => values.map((v): [string, string] => [name, v]));
  });
  const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom("id", "municipalityId", "participantId", "__proto__", "intent"), fc.string({ maxLength: 8 })), valueArb(pools, [])), {
    maxLength: 2,
  });
  return fc.tuple(fc.tuple(...fieldArbs), extra).map(([fields, more]) => [...fields.flat(), ...more]);
}

/**
 * What the form would send, as it is or with one or two fields spoilt
 * (hostile, missing, repeated, another municipality's id): a refusal then has
 * a single cause, so a message the page cannot show (a hidden field's) is not
 * masked by others, and a well-formed body reaches the domain code.
 */
function mutatedBodyArb(page: PageForm, pools: Pools): fc.Arbitrary<Body> {
  const names = [...page.fields.keys()];
  if (!names.length) return fc.constant([]);
  const baseline = fc.tuple(...names.map((name) => plausible(name, page.fields.get(name)!).map((v): [string, string] => [name, v])));
  const mutation = fc.tuple(fc.constantFrom(...names), fc.constantFrom("hostile", "missing", "repeated", "foreign"), valueArb(pools, []), fc.constantFrom(...pools.foreign));
  return fc.tuple(baseline, fc.array(mutation, { minLength: 0, maxLength: 2 })).map(([base, mutations]) => {
    let body: Body = base;
    for (const [name, kind, hostile, foreign] of mutations) {
      const current = body.filter(([k]) => k === name).map(([, v]) => v);
      const rest = body.filter(([k]) => k !== name);
      const values = kind === "missing" ? [] : kind === "repeated" ? [...current, hostile] : [kind === "foreign" ? foreign : hostile];
      body = [...rest, ...values.map((v): [string, string] => [name, v])];
    }
    return body;
  });
}

function bodyArb(page: PageForm, pools: Pools, intent: fc.Arbitrary<string | undefined>): fc.Arbitrary<Body> {
  return fc
    .tuple(intent, fc.oneof(randomBodyArb(page, pools), mutatedBodyArb(page, pools)))
    .map(([i, body]) => [...(i === undefined ? [] : ([["intent", i]] as Body)), ...body]);
}

// ---------------------------------------------------------------------------

type Encoding = "urlencoded" | "multipart" | "json-data" | "odd";

interface Finding {
  route: string;
  request: string;
  problem: string;
}

/** One line per route and kind of problem, with its first example. */
function summarise(findings: Finding[]): string {
  const groups = new Map<string, { count: number; example: Finding }>();
  for (const f of findings) {
    const key = `${f.route}: ${f.problem.split(/ "|: [A-ZÅÄÖ]/)[0]}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { count: 1, example: f });
  }
  return [...groups].map(([key, g]) => `${key} (${g.count}x), e.g. ${g.example.request}\n    -> ${g.example.problem}`).join("\n");
}

describe("hostile input over HTTP", () => {
  let ids: DemoIds;
  let pools: Pools;
  let requests = 0;
  let serverErrors = 0;

  beforeAll(async () => {
    const server = await startTestServer();
    ids = await demoIds(server.db);
    pools = { foreign: await foreignIds(server) };
    await server.close();
  }, 60_000);

  it("never answers a hostile form post with a 500, and explains every refusal in Swedish", async () => {
    const routes = (await routesOfBuild()).filter((r) => r.hasAction && r.id !== "routes/logout" && allowedActor(r.id));
    expect(routes.length).toBeGreaterThan(20);
    const findings: Finding[] = [];
    const statuses: Record<string, number> = {};

    for (const route of routes) {
      // Each route is fuzzed on its own copy of the demo data, so what one route's posts change cannot hide another's bugs.
      const server = await startTestServer();
      try {
        const actor = allowedActor(route.id)!;
        let cookie = actor === "anonymous" ? undefined : await server.login(ids.emails[actor]);
        const path = fillPath(route.path, ids);
        const pageResponse = await server.fetch(path + (expectations[route.id].query ?? ""), { cookie });
        const html = await pageResponse.text();
        const page = scrapeForms(pageResponse.ok && (pageResponse.headers.get("content-type") ?? "").includes("html") ? html : "", path);
        if (route.id === "routes/deltagare.import._index") page.fields.delete("file"); // files are fuzzed below

        const post = async (body: Body | { type: string; raw: string }, encoding: Encoding) => {
          let url = path;
          let init: RequestInit;
          if (!Array.isArray(body)) init = { body: body.raw, headers: { "Content-Type": body.type } };
          else if (encoding === "multipart") {
            const data = new FormData();
            for (const [k, v] of body) data.append(k, v);
            init = { body: data };
          } else init = { body: new URLSearchParams(body) };
          if (encoding === "json-data") url += `${url.includes("?") ? "&" : "?"}_data=${encodeURIComponent(route.id)}`;
          requests++;
          const response = await server.fetch(url, { method: "POST", cookie, ...init });
          const text = await response.text();
          statuses[`${route.id} ${response.status}`] = (statuses[`${route.id} ${response.status}`] ?? 0) + 1;
          const report = (problem: string) =>
            findings.push({ route: route.id, request: `POST ${url} as ${actor} (${encoding}) ${Array.isArray(body) ? JSON.stringify(body).slice(0, 300) : ""}`, problem });
          if (response.status >= 500) {
            serverErrors++;
            report(`status ${response.status} (${encoding}): ${textOf(withoutScripts(text)).slice(0, 200)}`);
          } else if ([400, 409, 422].includes(response.status)) {
            const type = response.headers.get("content-type") ?? "";
            const messages = type.includes("json") ? jsonMessages(JSON.parse(text)) : type.includes("html") ? visibleErrors(text) : [text];
            const problem = swedishProblem(messages);
            if (problem) report(`status ${response.status}: ${problem}`);
          }
          // A post that ended the session (an account change) logs the user in again, so the rest is still asked by a live user.
          if (cookie && response.status === 302 && (response.headers.get("location") ?? "").startsWith("/login")) cookie = await server.login(ids.emails[actor as Exclude<Actor, "anonymous">]);
        };

        const intents = [...page.intents];
        const runsPerIntent = Math.round((route.id === "routes/login" ? 12 : 24) * RUNS_FACTOR);
        const intentCases: fc.Arbitrary<string | undefined>[] = [
          ...intents.map((i) => fc.constant<string | undefined>(i)),
          fc.option(fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom(...(intents.length ? intents : ["x"]))), { nil: undefined }),
        ];
        for (const intent of intentCases) {
          const encodings = fc.constantFrom<Encoding>(...(page.multipart ? (["multipart"] as const) : (["urlencoded", "urlencoded", "multipart", "json-data"] as const)));
          for (const [body, encoding] of fc.sample(fc.tuple(bodyArb(page, pools, intent), encodings), runsPerIntent)) await post(body, encoding);
        }
        // Bodies no form sends: another content type, a broken multipart body, mangled escapes, nothing at all.
        const odd: { type: string; raw: string }[] = [
          { type: "application/json", raw: '{"intent": "x", "id": 1' },
          { type: "text/plain", raw: "intent=x" },
          { type: "multipart/form-data; boundary=zzz", raw: '--zzz\r\nContent-Disposition: form-data; name="x"\r\n\r\nhalf' },
          { type: "application/x-www-form-urlencoded", raw: "%E0%A4%A=1&&=&%%%" },
          { type: "application/x-www-form-urlencoded", raw: "" },
        ];
        for (const body of odd) await post(body, "odd");
      } finally {
        await server.close();
      }
    }

    const summary = summarise(findings);
    if (process.env.FUZZ_FINDINGS_FILE) fs.writeFileSync(process.env.FUZZ_FINDINGS_FILE, JSON.stringify({ statuses, findings }, null, 1));
    console.log(`http fuzz: ${routes.length} routes, ${requests} requests, ${serverErrors} statuses >= 500`);
    expect(serverErrors, summary).toBe(0);
    expect(findings, summary).toEqual([]);
  }, 300_000 * RUNS_FACTOR);

  it("never writes part of a rejected CSV import, whatever the file holds", async () => {
    const server = await startTestServer();
    onTestFinished(() => server.close());
    const cookie = await server.login(ids.emails.coordOwn);
    const participantsState = async () => {
      const rows = await server.db.selectFrom("participants").selectAll().orderBy("id").execute();
      const identities = await server.db.selectFrom("participant_identities").selectAll().orderBy("participant_id").execute();
      return { count: rows.length, checksum: crypto.createHash("sha256").update(JSON.stringify([rows, identities])).digest("hex") };
    };
    const HEADER = ["Förnamn", "Efternamn", "E-post", "Förvaltning", "Befattning", "Kön", "Födelseår", "Personnummer", "Utbildningsnivå", "Lönegrupp"];
    const validRow = (i: number) => [`Testa${i}`, `Fuzz${i}`, `fuzz${i}@vimmerby.example`, "Socialförvaltningen", "", "kvinna", "1985", "", "ISCED 5-8", "2"];
    const cell = fc.oneof(fc.constantFrom(...HOSTILE.filter((h) => h.length < 1000)), fc.string({ unit: "grapheme", maxLength: 20 }), fc.constantFrom('"', '";"', "\n", "\r\n", ";;;", "=SUM(A1)"));
    const csvLine = (cells: string[]) => cells.map((c) => (/[;"\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(";");
    const files = fc.oneof(
      // Mostly valid rows with hostile ones among them.
      fc.array(fc.oneof({ weight: 3, arbitrary: fc.nat(10_000).map(validRow) }, { weight: 1, arbitrary: fc.array(cell, { minLength: 8, maxLength: 12 }) }), { minLength: 1, maxLength: 30 }).map(
        (rows) => new TextEncoder().encode(`\uFEFF${[HEADER, ...rows].map(csvLine).join("\r\n")}\r\n`),
      ),
      // Wrong or shuffled headers.
      fc.tuple(fc.shuffledSubarray([...HEADER, "Skostorlek", "", "E-POST "], { minLength: 0 }), fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 5 })).map(
        ([header, rows]) => new TextEncoder().encode([header, ...rows].map(csvLine).join("\n")),
      ),
      // Raw text with unbalanced quotes and odd separators.
      fc.string({ unit: "grapheme", maxLength: 400 }).map((s) => new TextEncoder().encode(`${HEADER.join(";")}\n${s}`)),
      // Binary junk.
      fc.uint8Array({ maxLength: 2000 }),
    );

    const before = await participantsState();
    let state = before;
    let imports = 0;
    const problems: string[] = [];
    const send = async (bytes: Uint8Array, name = "deltagare.csv", type = "text/csv") => {
      const data = new FormData();
      data.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
      imports++;
      requests++;
      const response = await server.fetch("/deltagare/import", { method: "POST", cookie, body: data });
      const html = await response.text();
      const after = await participantsState();
      if (response.status >= 500) {
        serverErrors++;
        problems.push(`status ${response.status} for a ${bytes.length}-byte file`);
      } else if (response.status === 302) {
        state = after; // imported: the next file starts from here
      } else {
        if (response.status === 400) {
          const problem = swedishProblem(visibleErrors(html));
          if (problem) problems.push(`${problem} for a ${bytes.length}-byte file`);
        }
        if (JSON.stringify(after) !== JSON.stringify(state)) problems.push(`a rejected ${bytes.length}-byte file (status ${response.status}) changed the participants`);
      }
      return response.status;
    };

    for (const bytes of fc.sample(files, Math.round(60 * RUNS_FACTOR))) await send(bytes);
    // One cell out of place in an otherwise good file: nothing is written.
    const good = Array.from({ length: 40 }, (_, i) => validRow(20_000 + i));
    const bad = good.map((r, i) => (i === 37 ? r.map((c, j) => (j === 6 ? "2027-02-30" : c)) : r));
    expect(await send(new TextEncoder().encode([HEADER, ...bad].map(csvLine).join("\n")))).toBe(400);
    // A 4.9 MB file: far too many rows, refused as a whole.
    const big = new TextEncoder().encode([HEADER, ...Array.from({ length: 60_000 }, (_, i) => validRow(100_000 + i))].map(csvLine).join("\n").slice(0, 4.9 * 1024 * 1024));
    expect(big.length).toBeGreaterThan(4.8 * 1024 * 1024);
    expect(await send(big)).toBe(400);
    // Not a CSV at all, with a misleading name and type.
    expect(await send(crypto.randomBytes(200_000), "bild.csv", "image/png")).toBe(400);
    // The good file goes in whole.
    expect(await send(new TextEncoder().encode([HEADER, ...good].map(csvLine).join("\n")))).toBe(302);
    expect(state.count - before.count).toBeGreaterThanOrEqual(40);

    console.log(`http fuzz: CSV import, ${imports} files, participants before ${before.count}, after ${state.count}`);
    expect(problems).toEqual([]);
  }, 300_000);
});

/** Rows that belong to someone else than the users posting: Hultsfred's, and the regional trainee programme's. */
async function foreignIds(server: TestServer): Promise<string[]> {
  const db = server.db;
  const hultsfred = await db.selectFrom("municipalities").select("id").where("slug", "=", "hultsfred").executeTakeFirstOrThrow();
  const ids = (rows: { id: number | null }[]) => rows.map((r) => String(r.id));
  const other = await db.selectFrom("programmes").select("id").where("name", "!=", "Ledarutveckling över gränserna").execute();
  const otherCohorts = await db.selectFrom("cohorts").select("id").where("programme_id", "in", other.map((p) => p.id)).execute();
  const found = [
    String(hultsfred.id),
    ...ids(other),
    ...ids(otherCohorts),
    ...ids(await db.selectFrom("participants").select("id").where("municipality_id", "=", hultsfred.id).limit(5).execute()),
    ...ids(await db.selectFrom("enrolments").select("id").where("municipality_id", "=", hultsfred.id).limit(5).execute()),
    ...ids(await db.selectFrom("sessions").select("id").where("host_municipality_id", "=", hultsfred.id).limit(5).execute()),
    ...ids(await db.selectFrom("sessions").select("id").where("cohort_id", "in", otherCohorts.map((c) => c.id)).limit(3).execute()),
    ...ids(await db.selectFrom("attendance").select("id").where("municipality_id", "=", hultsfred.id).limit(5).execute()),
    ...ids(
      await db
        .selectFrom("time_reports")
        .innerJoin("participants", "participants.id", "time_reports.participant_id")
        .select("time_reports.id")
        .where("participants.municipality_id", "=", hultsfred.id)
        .limit(5)
        .execute(),
    ),
    ...ids(await db.selectFrom("users").select("id").where("email", "=", "samordnare.hultsfred@programportalen.test").execute()),
    "0",
    "-1",
    "999999999",
    "1.5",
  ];
  return [...new Set(found)];
}
