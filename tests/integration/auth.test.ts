import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import type { Database } from "~/db/schema";
import { createApp } from "../../server/app";
import { serverBuildPath } from "../../server/build-path";
import { form, startTestServer, type TestServer } from "../support/http";

// Asking for a reset link and a reset link's own page are for people who cannot log in.
const PUBLIC_PATHS = new Set(["/login", "/healthz", "/tillganglighet", "/integritet", "/glomt-losenord", "/nytt-losenord/1", "/sso/saml/metadata"]);
/** The identity provider's single-logout address: reached without a login, and a request that carries no SAML message is refused. */
const PROTOCOL_PATHS = new Set(["/sso/saml/slo"]);
/** Calendar feeds, rater links and reminder opt-outs are reached by their secret address, not a login: a wrong address is simply not found. */
const TOKEN_PATHS = /^\/(kalender|svara|handlingsplan\/chef|avsluta-paminnelser)\/1(\.ics)?$/;

/** Every page path of the built app, with ":param" segments filled with a demo id. */
async function allPagePaths(): Promise<string[]> {
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const paths = new Set<string>();
  for (const route of Object.values(build.routes)) {
    if (route.id === "root") continue;
    let full = "";
    for (let r: typeof route | undefined = route; r; r = r.parentId ? build.routes[r.parentId] : undefined) {
      if (r.path) full = `/${r.path}${full}`;
    }
    paths.add((full || "/").replace(/:[A-Za-z]+/g, "1").replace(/\*$/, "x"));
  }
  return [...paths].sort();
}

describe("login, sessions and the guard around every page", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("sends an anonymous visitor to /login from every page but the public ones", async () => {
    const paths = await allPagePaths();
    expect(paths.length).toBeGreaterThan(4);
    for (const p of paths) {
      const response = await server.fetch(p);
      if (PUBLIC_PATHS.has(p)) {
        expect(response.status, p).toBe(200);
      } else if (PROTOCOL_PATHS.has(p)) {
        expect(response.status, p).toBe(400);
      } else if (TOKEN_PATHS.test(p)) {
        expect(response.status, p).toBe(404);
      } else {
        expect(response.status, p).toBe(302);
        expect(response.headers.get("location"), p).toMatch(/^\/login/);
      }
    }
  });

  it("answers /healthz with JSON", async () => {
    const response = await server.fetch("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("sets the security headers on pages", async () => {
    const response = await server.fetch("/login");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const html = await response.text();
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).toContain('<html lang="sv">');
  });

  it("gives one generic message for a wrong password and for an unknown e-mail", async () => {
    for (const email of ["admin@programportalen.test", "ingen@programportalen.test"]) {
      const response = await server.fetch("/login", { method: "POST", body: form({ email, password: "fel-lösenord-123" }) });
      expect(response.status).toBe(401);
      expect(await response.text()).toContain("Fel e-postadress eller lösenord.");
    }
    const failures = await server.db.selectFrom("audit_log").select("action").where("action", "=", "auth.login_failed").execute();
    expect(failures).toHaveLength(2);
  });

  it("issues a new session id at every login, and logging out ends all the user's sessions on the server", async () => {
    const first = await server.login("samordnare.vimmerby@programportalen.test");
    const second = await server.login("samordnare.vimmerby@programportalen.test");
    expect(first).not.toBe(second);
    expect((await server.fetch("/", { cookie: first })).status).toBe(200);

    const logout = await server.fetch("/logout", { method: "POST", cookie: first });
    expect(logout.status).toBe(302);
    const replay = await server.fetch("/", { cookie: first });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toBe("/login");
    expect((await server.fetch("/", { cookie: second })).status).toBe(302);
    const other = await server.login("samordnare.eksjo@programportalen.test");
    expect((await server.fetch("/", { cookie: other })).status, "another user's session lives on").toBe(200);
  });

  it("ends a session after 8 idle hours and after its absolute lifetime of 12 hours", async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const idle = await server.login("samordnare.aneby@programportalen.test");
    const idleId = (await server.db.selectFrom("login_sessions").select("id").orderBy("created_at", "desc").executeTakeFirstOrThrow()).id;
    const expired = await server.login("samordnare.aneby@programportalen.test");
    const expiredId = (await server.db.selectFrom("login_sessions").select("id").orderBy("created_at", "desc").executeTakeFirstOrThrow()).id;
    expect(idleId).not.toBe(expiredId);

    await server.db.updateTable("login_sessions").set({ last_seen_at: hoursAgo(8.1) }).where("id", "=", idleId).execute();
    await server.db.updateTable("login_sessions").set({ created_at: hoursAgo(12.1), expires_at: hoursAgo(0.1) }).where("id", "=", expiredId).execute();
    expect((await server.fetch("/", { cookie: idle })).status).toBe(302);
    expect((await server.fetch("/", { cookie: expired })).status).toBe(302);
    const [newest, previous] = [{ id: expiredId }, { id: idleId }];
    expect(await server.db.selectFrom("login_sessions").select("id").where("id", "in", [newest.id, previous.id]).execute()).toEqual([]);
  });

  it("refuses a forged cross-site POST with 403", async () => {
    const cookie = await server.login("samordnare.vimmerby@programportalen.test");
    const forged = await server.fetch("/logout", {
      method: "POST",
      cookie,
      headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    });
    expect(forged.status).toBe(403);
    expect((await server.fetch("/", { cookie })).status).toBe(200);
  });

  it("keeps redirectTo on this site", async () => {
    const response = await server.fetch("/login", {
      method: "POST",
      body: form({ email: "admin@programportalen.test", password: "portal-demo-2026", redirectTo: "//evil.example/" }),
    });
    expect(response.headers.get("location")).toBe("/");
  });

  it("answers a huge body with 413", async () => {
    // A form, so that it is its size that is refused (any other body is refused for its type, 415).
    const response = await server.fetch("/login", { method: "POST", body: new URLSearchParams({ email: "x".repeat(6 * 1024 * 1024) }) });
    expect(response.status).toBe(413);
  });
});

describe("health check", () => {
  it("answers 503 when the database does not answer", async () => {
    const brokenDb = new Kysely<Database>({
      dialect: new SqliteDialect({
        database: async () => {
          throw new Error("database is down");
        },
      }),
    });
    const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
    const config = loadConfig({ DATABASE_URL: ":memory:", SESSION_SECRET: "x".repeat(32) }, () => {});
    const app = createApp({ db: brokenDb, config, build }).listen(0, "127.0.0.1");
    await new Promise((resolve) => app.once("listening", resolve));
    const response = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/healthz`);
    app.close();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "error", database: "unavailable" });
  });
});

describe("request size", () => {
  it("refuses a body sent without a declared length with 411, before reading it", async () => {
    const server = await startTestServer();
    const cookie = await server.login("samordnare.vimmerby@programportalen.test");
    const url = new URL(`${server.baseUrl}/konto`);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", (error) => (request.writableEnded ? undefined : reject(error)));
      // Chunked: no Content-Length, 6 MB in 64 kB pieces, stopping if the server has answered.
      const chunk = "currentPassword=" + "x".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 6 * 1024 * 1024 && !request.destroyed) {
          sent += chunk.length;
          if (!request.write(chunk)) return request.once("drain", pump);
        }
        request.end();
      };
      pump();
    });
    expect(status).toBe(411);
    await server.close();
  });
});
