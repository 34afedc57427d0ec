import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * E2E tests run in Debian's Chromium (Playwright cannot download its own
 * browsers here). `npm test` / `npm run test:e2e` (scripts/test.ts) makes sure
 * it is installed and passes its path in CHROMIUM_PATH.
 */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const PORT = Number(process.env.E2E_PORT ?? 3100);
// The e2e server writes its e-mail here as .eml files (MAIL_OUTBOX_DIR); specs read them.
process.env.E2E_MAIL_DIR ??= path.join(os.tmpdir(), `portal-e2e-mail-${PORT}`);
// The e2e server's database (made fresh at each start); the testData fixture adds a test's own objects to it.
process.env.E2E_DATABASE_FILE ??= path.join(os.tmpdir(), `portal-e2e-db-${PORT}`, "portal.sqlite");
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  workers: 2,
  retries: 0,
  reporter: "list",
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    locale: "sv-SE",
    timezoneId: "Europe/Stockholm",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: chromiumArgs,
    },
  },
  projects: [
    {
      name: "desktop",
      use: { viewport: { width: 1280, height: 800 } },
    },
  ],
  webServer: {
    // Starts the built app on a fresh, temporary, seeded database.
    command: "node --import tsx tests/e2e/server.ts",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { PORT: String(PORT), NODE_ENV: "production" },
  },
});
