/**
 * Request SHAPES on every action (issue 13): too many fields, repeated keys,
 * nested and sparse names, empty and 10 MB bodies, wrong content types and a
 * multipart body of 10 000 parts, each posted by a user allowed to use the
 * action. Never a 500, the server, run as `npm start` runs it (its own process,
 * heap limited to 192 MB), stays up, and /healthz answers within a second throughout.
 */
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { serverBuildPath } from "../../server/build-path";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { demoDb } from "../support/db";
import { startServerProcess } from "../support/process";
import { ACTORS, REFUSALS, expectations, type Actor } from "./authorization-expectations";
import { demoIds, type DemoIds } from "./demo-ids";

async function actionRoutes(): Promise<{ id: string; path: string }[]> {
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const routes: { id: string; path: string }[] = [];
  for (const route of Object.values(build.routes)) {
    if (route.id === "root" || !route.module.action) continue;
    let full = "";
    for (let r: typeof route | undefined = route; r; r = r.parentId ? build.routes[r.parentId] : undefined) if (r.path) full = `/${r.path}${full}`;
    routes.push({ id: route.id, path: full || "/" });
  }
  return routes.sort((a, b) => a.id.localeCompare(b.id));
}

function allowedActor(routeId: string): Actor {
  const post = expectations[routeId]?.post;
  return (post && ACTORS.find((a) => !REFUSALS.includes(post[a]))) || "anonymous";
}

