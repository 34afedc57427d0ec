/**
 * Playwright helpers: log in as any demo role in one line.
 *
 *   await loginAs(page, accounts.coordinator("hultsfred"));
 */
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "portal-demo-2026";

export const accounts = {
  admin: "admin@programportalen.test",
  lead: "programledare@programportalen.test",
  traineeLead: "traineeledare@programportalen.test",
  coordinator: (slug: string) => `samordnare.${slug}@programportalen.test`,
  trainee: "deltagare@programportalen.test",
  funder: "finansiar@programportalen.test",
};

/** Logs in through the real login endpoint; the session cookie lands in the page's browser context. */
export async function loginAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const response = await page.request.post("/login", {
    form: { email, password, redirectTo: "/" },
    maxRedirects: 0,
  });
  expect(response.status(), `login as ${email}`).toBe(302);
}

export { expect, test } from "@playwright/test";
