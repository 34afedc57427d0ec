import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createUser } from "../../db/seed/factories";
import { DEMO_PASSWORD } from "../../db/seed/demo";
import { accounts, expect, loginAs, test } from "./fixtures";

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/effects/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await expectNoAxeViolations(page);
  await page.screenshot({ path: `/tmp/effects/${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("a participant rates themself against the programme's goals at the start, from the start page, and sees it after a reload", async ({ testData, portalDb, pageAs }) => {
  test.setTimeout(120_000);
  // A cohort of the ESF programme (which has goals) that started today, and a participant of it with a login of their own.
  const cohort = await testData.cohort({ seats: { eksjo: 2 }, startsOn: testData.today, endsOn: "2027-12-15" });
  const person = await testData.participant("eksjo", { firstName: "Sara", lastName: "Skattning" });
  await testData.enrol(cohort.id, person.id, "eksjo", { status: "active", startedOn: testData.today });
  const email = `sara.${testData.tag}@eksjo.example`;
  await createUser(portalDb, { email, name: "Sara Skattning", password: DEMO_PASSWORD, grants: [{ role: "participant", municipalityId: await testData.municipalityId("eksjo"), participantId: person.id }] });
  const page = await pageAs(email);

  await page.goto("/");
  await page.getByRole("link", { name: /Skatta dig mot programmets mål vid start/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Självskattning: Ledarutveckling över gränserna" })).toBeVisible();
  await expectNoAxeViolations(page);
  await shoot(page, "self-rating-form");
  const goals = page.locator("form fieldset");
  const count = await goals.count();
  expect(count).toBeGreaterThan(1);
  await goals.nth(0).getByLabel("2", { exact: true }).check();
  for (let i = 1; i < count; i++) await goals.nth(i).getByLabel("4", { exact: true }).check();
  await page.getByRole("button", { name: "Spara skattningen" }).click();
  await expect(page.getByRole("status")).toContainText("Din skattning är sparad");

  await page.reload();
  const rows = page.getByRole("region", { name: "Dina skattningar per mål" }).getByRole("row");
  await expect(rows.nth(1).getByRole("cell").nth(0)).toHaveText("2");
  await expect(rows.nth(2).getByRole("cell").nth(0)).toHaveText("4");
  await expect(page.getByRole("button", { name: "Spara skattningen" })).toHaveCount(0);
  await shoot(page, "self-rating-saved");
  await page.goto("/");
  await expect(page.getByRole("link", { name: /Skatta dig mot programmets mål vid start/ })).toHaveCount(0);
  await page.goto("/sjalvskattning");
  await expect(page.getByRole("link", { name: `Ledarutveckling över gränserna, ${cohort.name}` })).toBeVisible();
  await shoot(page, "self-rating-list");
});

test("the ESF lead reads the effect report's Learning and Behaviour sections, and the programme's goals", async ({ page }) => {
  // Axe over a long page at two widths takes its time on a busy machine.
  test.setTimeout(120_000);
  await loginAs(page, accounts.lead);
  await page.goto("/program");
  await page.getByRole("link", { name: "Ledarutveckling över gränserna" }).click();
  await page.getByRole("link", { name: "Programmets mål" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Programmets mål" })).toBeVisible();
  await expect(page.getByLabel("Mål 1")).toHaveValue("Jag leder min grupp mot tydliga mål och prioriteringar.");
  await shoot(page, "programme-goals");

  await page.goBack();
  await page.getByRole("link", { name: "Effektrapport" }).click();
  const learning = page.getByRole("region", { name: "Lärande per omgång och mål" });
  const behaviour = page.getByRole("region", { name: "Beteende per omgång och dimension" });
  const goals = page.getByRole("region", { name: "Uppnådda mål i handlingsplanerna" });
  for (let pass = 0; pass < 2; pass++) {
    // Omgång 1: both 360 rounds are closed: figures with n and a signed change. Its learning is published only once its
    // end rating has closed, 28 days after its last day, two months from now in the demo (ADR 036): the page says when.
    await expect(learning.getByRole("row", { name: /^Omgång 1 Alla mål/ }).getByRole("cell").nth(4)).toHaveText("..");
    await expect(page.getByText(/^Omgång 1: visas när slutskattningen har stängt den \d+ \p{L}+ \d{4}\.$/u)).toBeVisible();
    await expect(behaviour.getByRole("row", { name: /^Omgång 1 Riktning/ }).getByRole("cell").nth(4)).toHaveText(/^[+−]\d,\d$/);
    await expect(goals.getByRole("row", { name: /^Omgång 1/ }).getByRole("cell").nth(3)).toHaveText(/^\d+ %$/);
    // Omgång 2 has only its start ratings and no follow-up round: nothing to show.
    await expect(learning.getByRole("row", { name: /^Omgång 2 Alla mål/ }).getByRole("cell").nth(4)).toHaveText("..");
    if (pass === 0) await page.reload();
  }
  await expectNoAxeViolations(page);
  await shoot(page, "effect-report-learning");
});
