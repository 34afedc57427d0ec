/**
 * Playwright fixtures: a logged-in page per demo role in one line, and data of
 * a test's own for the tests that write.
 *
 *   test("…", async ({ coordinatorPage, leadPage }) => { … });   // each in a browser context of its own
 *   test.use({ coordinatorOf: "vimmerby" });                      // whose coordinator coordinatorPage is
 *   test("…", async ({ testData, pageAs }) => {                   // objects this test alone changes
 *     const cohort = await testData.cohort({ seats: { hultsfred: 5 } });
 *   });
 *
 * `loginAs(page, email)` stays as the thin helper underneath.
 */
import { expect, test as base, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { openDatabase, type Db } from "../../app/db/connection.server";
import { TestData } from "./test-data";

export const DEMO_PASSWORD = "portal-demo-2026";

export const accounts = {
  admin: "admin@programportalen.test",
  lead: "programledare@programportalen.test",
  traineeLead: "traineeledare@programportalen.test",
  coordinator: (slug: string) => `samordnare.${slug}@programportalen.test`,
  trainee: "deltagare@programportalen.test",
  funder: "finansiar@programportalen.test",
  coach: "coach@programportalen.test",
};

/** Logs in through the real login endpoint; the session cookie lands in the page's browser context. */
export async function loginAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const response = await page.request.post("/login", {
    form: { email, password, redirectTo: "/" },
    maxRedirects: 0,
  });
  expect(response.status(), `login as ${email}`).toBe(302);
}

export interface PortalFixtures {
  /** A new page in a browser context of its own, logged in as `email`; closed after the test. */
  pageAs: (email: string, password?: string) => Promise<Page>;
  adminPage: Page;
  leadPage: Page;
  traineeLeadPage: Page;
  traineePage: Page;
  funderPage: Page;
  /** The coordinator of `coordinatorOf`. */
  coordinatorPage: Page;
  /** Municipality slug whose coordinator `coordinatorPage` is (default Hultsfred). */
  coordinatorOf: string;
  /** Creates, in the e2e server's database, the objects this test changes (see ./test-data.ts). */
  testData: TestData;
}

interface WorkerFixtures {
  /** The e2e server's own database (tests/e2e/server.ts), opened once per worker. */
  portalDb: Db;
}

async function newLoggedInPage(browser: Browser, contexts: BrowserContext[], email: string, password?: string): Promise<Page> {
  // browser.newContext() inside a test takes the project's `use` options (baseURL, locale, javaScriptEnabled…).
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await loginAs(page, email, password);
  return page;
}

export const test = base.extend<PortalFixtures, WorkerFixtures>({
  portalDb: [
    async ({}, use) => {
      const file = process.env.E2E_DATABASE_FILE;
      if (!file) throw new Error("E2E_DATABASE_FILE is not set (playwright.config.ts sets it)");
      const db = openDatabase(`file:${file}`);
      await use(db);
      await db.destroy();
    },
    { scope: "worker" },
  ],
  pageAs: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use((email, password) => newLoggedInPage(browser, contexts, email, password));
    for (const context of contexts) await context.close();
  },
  adminPage: async ({ pageAs }, use) => use(await pageAs(accounts.admin)),
  leadPage: async ({ pageAs }, use) => use(await pageAs(accounts.lead)),
  traineeLeadPage: async ({ pageAs }, use) => use(await pageAs(accounts.traineeLead)),
  traineePage: async ({ pageAs }, use) => use(await pageAs(accounts.trainee)),
  funderPage: async ({ pageAs }, use) => use(await pageAs(accounts.funder)),
  coordinatorOf: ["hultsfred", { option: true }],
  coordinatorPage: async ({ pageAs, coordinatorOf }, use) => use(await pageAs(accounts.coordinator(coordinatorOf))),
  testData: async ({ portalDb }, use, testInfo) => {
    await use(new TestData(portalDb, testInfo.workerIndex));
  },
});

export { expect };
