/**
 * Two of the three framework patches (docs/decisions/010) memoise what the
 * server builds per render: `RemixServer`'s route objects (@remix-run/react)
 * and the static router's data routes (react-router-dom/server). Memoising
 * must not change a byte of what is rendered. So the pages the real server
 * renders, for each role, are rendered again with the untouched files (made
 * by reversing the patches, beside the originals, so their own imports
 * resolve to the same modules) and the HTML compared, twice, so that the
 * second render comes from the caches.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import type { EntryContext, ServerBuild } from "@remix-run/node";
import { applyPatch, parsePatch, reversePatch } from "diff";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/http";

const require = createRequire(import.meta.url);
const root = path.resolve(__dirname, "../..");

interface RemixServerProps {
  context: EntryContext;
  url: string;
  nonce?: string;
}

/** The file as it was before `patches/<patchFile>`, written beside it under another name. */
function untouchedCopy(patchedFile: string, patchFile: string, copyName: string): string {
  const [patch] = parsePatch(readFileSync(path.join(root, "patches", patchFile), "utf8"));
  const untouched = applyPatch(readFileSync(patchedFile, "utf8"), reversePatch(patch));
  if (untouched === false) throw new Error(`patches/${patchFile} does not reverse cleanly on ${patchedFile}`);
  const copy = path.join(path.dirname(patchedFile), copyName);
  writeFileSync(copy, untouched);
  return copy;
}

const patchedServer = require.resolve("@remix-run/react/dist/server.js");
const patchedStaticRouter = require.resolve("react-router-dom/server.js");
const copies: string[] = [];

let server: TestServer;
const rendered: { label: string; context: EntryContext; url: string }[] = [];

beforeAll(async () => {
  server = await startTestServer((build) => ({
    ...build,
    entry: {
      module: {
        ...build.entry.module,
        default: (request: Request, status: number, headers: Headers, context: EntryContext, load: never) => {
          rendered.push({ label: new URL(request.url).pathname, context, url: request.url });
          return build.entry.module.default(request, status, headers, context, load);
        },
      },
    },
  }) as ServerBuild);
});

afterAll(async () => {
  for (const copy of copies) rmSync(copy, { force: true });
  await server?.close();
});

const PAGES: [string | null, string[]][] = [
  [null, ["/login", "/glomt-losenord", "/finns-inte"]],
  ["deltagare@programportalen.test", ["/", "/schema", "/mina-uppgifter", "/tid"]],
  ["samordnare.vimmerby@programportalen.test", ["/", "/deltagare", "/tidrapporter", "/medfinansiering"]],
  ["programledare@programportalen.test", ["/", "/program", "/statistik"]],
  ["admin@programportalen.test", ["/", "/admin/anvandare"]],
];

describe("framework patches that memoise rendering", () => {
  it("render every visited page exactly as the untouched @remix-run/react and react-router-dom do", async () => {
    for (const [email, pages] of PAGES) {
      const cookie = email ? await server.login(email) : undefined;
      for (const page of pages) await server.fetch(page, { cookie });
    }
    expect(rendered.length).toBeGreaterThanOrEqual(12);

    const untouchedStaticRouter = untouchedCopy(patchedStaticRouter, "react-router-dom+6.30.4.patch", "server.untouched-for-test.cjs");
    copies.push(untouchedStaticRouter);
    const untouchedServer = untouchedCopy(patchedServer, "@remix-run+react+2.17.5.patch", "server.untouched-for-test.cjs");
    copies.push(untouchedServer);
    // The untouched RemixServer must use the untouched static router too.
    const source = readFileSync(untouchedServer, "utf8");
    expect(source).toContain("require('react-router-dom/server')");
    writeFileSync(untouchedServer, source.replace("require('react-router-dom/server')", `require(${JSON.stringify(untouchedStaticRouter)})`));

    const Patched = (require(patchedServer) as { RemixServer: ComponentType<RemixServerProps> }).RemixServer;
    const Untouched = (require(untouchedServer) as { RemixServer: ComponentType<RemixServerProps> }).RemixServer;
    expect(readFileSync(patchedServer, "utf8")).toContain("Programportalen patch");
    expect(readFileSync(patchedStaticRouter, "utf8")).toContain("Programportalen patch");
    expect(readFileSync(untouchedServer, "utf8")).not.toContain("Programportalen patch");

    const distinct = new Set<string>();
    for (const { label, context, url } of rendered) {
      const expected = renderToString(createElement(Untouched, { context, url, nonce: "n" }));
      distinct.add(expected);
      for (let round = 0; round < 2; round++) {
        expect(renderToString(createElement(Patched, { context, url, nonce: "n" })), `${label}, render ${round + 1}`).toBe(expected);
      }
    }
    // Different pages rendered differently: the caches did not freeze one page's data.
    expect(distinct.size).toBe(rendered.length);
  });
});
