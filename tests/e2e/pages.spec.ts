/**
 * The pages that read as Swedish: Mina uppgifter grouped by kind, the
 * Händelselogg, a sorted participants list and Medfinansiering, at 1280 and
 * 375 px, with axe. Screenshots land in /tmp/pages for a person to look at.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// axe on a long page takes a while on a shared, busy machine.
test.describe.configure({ timeout: 120_000 });

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoAxeViolations(page);
    // Nothing wider than the window except inside a scrolling table.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${width} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `/tmp/pages/${name}-${width}.png`, fullPage: true });
  }
}

test("Mina uppgifter is grouped by kind, in Swedish, without internal ids", async ({ traineePage: page }) => {
  await page.goto("/mina-uppgifter");
  for (const group of ["Kontaktuppgifter och grunduppgifter", "Deltagande i program", "Närvaro", "Tidrapporter och egna aktiviteter", "Notiser och e-post", "Inloggning och behörighet"]) {
    await expect(page.getByRole("heading", { level: 2, name: group, exact: true })).toBeVisible();
  }
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/Deltagar-id|Användar-id|Träff-id|\b(auth|authz|participant|enrolment|time_report|session|feedback)\.[a-z_]+/);
  expect(text).not.toMatch(/\d+ min\b/);
  await expect(page.getByText("Loggade in").first()).toBeVisible();
  await shoot(page, "mina-uppgifter");
});

test("the Händelselogg filters by person and event, each event one Swedish line", async ({ adminPage: page }) => {
  await page.goto("/admin/logg");
  await page.getByLabel("Person (namn eller e-post)").fill("samordnare.vimmerby");
  await page.getByLabel("Händelse", { exact: true }).selectOption({ label: "Loggade in" });
  await page.getByRole("button", { name: "Sök" }).click();
  await expect(page).toHaveURL(/person=samordnare.vimmerby/);
  const rows = page.locator("table.audit-log tbody tr");
  await expect(rows.first()).toContainText("Loggade in");
  for (const row of await rows.all()) await expect(row).not.toContainText("{");
  await page.goto("/admin/logg");
  await shoot(page, "handelselogg");
});

test("the participants list sorts by a column header, without JavaScript too", async ({ coordinatorPage: page }) => {
  await page.goto("/deltagare?status=all");
  await page.getByRole("link", { name: "E-post" }).click();
  await expect(page.getByRole("columnheader", { name: "E-post" })).toHaveAttribute("aria-sort", "ascending");
  await page.getByRole("link", { name: "E-post" }).click();
  await expect(page.getByRole("columnheader", { name: "E-post" })).toHaveAttribute("aria-sort", "descending");
  await page.reload();
  await expect(page.getByRole("columnheader", { name: "E-post" })).toHaveAttribute("aria-sort", "descending");
  await shoot(page, "deltagare-sorterad");
});

test("Medfinansiering fits at 1280 px and scrolls with its month column kept on a phone", async ({ coordinatorPage: page }) => {
  await page.goto("/medfinansiering");
  await shoot(page, "medfinansiering");
});
