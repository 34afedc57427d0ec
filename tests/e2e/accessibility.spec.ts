/**
 * axe-core (WCAG 2.1 A and AA) on every page each role can reach: a crawl from
 * the start page following the links a user would, one page per URL shape
 * (ids replaced), plus every "new" form submitted empty so its errors show.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { accounts, expect, loginAs, test } from "./fixtures";

const roles: { name: string; email: string | null }[] = [
  { name: "anonym", email: null },
  { name: "systemadministratör", email: accounts.admin },
  { name: "programledare", email: accounts.lead },
  { name: "samordnare", email: accounts.coordinator("vimmerby") },
  { name: "deltagare", email: accounts.trainee },
  { name: "finansiär", email: accounts.funder },
  { name: "coach", email: accounts.coach },
];

const MAX_PAGES = 70;
const SKIP = /^\/material\/|\/logout|\.csv|\.ics|\.xlsx|\.json|\/kalender\/|\/intyg$|mall\.csv/;

/** One page per kind: ids and query strings (filters, page numbers) don't make a new kind of page. */
function shape(url: string): string {
  return url.split("?")[0].replace(/\/\d+(?=\/|$)/g, "/:id");
}

async function axeViolations(page: Page, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map(
    (v) => `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`,
  );
}

const widths = [
  { name: "dator", viewport: { width: 1280, height: 800 } },
  { name: "mobil", viewport: { width: 375, height: 800 } },
];

for (const [role, width] of roles.flatMap((r) => widths.map((w) => [r, w] as const))) {
  test(`axe finds no WCAG 2.1 AA violations on the pages a ${role.name} reaches (${width.name})`, async ({ page, baseURL }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(width.viewport);
    if (role.email) await loginAs(page, role.email);
    const start = role.email ? ["/", "/tillganglighet", "/integritet"] : ["/login", "/tillganglighet", "/integritet"];
    const queue = [...start];
    const seenShapes = new Set<string>();
    const checked: string[] = [];
    const violations: string[] = [];

    while (queue.length && checked.length < MAX_PAGES) {
      const path = queue.shift()!;
      if (seenShapes.has(shape(path))) continue;
      seenShapes.add(shape(path));
      const response = await page.goto(path);
      if (!response || response.status() >= 400 || !page.url().startsWith(baseURL!)) continue;
      checked.push(path);
      violations.push(...(await axeViolations(page, path)));

      const links = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of links) {
        const url = new URL(href);
        if (url.origin !== new URL(baseURL!).origin || SKIP.test(url.pathname)) continue;
        const next = url.pathname + url.search;
        if (!seenShapes.has(shape(url.pathname + url.search))) queue.push(next);
      }

      if (/\/ny$/.test(new URL(page.url()).pathname)) {
        const submit = page.locator("main form[method='post'] button[type='submit']").first();
        if (await submit.count()) {
          await submit.click();
          await page.waitForLoadState("networkidle");
          violations.push(...(await axeViolations(page, `${path} (tomt formulär skickat)`)));
        }
      }
    }

    console.log(`axe: ${role.name} (${width.name}): ${checked.length} pages checked, ${violations.length} violations`);
    expect(checked.length).toBeGreaterThanOrEqual(3);
    expect(violations).toEqual([]);
  });
}