const boundary = "----shape";
const multipart = (parts: number) =>
  Array.from({ length: parts }, (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="f${i % 7}"\r\n\r\nx\r\n`).join("") + `--${boundary}--\r\n`;

const SHAPES: { name: string; type?: string; body: string }[] = [
  { name: "5 000 fields", body: Array(5000).fill("a=1").join("&") },
  { name: "900 repeats of one key", body: Array(900).fill("intent=x").join("&") },
  { name: "nested names", body: "a[0][1][2].b=1&x.y.z=2&rows[3].hours=1&[=1&]=2&a..b=3&constructor.prototype.x=1&__proto__[x]=1" },
  { name: "a sparse list index", body: "rows[99999999].hours=1&seats[50000000].seats=1" },
  { name: "a 300-byte name", body: `${"n".repeat(300)}=1` },
  { name: "a 200 kB value", body: `name=${"x".repeat(200_000)}` },
  { name: "0 bytes", body: "" },
  { name: "JSON", type: "application/json", body: '{"intent":"x"}' },
  { name: "plain text", type: "text/plain", body: "intent=x" },
  { name: "multipart without boundary", type: "multipart/form-data", body: "x" },
  { name: "multipart with 10 000 parts", type: `multipart/form-data; boundary=${boundary}`, body: multipart(10_000) },
  { name: "multipart cut off", type: `multipart/form-data; boundary=${boundary}`, body: `--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\nhalf` },
];

describe("request shapes on every action", () => {
  let ids: DemoIds;
  let databaseUrl: string;
  beforeAll(async () => {
    const { db, url } = await demoDb();
    ids = await demoIds(db);
    await db.destroy();
    databaseUrl = url;
  }, 60_000);

  it("never answers a 500, never takes the server over its 192 MB heap, keeps /healthz under a second", async () => {
    const routes = (await actionRoutes()).filter((r) => r.id !== "routes/logout");
    expect(routes.length).toBeGreaterThan(20);
    const child = await startServerProcess(databaseUrl, { NODE_OPTIONS: "--max-old-space-size=192" });
    const server = {
      fetch: (pathname: string, init: RequestInit & { cookie?: string } = {}) => {
        const headers = new Headers(init.headers);
        if (init.cookie) headers.set("Cookie", init.cookie);
        return fetch(child.baseUrl + pathname, { ...init, headers, redirect: "manual" });
      },
      async login(email: string) {
        const response = await server.fetch("/login", { method: "POST", body: new URLSearchParams({ email, password: DEMO_PASSWORD }) });
        if (response.status !== 302) throw new Error(`Login as ${email} failed with ${response.status}`);
        return response.headers.get("set-cookie")!.split(";")[0];
      },
    };
    const problems: string[] = [];
    let requests = 0;
    let slowestHealth = 0;
    try {
      const cookies = new Map<Actor, string | undefined>();
      for (const route of routes) {
        const actor = allowedActor(route.id);
        if (!cookies.has(actor)) cookies.set(actor, actor === "anonymous" ? undefined : await server.login(ids.emails[actor]));
        const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => String(ids.params[name]));
        for (const shape of SHAPES) {
          const started = performance.now();
          const health = server.fetch("/healthz").then(() => performance.now() - started);
          const post = async () => {
            const answer = await server.fetch(path, {
              method: "POST",
              cookie: cookies.get(actor),
              body: shape.body,
              headers: { "Content-Type": shape.type ?? "application/x-www-form-urlencoded" },
            });
            await answer.arrayBuffer();
            return answer;
          };
          let response: Response;
          try {
            response = await post();
          } catch (error) {
            throw new Error(`${route.id} ${shape.name}: ${String((error as Error).cause ?? error)}`);
          }
          requests++;
          slowestHealth = Math.max(slowestHealth, await health);
          if (response.status >= 500) problems.push(`${route.id} ${shape.name}: ${response.status}`);
          // Where nobody may post (an unknown IdP, an unknown opt-out link) the refusal comes before the body is read.
          const refusedBeforeReading = REFUSALS.includes(expectations[route.id]?.post?.[actor] ?? "ok") && [302, 403, 404].includes(response.status);
          if (["5 000 fields", "a sparse list index", "multipart with 10 000 parts"].includes(shape.name) && route.id !== "routes/kalender._index" && route.id !== "routes/schema" && route.id !== "routes/notiser.$noticeId" && !refusedBeforeReading && response.status !== 413) {
            problems.push(`${route.id} ${shape.name}: ${response.status}, expected 413`);
          }
        }
        // Limits for one user's posts must not leave them logged out or slowed for the next route.
        if (actor !== "anonymous") cookies.delete(actor);
      }
      // 10 MB, once per kind of route (a form, the upload), and then a form on the same keep-alive connection:
      // the refusal must reach the client and leave the connection usable (or closed, said so in the answer).
      // The import as its coordinator: an anonymous post is sent to the login page before its body is read.
      const coordinator = await server.login(ids.emails.coordOwn);
      for (const [path, cookie] of [["/login", undefined], ["/deltagare/import", coordinator]] as const) {
        const answer = await server
          .fetch(path, { method: "POST", cookie, body: new Uint8Array(10 * 1024 * 1024).fill(0x61), headers: { "Content-Type": "application/x-www-form-urlencoded" } })
          .catch((error: Error) => `${String(error.cause ?? error)}`);
        if (typeof answer === "string" || answer.status !== 413) problems.push(`${path} 10 MB: ${typeof answer === "string" ? answer : answer.status}`);
        if (typeof answer !== "string") await answer.arrayBuffer();
        const next = await server.fetch("/healthz").catch((error: Error) => `${String(error.cause ?? error)}`);
        if (typeof next === "string" || next.status !== 200) problems.push(`/healthz after ${path} 10 MB: ${typeof next === "string" ? next : next.status}`);
      }
      expect((await server.fetch("/healthz")).status).toBe(200);
      // Out of heap, the server would have died with "JavaScript heap out of memory" (finding 1's 5 MB body did).
      expect(child.child.exitCode, child.output()).toBeNull();
    } finally {
      child.child.kill("SIGTERM");
      await child.exited;
    }
    console.log(`shape fuzz: ${routes.length} routes, ${requests} requests, slowest /healthz ${slowestHealth.toFixed(0)} ms`);
    expect(problems).toEqual([]);
    expect(slowestHealth).toBeLessThan(1000);
  }, 120_000);
});
