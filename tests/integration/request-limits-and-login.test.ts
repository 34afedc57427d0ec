/**
 * Issue 13's findings 1, 2, 7, 8, 9 and 12 (an outside attack test of
 * ff044a5), each as the attack the tester made, against the built server.
 * The server runs in this process, so the CPU time and memory it spends on a
 * request are this process's (generous bounds: the point is a cost that no
 * longer grows with what an attacker sends).
 */
import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LIMITS } from "~/auth/rate-limit.server";
import { form, startTestServer, type TestServer } from "../support/http";

const COORDINATOR = "samordnare.vimmerby@programportalen.test";
const TRAINEE = "deltagare@programportalen.test";

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function fresh(): Promise<TestServer> {
  server = await startTestServer();
  return server;
}

/** A request's status and body, with the CPU time this process spent until the answer had arrived. */
async function measured(s: TestServer, path: string, init: RequestInit & { cookie?: string }) {
  const cpu = process.cpuUsage();
  const response = await s.fetch(path, init);
  const text = await response.text();
  const used = process.cpuUsage(cpu);
  return { status: response.status, text, cpuMs: (used.user + used.system) / 1000 };
}

/** /healthz asked while `work` runs: how long it took to answer (wall clock, which is what a user waits). */
async function healthWhile<T>(s: TestServer, work: Promise<T>): Promise<{ result: T; healthMs: number }> {
  const started = performance.now();
  const health = s.fetch("/healthz").then((r) => {
    expect(r.status).toBe(200);
    return performance.now() - started;
  });
  const [result, healthMs] = await Promise.all([work, health]);
  return { result, healthMs };
}

/**
 * The targets are 100 ms of CPU per refused body and /healthz within 1 s; `npm run bench:hostile`
 * measures them. Here the bounds are ten times wider, so a machine busy with other work cannot make the
 * test flake, and still far below what ff044a5 did (9.4 s of CPU for 64 kB; minutes, then out of memory).
 */
const CPU_BOUND_MS = 1000;
const HEALTH_BOUND_MS = 5_000;

const urlencoded = (body: string) => ({ method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });

