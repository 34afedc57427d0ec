/**
 * `npm start`: builds the app when the build is missing or older than the
 * sources, then starts the production server.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serverBuildPath } from "../server/build-path";

process.env.NODE_ENV ??= "production";

const SOURCES = ["app", "remix.config.js", "package.json", "public"];
const BUILD = serverBuildPath;

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (entry === "public" && child === "build") continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

const built = fs.existsSync(BUILD) ? fs.statSync(BUILD).mtimeMs : 0;
if (built < Math.max(...SOURCES.map(newestMtime))) {
  console.log("Building the app (remix build)...");
  const result = spawnSync(path.resolve("node_modules/.bin/remix"), ["build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

await import("../server/index");
