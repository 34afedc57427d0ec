/**
 * `npm run build`: everything `npm start` runs, as plain JavaScript:
 *   1. the Remix app (`remix build`, into REMIX_BUILD_DIR or build/);
 *   2. the HTTP server around it: server/index.ts and what it imports from app/ and db/,
 *      bundled by esbuild into build/server.mjs (packages stay imports of node_modules).
 * Production then runs on plain Node, without a TypeScript loader in the process
 * (tsx costs ~80 MB of memory per process; docs/performance.md).
 *
 *   node --import tsx scripts/build.ts             build
 *   node --import tsx scripts/build.ts --if-stale  build only when a source is newer than the build
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { serverBuildPath, serverEntryPath } from "../server/build-path";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** What the two outputs are made from (db/: the migrations and the demo data the server loads). */
const SOURCES = ["app", "server", "db/migrations", "db/seed", "remix.config.js", "package.json", "package-lock.json", "public"];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (entry.endsWith("public") && child === "build") continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

function isBuildStale(): boolean {
  const built = Math.min(...[serverBuildPath, serverEntryPath].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  return built < Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
}

/**
 * For tests that run the built server: refuses, with what to do, when the build
 * is missing or older than the sources (`npm test` builds first; running vitest
 * or Playwright on their own after an edit would otherwise test yesterday's code).
 */
export function requireCurrentBuild(): void {
  if (isBuildStale()) {
    throw new Error(`The built server (${path.relative(ROOT, serverEntryPath)}) is missing or older than the sources: run \`npm run build\` first (npm test does).`);
  }
}

async function buildAll(): Promise<void> {
  const remix = spawnSync(path.join(ROOT, "node_modules", ".bin", "remix"), ["build"], { cwd: ROOT, stdio: "inherit" });
  if (remix.status !== 0) throw new Error(`remix build failed (exit ${remix.status})`);
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ["server/index.ts"],
    outfile: serverEntryPath,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--if-stale") && !isBuildStale()) process.exit(0);
  console.log("Building the app (remix build) and the server (esbuild)...");
  await buildAll();
}
