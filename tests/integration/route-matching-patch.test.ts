/**
 * The server loads a patched @remix-run/router (patches/, docs/decisions/010):
 * route patterns and ranked branches are cached and branches whose first
 * segment cannot match are skipped. The patch must not change what matches.
 * The browser's ESM build is left untouched, so every path is matched by
 * both and the answers compared, over the app's real route tree.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it, vi } from "vitest";
import { serverBuildPath } from "../../server/build-path";

type Matcher = (routes: RouteNode[], location: string) => { params: Record<string, string | undefined>; pathname: string; route: { id: string } }[] | null;
interface RouteNode {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children: RouteNode[];
}

const require = createRequire(import.meta.url);
const patchedPath = require.resolve("@remix-run/router");
const untouchedPath = patchedPath.replace(/router\.cjs\.js$/, "router.js");

function routeTree(build: ServerBuild, parentId?: string): RouteNode[] {
  return Object.values(build.routes)
    .filter((route) => route!.parentId === parentId)
    .map((route) => ({
      id: route!.id,
      path: route!.path,
      index: route!.index,
      caseSensitive: route!.caseSensitive,
      children: routeTree(build, route!.id),
    }));
}

/** Every route's own path with sample parameters, plus paths meant to fail or to test the edges. */
function samplePaths(build: ServerBuild): string[] {
  const full = (id: string): string => {
    const route = build.routes[id]!;
    const parent = route.parentId ? full(route.parentId) : "";
    return route.path ? `${parent}/${route.path}` : parent;
  };
  const paths = new Set<string>(["/", "", "//", "/finns-inte", "/schema/x/y", "/%", "/%E2%82%AC", "/SCHEMA", "/Schema/", "/schema//", "//schema"]);
  for (const id of Object.keys(build.routes)) {
    const path = full(id).replace(/\/+/g, "/") || "/";
    for (const value of ["12", "abc", "%C3%A5", ""]) {
      const filled = path.replace(/:[\w-]+/g, value);
      paths.add(filled);
      paths.add(filled.toUpperCase());
      paths.add(`${filled}/`);
      paths.add(`${filled}/extra`);
    }
  }
  return [...paths];
}

const summary = (matches: ReturnType<Matcher>) => matches?.map((m) => ({ id: m.route.id, pathname: m.pathname, params: m.params })) ?? null;

describe("patched route matching", () => {
  it("matches every path of the app exactly as the unpatched router", async () => {
    expect(untouchedPath).not.toBe(patchedPath);
    const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
    const patched = (require(patchedPath) as { matchRoutes: Matcher }).matchRoutes;
    const untouched = ((await import(pathToFileURL(untouchedPath).href)) as { matchRoutes: Matcher }).matchRoutes;
    // "/%" cannot be decoded; both routers warn about it, which is expected here.
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const routes = routeTree(build);
    const paths = samplePaths(build);
    expect(paths.length).toBeGreaterThan(200);

    let matched = 0;
    for (const path of paths) {
      // Twice: the second answer comes from the patched router's caches.
      for (let round = 0; round < 2; round++) {
        const expected = summary(untouched(routes, path));
        expect(summary(patched(routes, path)), path).toEqual(expected);
        if (expected) matched++;
      }
    }
    expect(matched).toBeGreaterThan(100);
  });

  it("is the patched build that the server loads", () => {
    const source = require("node:fs").readFileSync(patchedPath, "utf8") as string;
    expect(source).toContain("Programportalen patch");
  });
});
