/**
 * The attendance page on a phone (issue 15): one compact row per participant,
 * one-handed at 375 px, filterable by name, unique ids, and axe-clean in each
 * state; the report summary-first with a month's matrix on request.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { duplicateIds } from "./saved-state";

const OMGANG_2 = 2;
/** The attendance page of Omgång 2's 40 participants was 16 800 px tall at 375 px before issue 15. */
const HEIGHT_BEFORE = 16_800;

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

async function layout(page: Page) {
  return page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    // Every status option and hours disclosure a thumb presses.
    smallTargets: [...document.querySelectorAll(".attendance-toggle__option, .attendance-hours summary")]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0 && (r.height < 44 || r.width < 44)).length,
  }));
}

test.describe("at 375 px", () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test("the attendance page of 40 participants is a third of its old height, fits the width, has 44 px targets and unique ids, and axe finds nothing", async ({ leadPage: page, testData }) => {
    const session = await testData.sessionToday(OMGANG_2, "Telefonträff", "eksjo");
    await page.goto(`/trafar/${session.id}/narvaro`);
    await expect(page.locator(".attendance-row")).toHaveCount(40);
    const before = await layout(page);
    console.log(`attendance page at 375 px, 40 participants: ${before.height} px (was ${HEIGHT_BEFORE})`);
    expect(before.height).toBeLessThan(HEIGHT_BEFORE / 3);
    expect(before.overflow).toBe(0);
    expect(before.smallTargets).toBe(0);
    expect(await duplicateIds(page)).toEqual([]);
    expect(await axe(page)).toEqual([]);

    // Filled in, one absence, one late arrival with its hours open: still clean.
    await page.getByRole("button", { name: /^Alla närvarande/ }).click();
    const rows = page.locator(".attendance-row");
    await rows.nth(1).getByRole("radio", { name: "Frånvarande" }).check();
    await rows.nth(2).getByRole("radio", { name: "Sen ankomst" }).check();
    await expect(rows.nth(2).getByRole("textbox", { name: /^Timmar för / })).toBeVisible();
    // An absence has no hours to give.
    await expect(rows.nth(1).getByRole("textbox", { name: /^Timmar för / })).toHaveCount(0);
    expect((await layout(page)).overflow).toBe(0);
    expect(await duplicateIds(page)).toEqual([]);
    expect(await axe(page)).toEqual([]);

    // Filtering while typing keeps what was marked.
    const name = (await rows.nth(1).locator("legend").innerText()).split(",")[0];
    await page.getByRole("searchbox", { name: "Sök deltagare" }).fill(name);
    await expect(page.locator(".attendance-row:visible")).not.toHaveCount(40);
    await expect(page.locator(".attendance-row:visible").filter({ hasText: name }).first()).toBeVisible();
    await page.getByRole("searchbox", { name: "Sök deltagare" }).fill("");
    await expect(page.locator(".attendance-row:visible")).toHaveCount(40);
    await expect(rows.nth(1).getByRole("radio", { name: "Frånvarande" })).toBeChecked();
    expect(await axe(page)).toEqual([]);
  });

  test("the report opens with the summary and shows a month's matrix on request, without sideways scrolling and with no axe violations", async ({ leadPage: page }) => {
    await page.goto(`/omgangar/${OMGANG_2}/narvarorapport`);
    const summary = page.getByRole("table", { name: "Närvaro per deltagare" });
    await expect(summary.getByRole("row")).toHaveCount(41);
    await expect(page.locator("table.matrix")).toHaveCount(0);
    expect((await layout(page)).overflow).toBe(0);
    expect(await axe(page)).toEqual([]);

    await page.getByRole("navigation", { name: "Närvaro per träff och månad" }).getByRole("link").first().click();
    await expect(page).toHaveURL(/manad=\d{4}-\d{2}/);
    await expect(page.locator("table.matrix tbody tr")).toHaveCount(40);
    expect((await layout(page)).overflow).toBe(0);
    expect(await axe(page)).toEqual([]);
  });
});
