/**
 * Production entry: validates the environment, migrates the database, loads
 * the demo data into a new database, then serves the built app.
 *
 * `WEB_CONCURRENCY=N` (N > 1) serves the port from N worker processes
 * (node:cluster): this process prepares the database once, then starts the
 * workers, replaces one that dies and passes SIGTERM/SIGINT on to all of
 * them. Nothing a request needs is kept in one process only: sessions, login
 * limits and the mail outbox are in the database, and each worker's mail
 * sender claims the messages it sends (docs/deployment.md).
 */
import cluster from "node:cluster";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { ConfigError, loadConfig, type Config } from "../app/config.server";
import { isEmpty, migrateToLatest, openDatabase, type Db } from "../app/db/connection.server";
import { startMailWorker } from "../app/mail/worker.server";
import { seedDemo } from "../db/seed/demo";
import { writeDemoMaterialFiles } from "../db/seed/material-demo";
import { createApp } from "./app";
import { serverBuildPath } from "./build-path";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  if (cluster.isWorker) {
    await serve(config, openDatabase(config.databaseUrl, config.databasePool));
    return;
  }

  const db = openDatabase(config.databaseUrl, config.databasePool);
  await migrateToLatest(db);
  if (await isEmpty(db)) {
    if (config.seedDemo) {
      console.log("New database: loading the demo data (SEED_DEMO=false to start empty).");
      await seedDemo(db);
      writeDemoMaterialFiles(config.materialDir);
    } else {
      console.log("New, empty database. Create the first administrator with: npm run user:create");
    }
  }

  if (config.webConcurrency === 1) {
    await serve(config, db);
  } else {
    await db.destroy();
    startWorkers(config.webConcurrency);
  }
}

async function serve(config: Config, db: Db) {
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const app = createApp({ db, config, build });
  // E-mail is sent on a timer in this process, never inside a request.
  const mailWorker = startMailWorker({ db, config, log: cluster.isWorker ? (line) => console.log(`[${process.pid}] ${line}`) : undefined });

  const server = app.listen(config.port, config.host, () => {
    if (cluster.isPrimary) console.log(`Programportalen is listening on http://localhost:${config.port}`);
  });

  // Finish the requests in flight, then close the database cleanly.
  const shutdown = (signal: string) => {
    if (cluster.isPrimary) console.log(`${signal} received: finishing requests in flight and shutting down.`);
    server.close(async () => {
      await mailWorker.stop();
      await db.destroy();
      process.exit(0);
    });
    // Keep-alive connections go as soon as their current request is answered.
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

/** The cluster's primary: starts `count` workers on this same file and keeps them running until told to stop. */
function startWorkers(count: number) {
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });
  let stopping = false;
  let failed = false;
  const served = new Set<number>();

  cluster.on("listening", (worker) => {
    served.add(worker.id);
    if (served.size === count) console.log(`Programportalen is listening on http://localhost:${process.env.PORT ?? 3000} with ${count} processes`);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (code !== 0) failed = true;
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    // A worker that never served would fail again at once: stop rather than restart it for ever.
    if (!served.has(worker.id)) {
      console.error(`A worker exited (${signal ?? `code ${code}`}) before serving; stopping.`);
      process.exit(1);
    }
    console.error(`Worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another.`);
    cluster.fork();
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: the ${count} processes finish their requests in flight and shut down.`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), 12_000).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));

  for (let i = 0; i < count; i++) cluster.fork();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
