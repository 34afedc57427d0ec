import path from "node:path";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

const ALL_TESTS = ["app/**/*.test.ts", "db/**/*.test.ts", "tests/integration/**/*.test.ts", "scripts/**/*.test.ts"];

/**
 * The test files that do not pass on PostgreSQL yet, and why: every other
 * file runs on both backends in `npm test`. This list only shrinks; what
 * each entry waits for is in docs/postgres-port.md.
 * `TEST_POSTGRES_ALL=1 npx vitest run --project postgres` runs them anyway.
 */
export const POSTGRES_PENDING: Record<string, string> = {
  // Empty since the domain's SQLite-only SQL was ported (docs/postgres-port.md). An entry is
  // "path/to/file.test.ts": "why it fails on PostgreSQL and what it waits for".
};

const POSTGRES_EXCLUDE = [...configDefaults.exclude, ...(process.env.TEST_POSTGRES_ALL === "1" ? [] : Object.keys(POSTGRES_PENDING))];

export default defineConfig({
  resolve: {
    // Same as Remix's conventional "~/*" -> "app/*" path alias.
    alias: [{ find: /^~\//, replacement: `${path.join(root, "app")}/` }],
  },
  test: {
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    // A first startTestServer() migrates and seeds the demo database: seconds alone, far more on a shared, busy machine.
    hookTimeout: 60_000,
    setupFiles: ["tests/setup/fail-on-console-error.ts", "app/schemas/swedish-errors.ts"],
    // Both backends in one run (`npx vitest run --project sqlite` for one): the same files, each
    // test on a database of its own (tests/support/db.ts).
    projects: [
      { extends: true, test: { name: "sqlite", include: ALL_TESTS, env: { TEST_DB: "sqlite" } } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ALL_TESTS,
          exclude: POSTGRES_EXCLUDE,
          env: { TEST_DB: "postgres" },
          globalSetup: ["tests/setup/postgres.ts"],
          setupFiles: ["tests/setup/postgres-databases.ts"],
        },
      },
    ],
  },
});
