import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "~/db/connection.server";
import { createUser } from "../../db/seed/factories";
import { TEST_BACKEND } from "../support/db";
import { startServerProcess, type ServerProcess } from "../support/process";

const ADMIN = { email: "drift@programportalen.test", password: "en lång mening om drift" };
const KILL_RUNS = 8;

async function newDatabase(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-durability-"));
  const file = path.join(dir, "portal.sqlite");
  const db = openDatabase(`file:${file}`);
  await migrateToLatest(db);
  await createUser(db, { email: ADMIN.email, name: "Drift", password: ADMIN.password, grants: [{ role: "admin" }] });
  // A new installation requires two-factor of administrators (ADR 024); these runs are about writes, not logins.
  await db.updateTable("portal_settings").set({ two_factor_required: 0 }).where("id", "=", 1).execute();
  await db.destroy();
  return file;
}

async function login(server: ServerProcess): Promise<string> {
  const response = await fetch(`${server.baseUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  return response.headers.get("set-cookie")!.split(";")[0];
}

// SQLite's own promises (a file that survives SIGKILL, the online backup API); PostgreSQL's are the server's.
describe.runIf(TEST_BACKEND === "sqlite")("durability", () => {
  it("keeps every acknowledged write through repeated SIGKILLs, with a sound database", async () => {
    const file = await newDatabase();
    const acknowledged: string[] = [];
    let attempted = 0;
    for (let run = 0; run < KILL_RUNS; run++) {
      const server = await startServerProcess(`file:${file}`);
      const cookie = await login(server);
      // The kill comes after a random number of this run's writes were acknowledged (not after a
      // time, which a busy machine stretches), while the other lane's write is in flight.
      const killAfter = 1 + Math.floor(Math.random() * 4);
      let acknowledgedThisRun = 0;
      let stop = false;
      let enoughWritten!: () => void;
      const written = new Promise<void>((resolve) => (enoughWritten = resolve));
      const writer = async (lane: number) => {
        for (let i = 0; !stop; i++) {
          const email = `kill${run}-${lane}-${i}@programportalen.test`;
          attempted++;
          try {
            const response = await fetch(`${server.baseUrl}/admin/anvandare/ny`, {
              method: "POST",
              headers: { Cookie: cookie },
              body: new URLSearchParams({ name: `Användare ${run}-${lane}-${i}`, email }),
            });
            if (response.status === 200) {
              acknowledged.push(email);
              if (++acknowledgedThisRun >= killAfter) enoughWritten();
            }
          } catch {
            return; // the server died under us: this write was never acknowledged
          }
        }
      };
      const lanes = [writer(0), writer(1)];
      await written;
      server.child.kill("SIGKILL");
      stop = true;
      await server.exited;
      await Promise.all(lanes);
    }

    const sqlite = new SQLite(file);
    const stored = new Set(sqlite.prepare("select email from users").pluck().all() as string[]);
    const lost = acknowledged.filter((e) => !stored.has(e));
    const integrity = sqlite.pragma("integrity_check", { simple: true });
    const foreignKeyProblems = sqlite.pragma("foreign_key_check") as unknown[];
    sqlite.close();
    console.log(
      `durability: ${KILL_RUNS} kill runs, ${attempted} writes attempted, ${acknowledged.length} acknowledged, ${lost.length} lost`,
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_RUNS);
    expect(lost).toEqual([]);
    expect(integrity).toBe("ok");
    expect(foreignKeyProblems).toEqual([]);
  }, 180_000);

  it("finishes a request in flight when it gets SIGTERM, then exits cleanly", async () => {
    const file = await newDatabase();
    const server = await startServerProcess(`file:${file}`);
    const cookie = await login(server);
    const body = new URLSearchParams({ name: "Sent skickad", email: "sigterm@programportalen.test" }).toString();
    const url = new URL(`${server.baseUrl}/admin/anvandare/ny`);

    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      // Headers and half the body are sent; the server is now mid-request when the signal arrives.
      request.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => request.end(body.slice(10)), 300);
      }, 200);
    });

    expect(status).toBe(200);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain("SIGTERM received");
    const sqlite = new SQLite(file, { readonly: true });
    expect(sqlite.prepare("select count(*) from users where email = ?").pluck().get("sigterm@programportalen.test")).toBe(1);
    sqlite.close();
  }, 60_000);
});

describe.runIf(TEST_BACKEND === "sqlite")("online backup", () => {
  it("copies the running database consistently while it is being written to", async () => {
    const file = await newDatabase();
    const server = await startServerProcess(`file:${file}`);
    const cookie = await login(server);
    let stop = false;
    const writes = (async () => {
      for (let i = 0; !stop; i++) {
        await fetch(`${server.baseUrl}/admin/anvandare/ny`, {
          method: "POST",
          headers: { Cookie: cookie },
          body: new URLSearchParams({ name: `Backup ${i}`, email: `backup${i}@programportalen.test` }),
        });
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const target = path.join(path.dirname(file), "copy.sqlite");
    const { spawnSync } = await import("node:child_process");
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/backup.ts", target], {
      env: { ...process.env, DATABASE_URL: `file:${file}` },
      encoding: "utf8",
    });
    stop = true;
    await writes;
    server.child.kill("SIGTERM");
    await server.exited;

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("integrity ok");
    const copy = new SQLite(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(copy.prepare("select count(*) from users").pluck().get()).toBeGreaterThan(1);
    copy.close();
  }, 60_000);
});
