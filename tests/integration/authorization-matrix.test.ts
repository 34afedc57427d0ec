/**
 * The authorization matrix: every route of the built app (from its route
 * manifest, so a new route joins by itself and fails until it has an
 * expectation), requested with GET and POST as every kind of user, with real
 * ids from the demo data and again with made-up ids. 403 and 404 are told
 * apart; a 404 for a real id that is not the user's must be the same page as
 * for a made-up id. Denied writes must change nothing.
 */
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverBuildPath } from "../../server/build-path";
import { startTestServer, type TestServer } from "../support/http";
import { ACTORS, expectations, madeUpOutcome, REFUSALS, type Actor, type Outcome } from "./authorization-expectations";
import { demoIds, type DemoIds } from "./demo-ids";

interface RouteInfo {
  id: string;
  path: string;
  hasLoader: boolean;
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
    routes.push({ id: route.id, path: full || "/", hasLoader: !!route.module.loader, hasAction: !!route.module.action });
  }
  return routes.sort((a, b) => a.id.localeCompare(b.id));
}

function classify(response: Response): Outcome {
  const s = response.status;
  if (s >= 500) return "error";
  if (s >= 200 && s < 300) return "ok";
  if (s === 304) return "ok";
  if (s >= 300 && s < 400) return (response.headers.get("location") ?? "").startsWith("/login") ? "login" : "redirect";
  if (s === 403) return "forbidden";
  if (s === 404) return "notFound";
  if (s === 405) return "none";
  return "bad";
}

function fillPath(path: string, ids: DemoIds): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = ids.params[name];
    if (value === undefined) throw new Error(`No demo id for the route parameter :${name}; add it to demo-ids.ts`);
    return String(value);
  });
}

/** An id no row has. */
const MADE_UP_ID = 987_654;

/** The page with its per-request parts (CSP nonces) and its own address taken out, for comparing two answers. */
function comparable(body: string, path: string): string {
  return body.replace(/nonce="[^"]*"/g, 'nonce=""').split(path).join("#");
}

/** Rows per table, except the ones a denied request may legitimately add to. */
async function tableCounts(server: TestServer): Promise<Record<string, number>> {
  const tables = await server.db.introspection.getTables();
  const counts: Record<string, number> = {};
  for (const t of tables) {
    if (["audit_log", "login_sessions", "kysely_migration", "kysely_migration_lock"].includes(t.name)) continue;
    const row = await server.db
      .selectFrom(t.name as "users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    counts[t.name] = Number(row.n);
  }
  return counts;
}

describe("authorization matrix", () => {
  let server: TestServer;
  let ids: DemoIds;
  const cookies = {} as Record<Actor, string | undefined>;

  beforeAll(async () => {
    server = await startTestServer();
    ids = await demoIds(server.db);
    for (const actor of ACTORS) cookies[actor] = actor === "anonymous" ? undefined : await server.login(ids.emails[actor]);
  }, 60_000);
  afterAll(() => server.close());

  it("answers every route, method and kind of user as expected, and denied writes change nothing", async () => {
    const routes = await routesOfBuild();
    const unexpected: string[] = [];
    const missing = routes.filter((r) => !expectations[r.id]).map((r) => r.id);
    let cells = 0;

    // The 404 pages a real id gave, per route, user and method, to compare with a made-up id's.
    const notFoundBodies = new Map<string, string>();

    const ask = async (route: RouteInfo, path: string, actor: Actor, method: "GET" | "POST", want: Outcome) => {
      const expected = expectations[route.id]!;
      const before = method === "POST" && REFUSALS.includes(want) ? await tableCounts(server) : null;
      const response = await server.fetch(path, {
        method,
        cookie: cookies[actor],
        body: method === "POST" ? new URLSearchParams(expected.body ?? {}) : undefined,
      });
      const body = await response.text();
      // Logging out ends the session: log in again so the next routes are asked by a live user.
      if (route.id === "routes/logout" && method === "POST" && actor !== "anonymous") {
        cookies[actor] = await server.login(ids.emails[actor]);
      }
      const got = classify(response);
      const cacheControl = response.headers.get("cache-control") ?? "";
      if (got === "ok" && actor !== "anonymous" && !expected.sameForEveryone && !/no-store|private/.test(cacheControl)) {
        unexpected.push(`${method} ${path} as ${actor}: a page with personal data may be cached (Cache-Control: ${cacheControl || "none"})`);
      }
      cells++;
      if (got !== want) unexpected.push(`${method} ${path} as ${actor}: expected ${want}, got ${got} (${response.status})`);
      if (before) {
        const after = await tableCounts(server);
        if (JSON.stringify(after) !== JSON.stringify(before)) unexpected.push(`${method} ${path} as ${actor}: a denied write changed the data`);
      }
      return { got, body };
    };

    for (const route of routes) {
      const expected = expectations[route.id];
      if (!expected) continue;
      const path = fillPath(route.path, ids) + (expected.query ?? "");
      for (const actor of ACTORS) {
        for (const method of ["GET", "POST"] as const) {
          const want = method === "GET" ? expected.get[actor] : (expected.post?.[actor] ?? "none");
          const { got, body } = await ask(route, path, actor, method, want);
          if (got === "notFound") notFoundBodies.set(`${route.id} ${actor} ${method}`, comparable(body, path));
        }
      }
    }

    // The same routes with made-up ids: nothing tells an object that is not yours from one that does not exist.
    let madeUpCells = 0;
    for (const route of routes) {
      const expected = expectations[route.id];
      const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      if (!expected || !params.length || params.some((p) => typeof ids.params[p] !== "number")) continue;
      const path = route.path.replace(/:([A-Za-z]+)/g, String(MADE_UP_ID)) + (expected.query ?? "");
      for (const actor of ACTORS) {
        for (const method of ["GET", "POST"] as const) {
          const real = method === "GET" ? expected.get[actor] : (expected.post?.[actor] ?? "none");
          const override = method === "GET" ? expected.madeUp?.get : expected.madeUp?.post;
          const want = override?.[actor] ?? madeUpOutcome(real);
          const { got, body } = await ask(route, path, actor, method, want);
          madeUpCells++;
          const realBody = notFoundBodies.get(`${route.id} ${actor} ${method}`);
          if (got === "notFound" && realBody !== undefined && comparable(body, path) !== realBody) {
            unexpected.push(`${method} ${path} as ${actor}: the 404 for a made-up id differs from the 404 for a real id that is not theirs`);
          }
        }
      }
    }
    console.log(
      `authorization matrix: ${routes.length} routes x ${ACTORS.length} users x 2 methods, real and made-up ids = ${cells} requests (${madeUpCells} with made-up ids), ${unexpected.length} unexpected answers`,
    );
    expect(missing, "routes without an expected outcome").toEqual([]);
    expect(unexpected).toEqual([]);
  }, 300_000);
});
