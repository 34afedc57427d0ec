import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    // Same as Remix's conventional "~/*" -> "app/*" path alias.
    alias: [{ find: /^~\//, replacement: `${path.join(root, "app")}/` }],
  },
  test: {
    include: [
      "app/**/*.test.ts",
      "db/**/*.test.ts",
      "tests/integration/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    // A first startTestServer() migrates and seeds the demo database: seconds alone, far more on a shared, busy machine.
    hookTimeout: 60_000,
    setupFiles: ["tests/setup/fail-on-console-error.ts", "app/schemas/swedish-errors.ts"],
  },
});
