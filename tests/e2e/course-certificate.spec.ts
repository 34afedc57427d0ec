/**
 * Issue 15: the course certificate (utbildningsbevis) as the trainee finds and
 * prints it: from Mitt schema to the certificate, read in print media, with no
 * accessibility violations at 1280 and 375 px.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";

test("a trainee who completed a cohort finds the course certificate on Mitt schema and prints it", async ({ testData, pageAs }, testInfo) => {
  // Two axe runs and three full-page screenshots: slow on a shared machine.
  test.setTimeout(120_000);
  const earner = await testData.certificateEarner("vimmerby");
  const page = await pageAs(earner.email);
  await page.goto("/schema");
  await page.getByRole("link", { name: `Utbildningsbevis: Ledarutveckling över gränserna, ${earner.cohortName}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Utbildningsbevis");

  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`), `axe at ${width} px`).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`course-certificate-${width}.png`), fullPage: true });
  }

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("button", { name: "Skriv ut" })).toBeHidden();
  await expect(page.locator(".course-certificate__name")).toHaveText(earner.name);
  const facts = await page.locator(".course-certificate dl.facts").evaluateAll((lists) =>
    Object.fromEntries(lists.flatMap((dl) => [...dl.querySelectorAll("dt")].map((dt) => [dt.textContent?.trim() ?? "", dt.nextElementSibling?.textContent?.trim() ?? ""]))),
  );
  expect(facts["Program"]).toBe("Ledarutveckling över gränserna");
  expect(facts["Omgång"]).toBe(earner.cohortName);
  expect(facts["Period"]).toMatch(/^\d{1,2} \p{L}+ \d{4} – \d{1,2} \p{L}+ \d{4}$/u);
  expect(facts["Genomförd tid"]).toMatch(/^9 tim \(100 % av träffarnas tid; kravet är \d+ %\)$/);
  expect(facts["Huvudman"]).toMatch(/ kommun$/);
  expect(facts["Programledare"]).toBeTruthy();
  const themes = await page.locator(".course-certificate__sessions li").allTextContents();
  expect(themes.map((t) => t.replace(/^.*\d{4}\s*/, ""))).toEqual(earner.themes);
  await page.screenshot({ path: testInfo.outputPath("course-certificate-print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });

  await page.goto("/mina-uppgifter");
  await expect(page.getByRole("link", { name: /^Utbildningsbevis: / })).toHaveAttribute("href", /^\/utbildningsbevis\/\d+$/);
});
