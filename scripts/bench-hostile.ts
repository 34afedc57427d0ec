/**
 * `npm run bench:hostile`: what hostile request bodies cost the server (issue 13, findings 1 and 2).
 *
 * Runs the built server in this process over a copy of the demo data (needs `npm run build`), sends
 * each body ROUNDS times and prints the median CPU time this process spent until the refusal had
 * arrived, and how long /healthz waited meanwhile, against the targets: 100 ms of CPU per refused
 * body, /healthz within 1 s. The abuse tests in tests/integration/request-limits-and-login.test.ts
 * assert the refusals with bounds ten times wider, so that a busy machine cannot make them flake;
 * the targets themselves are measured here.
 */
import { startTestServer, type TestServer } from "../tests/support/http";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CPU_TARGET_MS = 100;
const HEALTH_TARGET_MS = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(s: TestServer, path: string, init: RequestInit & { cookie?: string }) {
  const started = performance.now();
  const health = s.fetch("/healthz").then(() => performance.now() - started);
  const cpu = process.cpuUsage();
  const response = await s.fetch(path, init);
  await response.text();
  const used = process.cpuUsage(cpu);
  return { status: response.status, cpuMs: (used.user + used.system) / 1000, healthMs: await health };
}

function multipartCsv(text: string) {
  const boundary = "----gransen";
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="deltagare.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(text),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { method: "POST", body, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` } };
}

const urlencoded = (body: string) => ({ method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });

const s = await startTestServer();
try {
  const cookie = await s.login("samordnare.vimmerby@programportalen.test");
  const cases: { name: string; path: string; cpuTarget?: number; init: () => RequestInit & { cookie?: string } }[] = [
    { name: "/login, 32 000 empty fields (64 kB)", path: "/login", cpuTarget: CPU_TARGET_MS, init: () => urlencoded(Array(32_000).fill("a").join("&")) },
    { name: "/login, 2.6 million empty fields (5 MB)", path: "/login", cpuTarget: CPU_TARGET_MS, init: () => urlencoded("a&".repeat(2.5 * 1024 * 1024 - 1)) },
    { name: "/deltagare/import, 5 MB of x;y rows", path: "/deltagare/import", init: () => ({ ...multipartCsv("x;y\n".repeat(1.25 * 1024 * 1024 - 256)), cookie }) },
  ];
  await s.fetch("/login", urlencoded("a&a"));
  console.log(`case | status | CPU ms (median of ${ROUNDS}) | target | /healthz ms | target`);
  let missed = 0;
  for (const c of cases) {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await measure(s, c.path, c.init()));
    const cpuMs = median(runs.map((r) => r.cpuMs));
    const healthMs = median(runs.map((r) => r.healthMs));
    const cpuMet = c.cpuTarget === undefined || cpuMs <= c.cpuTarget;
    if (!cpuMet || healthMs > HEALTH_TARGET_MS) missed++;
    const cpuTarget = c.cpuTarget === undefined ? "none (a whole import)" : `${c.cpuTarget} ${cpuMet ? "met" : "MISSED"}`;
    console.log(`${c.name} | ${runs[0].status} | ${cpuMs.toFixed(0)} | ${cpuTarget} | ${healthMs.toFixed(0)} | ${HEALTH_TARGET_MS} ${healthMs <= HEALTH_TARGET_MS ? "met" : "MISSED"}`);
  }
  console.log(missed ? `${missed} case(s) missed a target (benchmarks report, they do not fail).` : "All targets met.");
} finally {
  await s.close();
}
