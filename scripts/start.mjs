/**
 * `npm start`: builds when the build is missing or older than the sources
 * (scripts/build.ts, in a process of its own), then runs the built server on
 * plain Node: no TypeScript loader stays in the serving process.
 * Plain JavaScript for that reason.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

process.env.NODE_ENV ??= "production";

const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts", "--if-stale"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

await import(pathToFileURL(path.resolve(process.env.REMIX_BUILD_DIR ?? "build", "server.mjs")).href);
