/**
 * Several app processes on one database (WEB_CONCURRENCY, docs/deployment.md):
 * three built servers, each with its own port, mail worker and mail folder,
 * on one copy of the demo data, loaded at the same time.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { queueMail } from "~/mail/outbox.server";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { demoDb, TEST_BACKEND } from "../support/db";
import { startServerProcess, type ServerProcess } from "../support/process";

const ADMIN = "admin@programportalen.test";
const WRITERS_PER_PROCESS = 2;
const WRITES_PER_WRITER = 8;
const MAILS = 30;

const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const server of servers.splice(0)) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
});

async function login(server: ServerProcess, password = DEMO_PASSWORD, email = ADMIN): Promise<Response> {
  return fetch(`${server.baseUrl}/login`, { method: "POST", body: new URLSearchParams({ email, password }), redirect: "manual" });
}

describe(`three app processes on one ${TEST_BACKEND} database`, () => {
  it("loses and doubles no write, sends each queued mail exactly once, and counts the login limit across them", async () => {
    const { db, url } = await demoDb();
    const mailDirs = [0, 1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "portal-processes-mail-")));
    servers.push(
      ...(await Promise.all(
        mailDirs.map((dir) => startServerProcess(url, { MAIL_OUTBOX_DIR: dir, MAIL_WORKER_INTERVAL_SECONDS: "0.2" })),
      )),
    );

    // A session made by one process is good in the others.
    const loggedIn = await login(servers[0]);
    expect(loggedIn.status).toBe(302);
    const cookie = loggedIn.headers.get("set-cookie")!.split(";")[0];

    // Mail queued while all three workers are running: each takes some, none takes one twice.
    const queued: number[] = [];
    for (let i = 0; i < MAILS; i++) {
      queued.push(await queueMail(db, { kind: "test", to: `mottagare${i}@example.se`, recipientUserId: null, subject: `Meddelande ${i}`, text: "Text" }));
    }

    // Writes through every process at once.
    const acknowledged: string[] = [];
    const failures: string[] = [];
    await Promise.all(
      servers.flatMap((server, p) =>
        Array.from({ length: WRITERS_PER_PROCESS }, async (_, w) => {
          for (let i = 0; i < WRITES_PER_WRITER; i++) {
            const email = `process${p}-${w}-${i}@programportalen.test`;
            const response = await fetch(`${server.baseUrl}/admin/anvandare/ny`, {
              method: "POST",
              headers: { Cookie: cookie },
              body: new URLSearchParams({ name: `Användare ${p}-${w}-${i}`, email }),
            });
            if (response.status === 200) acknowledged.push(email);
            else failures.push(`${email}: ${response.status}`);
          }
        }),
      ),
    );
    expect(failures).toEqual([]);
    expect(acknowledged).toHaveLength(servers.length * WRITERS_PER_PROCESS * WRITES_PER_WRITER);
    const stored = await db.selectFrom("users").select(["id", "email"]).where("email", "like", "process%@programportalen.test").execute();
    expect(stored.map((u) => u.email).toSorted()).toEqual(acknowledged.toSorted());
    const audited = await db
      .selectFrom("audit_log")
      .select("entity_id")
      .where("action", "=", "user.created")
      .where("entity_id", "in", stored.map((u) => String(u.id)))
      .execute();
    expect(audited).toHaveLength(acknowledged.length);

    // Wrong passwords for one account, each try at the next process: one shared count.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(servers[i % servers.length], "fel lösenord för alla")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);

    await vi.waitFor(
      async () => {
        const unsent = await db.selectFrom("mail_outbox").select("id").where("id", "in", queued).where("sent_at", "is", null).execute();
        expect(unsent).toEqual([]);
      },
      { timeout: 30_000, interval: 100 },
    );
    const written = mailDirs.flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).map((f) => ({ dir, id: Number(/-(\d+)\.eml$/.exec(f)![1]) })));
    const copies = queued.map((id) => written.filter((w) => w.id === id).length);
    expect(copies).toEqual(queued.map(() => 1));
    const attempts = await db.selectFrom("mail_outbox").select("attempts").where("id", "in", queued).execute();
    expect(attempts.every((row) => row.attempts === 1)).toBe(true);
    // More than one process did the sending (the claims spread the work, they do not just serialise it).
    console.log(`processes: ${acknowledged.length} writes, ${MAILS} mails sent by ${new Set(written.filter((w) => queued.includes(w.id)).map((w) => w.dir)).size} of 3 processes`);
  }, 120_000);

  it("WEB_CONCURRENCY=3 serves one port from three worker processes, and SIGTERM stops them all cleanly", async () => {
    const { db, url } = await demoDb();
    await db.destroy();
    const cluster = await startServerProcess(url, { WEB_CONCURRENCY: "3" });
    servers.push(cluster);
    // ps exits 1 when there are none.
    const workers = () => spawnSync("ps", ["-o", "pid=", "--ppid", String(cluster.child.pid)], { encoding: "utf8" }).stdout.trim().split(/\s+/).filter(Boolean);
    await vi.waitFor(() => expect(cluster.output()).toContain("with 3 processes"), { timeout: 30_000, interval: 100 });
    expect(workers()).toHaveLength(3);
    const answers = await Promise.all(Array.from({ length: 12 }, () => fetch(`${cluster.baseUrl}/login`)));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    servers.splice(servers.indexOf(cluster), 1);
    cluster.child.kill("SIGTERM");
    expect(await cluster.exited).toEqual({ code: 0, signal: null });
    expect(workers()).toEqual([]);
  }, 60_000);
});
