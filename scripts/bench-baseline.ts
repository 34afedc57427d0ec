/**
 * The benchmark's baseline: a bare node:http server that answers the same
 * pages as the portal with the same SQL (the same session lookup and the
 * same domain functions, scripts/bench-pages.ts) and returns the data as
 * JSON, with no express, no Remix and no HTML. The ratio portal/baseline in
 * `npm run bench` is what the framework and rendering cost on top of the
 * queries.
 *
 * Started by scripts/bench.ts with the portal's environment (DATABASE_URL,
 * SESSION_SECRET, ...) and BENCH_IDS (JSON of BenchIds); also runnable alone:
 *   DATABASE_URL=file:db/data/scale.sqlite SESSION_SECRET=... BENCH_IDS='{...}' PORT=3208 \
 *     node --import tsx scripts/bench-baseline.ts
 */
import http from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import { findUserContext } from "../app/auth/session.server";
import { loadConfig } from "../app/config.server";
import { openDatabase } from "../app/db/connection.server";
import { PAGES, type BenchIds } from "./bench-pages";

const config = loadConfig();
const db = openDatabase(config.databaseUrl, config.databasePool);
const ids = JSON.parse(process.env.BENCH_IDS ?? "{}") as BenchIds;
const server = { secret: config.sessionSecret, publicUrl: config.publicUrl };
const context = { db, config, nonce: "", clientIp: "" } as unknown as AppLoadContext;
const byPath = new Map(PAGES.filter((p) => !p.scaleOnly || ids.nationalProgrammeId).flatMap((p) => p.paths(ids).map((path) => [path, p] as const)));

const httpServer = http.createServer((req, res) => {
  const page = byPath.get(req.url ?? "");
  if (!page) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  void (async () => {
    try {
      let ctx = null;
      if (page.role) {
        // The same session lookup as requireUserContext, from the same cookie.
        const request = { headers: new Headers({ Cookie: req.headers.cookie ?? "" }), url: `http://localhost${req.url}` } as Request;
        ctx = await findUserContext(request, context);
        if (!ctx) {
          res.writeHead(401, { "Content-Type": "text/plain" }).end("not logged in");
          return;
        }
      }
      const data = await page.load(ctx, db, ids, server, req.url!);
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(data));
    } catch (error) {
      if (error instanceof Response) {
        res.writeHead(error.status, { "Content-Type": "text/plain" }).end(await error.text());
        return;
      }
      console.error(error);
      res.writeHead(500, { "Content-Type": "text/plain" }).end("error");
    }
  })();
});

httpServer.keepAliveTimeout = 60_000;
httpServer.listen(config.port, config.host, () => console.log(`baseline listening on http://${config.host}:${config.port}`));
process.once("SIGTERM", () => {
  httpServer.close(() => void db.destroy().then(() => process.exit(0)));
  httpServer.closeAllConnections();
});
