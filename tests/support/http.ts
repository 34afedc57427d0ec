/**
 * The real HTTP server (express + the built Remix app) on a random port, over
 * a private copy of the demo database. Requires `remix build` first, which
 * `npm test` runs before the integration tests.
 */
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { loadConfig, type Config } from "~/config.server";
import type { Db } from "~/db/connection.server";
import { createApp } from "../../server/app";
import { serverBuildPath } from "../../server/build-path";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { writeDemoMaterialFiles } from "../../db/seed/material-demo";
import { demoDb } from "./db";

export interface TestServer {
  baseUrl: string;
  db: Db;
  /** The server's configuration (its mail outbox folder, for instance). */
  config: Config;
  /** Logs in with the demo password; returns the Cookie header value. */
  login(email: string): Promise<string>;
  /** fetch against the server, never following redirects. */
  fetch(pathname: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  close(): Promise<void>;
}

let build: Promise<ServerBuild> | null = null;

/** `adapt` lets a test wrap the built app (to watch what it renders, for instance). */
export async function startTestServer(adapt: (build: ServerBuild) => ServerBuild = (b) => b): Promise<TestServer> {
  build ??= import(pathToFileURL(serverBuildPath).href) as Promise<ServerBuild>;
  const { db, url } = await demoDb();
  // Each server its own material folder (on PostgreSQL the default would be the checkout's db/data/material).
  const materialDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-material-"));
  writeDemoMaterialFiles(materialDir);
  const config = loadConfig(
    { NODE_ENV: "production", DATABASE_URL: url, SESSION_SECRET: "test-secret-test-secret-test-secret-1234", COOKIE_SECURE: "false", MATERIAL_DIR: materialDir },
    () => {},
  );
  const app = createApp({ db, config, build: adapt(await build) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const doFetch: TestServer["fetch"] = (pathname, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("Cookie", init.cookie);
    return fetch(baseUrl + pathname, { ...init, headers, redirect: "manual" });
  };

  return {
    baseUrl,
    db,
    config,
    fetch: doFetch,
    async login(email) {
      const response = await doFetch("/login", {
        method: "POST",
        body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
      });
      const setCookie = response.headers.get("set-cookie");
      if (response.status !== 302 || !setCookie) throw new Error(`Login as ${email} failed with ${response.status}`);
      return setCookie.split(";")[0];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
      fs.rmSync(materialDir, { recursive: true, force: true });
    },
  };
}

/** Form body helper: `form({ a: "1" })`. */
export function form(values: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return body;
}
