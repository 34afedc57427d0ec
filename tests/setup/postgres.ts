/**
 * Vitest globalSetup of the "postgres" project (vitest.config.ts): starts one
 * PostgreSQL server for the whole run and builds two template databases in it,
 * migrated (`portal_empty`) and migrated with the demo data (`portal_demo`).
 * Each test then gets its own database copied from one of them
 * (tests/support/db.ts), which takes a fraction of migrating anew.
 */
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDatabase } from "~/db/connection.server";
import { seedDemo } from "../../db/seed/demo";
import { DEMO_TODAY } from "../support/demo-today";
import { APP_ROLE, startTestPostgres, TEMPLATES, type TestPostgres } from "../support/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** The test PostgreSQL server's maintenance database, from which tests create theirs. */
    postgresAdminUrl: string;
    /** The same server as the app's role: no superuser, no BYPASSRLS, so row-level security applies as in production. */
    postgresAppUrl: string;
  }
}

let server: TestPostgres | undefined;

export async function setup(project: TestProject): Promise<void> {
  const started = performance.now();
  server = await startTestPostgres();
  const { initdbMs, startMs } = server.times;

  const templatesStarted = performance.now();
  await server.admin(`CREATE DATABASE ${TEMPLATES.empty}`);
  const empty = openDatabase(server.urlOf(TEMPLATES.empty));
  await migrateToLatest(empty);
  await empty.destroy();
  // The tests' app role reads and writes what the app does, and nothing passes it by row-level security.
  await server.admin(`CREATE ROLE ${APP_ROLE.user} LOGIN PASSWORD '${APP_ROLE.password}' NOSUPERUSER NOBYPASSRLS`);
  await server.adminOn(
    TEMPLATES.empty,
    `GRANT USAGE ON SCHEMA public TO ${APP_ROLE.user};
     GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE.user};
     GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE.user}`,
  );
  // A template may have no one connected while it is copied: from here on nobody connects to it.
  await server.admin(`CREATE DATABASE ${TEMPLATES.demo} TEMPLATE ${TEMPLATES.empty}`);
  const demo = openDatabase(server.urlOf(TEMPLATES.demo));
  await seedDemo(demo, DEMO_TODAY);
  await demo.destroy();
  const templatesMs = Math.round(performance.now() - templatesStarted);

  console.log(
    `PostgreSQL for tests: ready in ${Math.round(performance.now() - started)} ms ` +
      `(initdb ${initdbMs} ms, start ${startMs} ms, migrated and demo templates ${templatesMs} ms)`,
  );
  project.provide("postgresAdminUrl", server.urlOf("postgres"));
  project.provide("postgresAppUrl", server.urlOf("postgres", APP_ROLE));
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