describe("issue 13: request shapes and login", () => {
  it("finding 1: 32 000 empty fields to /login (64 kB) and a 5 MB many-field body answer 413 before they are parsed, in bounded CPU, while /healthz answers", async () => {
    const s = await fresh();
    const small = Array(32_000).fill("a").join("&");
    // Under the server's body cap (5 MB and the multipart framing), so it reaches the form reader.
    const large = "a&".repeat(2.5 * 1024 * 1024 - 1);
    expect(small.length).toBeGreaterThan(60_000);
    // Warm up what a first request compiles (routes, the error page), so the measure is of this request only.
    await s.fetch("/healthz");
    await s.fetch("/login", urlencoded("a&a"));
    await s.fetch("/login", urlencoded(Array(5000).fill("a").join("&")));

    for (const body of [small, large]) {
      const { result, healthMs } = await healthWhile(s, measured(s, "/login", urlencoded(body)));
      expect(result.status, `${body.length} bytes`).toBe(413);
      expect(result.text).toMatch(/Formuläret (har fler fält|är för stort)/);
      expect(result.cpuMs, `${body.length} bytes`).toBeLessThan(CPU_BOUND_MS);
      expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
    }
    // The same body to a form behind a login is refused the same way.
    const cookie = await s.login(COORDINATOR);
    const { status, cpuMs } = await measured(s, "/deltagare/ny", { ...urlencoded(small), cookie });
    expect(status).toBe(413);
    expect(cpuMs).toBeLessThan(CPU_BOUND_MS);
    // A list index far beyond any list (Conform would build an array that long) is refused too.
    const sparse = await measured(s, "/program/1/omgangar/ny", { ...urlencoded("name=x&seats[50000000].seats=1"), cookie: await s.login("programledare@programportalen.test") });
    expect(sparse.status).toBe(413);
    expect(sparse.cpuMs).toBeLessThan(CPU_BOUND_MS);
  });

  it("finding 2: a coordinator's 5 MB CSV of x;y rows, and one of 60 000 rows, are refused early in Swedish with memory flat and /healthz answering", async () => {
    const s = await fresh();
    const cookie = await s.login(COORDINATOR);
    const header = "Förnamn;Efternamn;E-post;Förvaltning;Befattning;Kön;Födelseår;Personnummer;Utbildningsnivå;Lönegrupp";
    const files = {
      // Just under 5 MB with the multipart framing: the server's cap on a body lets it through, as it did the tester's.
      junk: "x;y\n".repeat(1.25 * 1024 * 1024 - 256),
      rows: `${header}\n${Array.from({ length: 60_000 }, (_, i) => `Anna${i};Berg;anna${i}@vimmerby.example;Socialförvaltningen;;kvinna;1985;;;2`).join("\n")}`.slice(0, 5 * 1024 * 1024 - 1024),
    };
    const expected = { junk: /Rubrikraden har okända kolumner/, rows: /Filen har fler än 5000 rader/ };
    const before = await s.db.selectFrom("participants").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    for (const [kind, text] of Object.entries(files) as [keyof typeof files, string][]) {
      // Encoded beforehand, so the client's side of the upload allocates nothing while memory is measured.
      const boundary = "----gransen";
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="deltagare.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        Buffer.from(text),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const headers = { "Content-Type": `multipart/form-data; boundary=${boundary}` };
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
      const { result, healthMs } = await healthWhile(s, measured(s, "/deltagare/import", { method: "POST", body, headers, cookie }));
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(result.status, kind).toBe(400);
      expect(result.text, kind).toMatch(expected[kind]);
      // The rows file is read up to its 5 001st row: checking 5 000 rows (the most an import takes) leaves
      // garbage that V8 collects when its young generation fills, not per file size; measured 48-64 MB with
      // both database projects running at once, so its bound is 96 MB (the junk file is the finding's case).
      expect((peak - rssBefore) / 1024 / 1024, `${kind}: RSS growth in MB`).toBeLessThan(kind === "junk" ? 30 : 96);
      expect(healthMs, kind).toBeLessThan(HEALTH_BOUND_MS);
      console.log(`finding 2 (${kind}, ${(text.length / 1024 / 1024).toFixed(1)} MB): ${result.cpuMs.toFixed(0)} ms CPU, RSS +${((peak - rssBefore) / 1024 / 1024).toFixed(1)} MB, /healthz ${healthMs.toFixed(0)} ms`);
    }
    const after = await s.db.selectFrom("participants").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("finding 7: a redirectTo with a tab, a backslash or a line break sends the user to the start page, never off-site and never a 500", async () => {
    const s = await fresh();
    const page = await (await s.fetch("/login?redirectTo=%2F%09%2Fevil.example%2Fphish")).text();
    const carried = /name="redirectTo" value="([^"]*)"/.exec(page)?.[1];
    expect(carried).toBe("/\t/evil.example/phish");
    for (const redirectTo of [carried!, "/\\evil.example", "//evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1", "https://evil.example"]) {
      const response = await s.fetch("/login", { method: "POST", body: form({ email: TRAINEE, password: "portal-demo-2026", redirectTo }) });
      expect(response.status, JSON.stringify(redirectTo)).toBe(302);
      expect(response.headers.get("location"), JSON.stringify(redirectTo)).toBe("/");
    }
    const inside = await s.fetch("/login", { method: "POST", body: form({ email: TRAINEE, password: "portal-demo-2026", redirectTo: "/schema?vecka=2" }) });
    expect(inside.headers.get("location")).toBe("/schema?vecka=2");
  });

  it("finding 8: wrong logins across many e-mails from one address do not lock out another account there; one address guessing one account is slowed", async () => {
    const s = await fresh();
    for (let i = 0; i < 12; i++) {
      const response = await s.fetch("/login", { method: "POST", body: form({ email: `gissning${i}@programportalen.test`, password: "fel-lösenord-123" }) });
      expect(response.status).toBe(401);
    }
    const colleague = await s.fetch("/login", { method: "POST", body: form({ email: "admin@programportalen.test", password: "portal-demo-2026" }) });
    expect(colleague.status).toBe(302);

    // One account guessed from one address: five free tries, then a wait that grows.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await s.fetch("/login", { method: "POST", body: form({ email: TRAINEE, password: `fel-lösenord-${i}` }) })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const blocked = await s.fetch("/login", { method: "POST", body: form({ email: TRAINEE, password: "portal-demo-2026" }) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("För många misslyckade inloggningar");
    // ... but the others behind the same address log in.
    expect((await s.fetch("/login", { method: "POST", body: form({ email: COORDINATOR, password: "portal-demo-2026" }) })).status).toBe(302);
  });

  it("finding 8: malformed login bodies count against the address, and past a hundred of them it is stopped before the body is read", async () => {
    const s = await fresh();
    const statuses = new Set<number>();
    for (let i = 0; i <= LIMITS.ip.free; i++) statuses.add((await s.fetch("/login", urlencoded(i % 2 ? "email=x" : Array(5000).fill("a").join("&")))).status);
    expect([...statuses].sort()).toEqual([400, 413]);
    const stopped = await s.fetch("/login", { method: "POST", body: form({ email: TRAINEE, password: "portal-demo-2026" }) });
    expect(stopped.status).toBe(429);
    expect(Number(stopped.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("finding 8: warns once, at the first forwarded request, that TRUST_PROXY is off", async () => {
    const s = await fresh();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await s.fetch("/healthz");
      expect(warn).not.toHaveBeenCalled();
      await s.fetch("/healthz", { headers: { "X-Forwarded-For": "203.0.113.7" } });
      await s.fetch("/healthz", { headers: { "X-Forwarded-For": "203.0.113.8" } });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toContain("TRUST_PROXY");
    } finally {
      warn.mockRestore();
    }
  });

  it("finding 9: wrong current passwords on /konto are throttled like logins, and Sommar2026!! is refused with help", async () => {
    const s = await fresh();
    const cookie = await s.login(COORDINATOR);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const response = await s.fetch("/konto", {
        method: "POST",
        cookie,
        body: form({ currentPassword: `gissning-${i}-abc`, newPassword: "cykeln står under äppelträdet", repeatPassword: "cykeln står under äppelträdet" }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 6)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(statuses.slice(6).every((status) => status === 429)).toBe(true);
    // The login form now asks the same wait for this account from this address.
    expect((await s.fetch("/login", { method: "POST", body: form({ email: COORDINATOR, password: "portal-demo-2026" }) })).status).toBe(429);

    const other = await s.login("samordnare.eksjo@programportalen.test");
    const weak = await s.fetch("/konto", { method: "POST", cookie: other, body: form({ currentPassword: "portal-demo-2026", newPassword: "Sommar2026!!", repeatPassword: "Sommar2026!!" }) });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("Lösenordet är för lätt att gissa");
    const user = await s.db.selectFrom("users").select("password_hash").where("email", "=", "samordnare.eksjo@programportalen.test").executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect((await s.fetch("/login", { method: "POST", body: form({ email: "samordnare.eksjo@programportalen.test", password: "portal-demo-2026" }) })).status).toBe(302);
  });

  it("finding 12: a copy of the database and its session secret opens no session and no calendar feed", async () => {
    const s = await fresh();
    const cookie = await s.login(TRAINEE);
    expect((await s.fetch("/", { cookie })).status).toBe(200);
    const rows = await s.db.selectFrom("login_sessions").select("id").execute();
    expect(rows.length).toBeGreaterThan(0);
    // The attacker signs each stored id with the secret, as the server would.
    const forged = createCookie("pp_session", { secrets: ["test-secret-test-secret-test-secret-1234"] });
    for (const { id } of rows) {
      const stolen = (await forged.serialize(id)).split(";")[0];
      const response = await s.fetch("/", { cookie: stolen });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/login");
      expect(id).toMatch(/^[0-9a-f]{64}$/);
    }

    // The calendar address is shown once, when made; the database keeps only its hash.
    const made = await (await s.fetch("/schema", { method: "POST", cookie })).text();
    const token = /\/kalender\/([A-Za-z0-9_-]{43})\.ics/.exec(made)?.[1];
    expect(token).toBeDefined();
    // The first address replaces none (the status read after the post must not make it look renewed).
    expect(made).toContain("Din kalenderadress är klar.");
    expect(made).not.toContain("Den gamla fungerar inte längre");
    expect((await s.fetch(`/kalender/${token}.ics`)).status).toBe(200);
    const again = await (await s.fetch("/schema", { cookie })).text();
    expect(again).not.toContain(token);
    expect(again).toContain("Skapa ny adress");
    const feeds = await s.db.selectFrom("calendar_feeds").selectAll().execute();
    const stored = JSON.stringify(feeds);
    expect(stored).not.toContain(token);
    expect(Object.keys(feeds[0]).sort()).toEqual(["created_at", "id", "scope", "token_hash", "user_id"]);
    expect(feeds.map((f) => f.token_hash)).toContain(crypto.createHash("sha256").update(token!).digest("hex"));

    // A second address replaces the first, and says so.
    const renewed = await (await s.fetch("/schema", { method: "POST", cookie })).text();
    expect(renewed).toContain("Den gamla fungerar inte längre");
    expect((await s.fetch(`/kalender/${token}.ics`)).status).toBe(404);
  });
});
