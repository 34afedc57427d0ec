/**
 * Production entry: validates the environment, migrates the database, loads
 * the demo data into a new database, then serves the built app.
 */
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { ConfigError, loadConfig } from "../app/config.server";
import { isEmpty, migrateToLatest, openDatabase } from "../app/db/connection.server";
import { startMailWorker } from "../app/mail/worker.server";
import { seedDemo } from "../db/seed/demo";
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

  const db = openDatabase(config.databaseUrl, config.databasePool);
  await migrateToLatest(db);
  if (await isEmpty(db)) {
    if (config.seedDemo) {
      console.log("New database: loading the demo data (SEED_DEMO=false to start empty).");
      await seedDemo(db);
    } else {
      console.log("New, empty database. Create the first administrator with: npm run user:create");
    }
  }

  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const app = createApp({ db, config, build });
  // E-mail is sent on a timer in this process, never inside a request.
  const mailWorker = startMailWorker({ db, config });

  const server = app.listen(config.port, config.host, () => {
    console.log(`Programportalen is listening on http://localhost:${config.port}`);
  });

  // Finish the requests in flight, then close the database cleanly.
  const shutdown = (signal: string) => {
    console.log(`${signal} received: finishing requests in flight and shutting down.`);
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
