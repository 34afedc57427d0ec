import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
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

test("the trainee answers the evaluation of their latest session from the start page, once", async ({ page }) => {
  await loginAs(page, accounts.trainee);
  await page.goto("/");
  const link = page.getByRole("region", { name: "Utvärderingar att svara på" }).getByRole("link").first();
  const title = (await link.textContent())!.replace(/^Utvärdera /, "");
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: `Utvärdera ${title}` })).toBeVisible();
  await expectNoAxeViolations(page);
  await shoot(page, "evaluation-form");

  const groups = page.getByRole("group");
  const count = await groups.count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) await groups.nth(i).getByRole("radio", { name: i % 2 ? "4" : "5 – Instämmer helt" }).check();
  await page.getByLabel("Något mer du vill säga? (frivilligt)").fill("Bra dag, tack!");
  await page.getByRole("button", { name: "Skicka svar" }).click();
  await expect(page.getByText("Tack för ditt svar!")).toBeVisible();

  await page.goto(new URL(page.url()).pathname);
  await expect(page.getByText("Du har redan svarat på den här utvärderingen.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Skicka svar" })).toHaveCount(0);
  await page.goto("/");
  await expect(page.getByRole("link", { name: `Utvärdera ${title}` })).toHaveCount(0);
});

test("a lead changes the statements and threshold before any answers, and the form shows what was saved", async ({ page }) => {
  await loginAs(page, accounts.traineeLead);
  await page.goto("/program");
  await page.getByRole("link", { name: "Regionalt traineeprogram" }).click();
  await page.getByRole("link", { name: "Utvärdering av träffar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Utvärdering av träffar" })).toBeVisible();
  await page.getByLabel("Påstående 1", { exact: true }).fill("Placeringen gav mig nya perspektiv.");
  await page.getByLabel("Påstående 4", { exact: true }).fill("");
  await page.getByLabel("Minsta antal svar innan resultat visas").fill("2");
  await page.getByRole("button", { name: "Spara" }).click();
  await expect(page.getByText("Resultat visas aldrig för färre än 3 svar.")).toBeVisible();
  await page.getByLabel("Minsta antal svar innan resultat visas").fill("4");
  await page.getByRole("button", { name: "Spara" }).click();
  await expect(page.getByText("Inställningarna är sparade.")).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("Påstående 1", { exact: true })).toHaveValue("Placeringen gav mig nya perspektiv.");
  await expect(page.getByLabel("Påstående 4", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Minsta antal svar innan resultat visas")).toHaveValue("4");
  await expectNoAxeViolations(page);
  await shoot(page, "evaluation-setup");
});

test("the ESF lead finds the statements fixed once answers exist, and reads Omgång 1's results", async ({ page }) => {
  await loginAs(page, accounts.lead);
  await page.goto("/program");
  await page.getByRole("link", { name: "Ledarutveckling över gränserna" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ledarutveckling över gränserna" })).toBeVisible();
  const programmeUrl = page.url();
  await page.getByRole("link", { name: "Utvärdering av träffar" }).click();
  await expect(page.getByText("Svar har kommit in, så påståendena kan inte längre ändras")).toBeVisible();
  await expect(page.getByLabel("Påstående 1", { exact: true })).toBeDisabled();

  await page.goto(programmeUrl);
  await page.getByRole("link", { name: "Omgång 1" }).first().click();
  await page.getByRole("link", { name: "Utvärderingar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Utvärderingar, Omgång 1" })).toBeVisible();
  await expect(page.getByText(/\d+ svar av \d+ tillfrågade/)).toBeVisible();
  const rows = page.getByRole("region", { name: "Utvärderingar per träff" }).locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(3);
  await expect(rows.first().locator("td").nth(1)).toHaveText(/^\d,\d$/);
  await expect(page.getByRole("heading", { level: 2, name: "Kommentarer" })).toBeVisible();
  await page.reload();
  await expect(page.getByText(/\d+ svar av \d+ tillfrågade/)).toBeVisible();
  await expectNoAxeViolations(page);
  await shoot(page, "evaluation-results");
});

test("the ESF lead opens the effect report, reads its figures with definitions and downloads it", async ({ page }) => {
  await loginAs(page, accounts.lead);
  await page.goto("/program");
  await page.getByRole("link", { name: "Ledarutveckling över gränserna" }).click();
  await page.getByRole("link", { name: "Effektrapport" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Effektrapport: Ledarutveckling över gränserna" })).toBeVisible();
  for (const h of ["Reaktion: utvärderingar av träffarna", "Lärande: självskattning", "Beteende: 360-återkoppling och handlingsplaner", "Resultat: uppföljning efter avslut"]) {
    await expect(page.getByRole("heading", { level: 2, name: h })).toBeVisible();
  }
  const omgang1 = page.getByRole("region", { name: "Effektrapport per omgång" }).getByRole("row", { name: /^Omgång 1/ });
  await expect(omgang1.getByRole("cell").nth(4)).toHaveText(/^\d,\d$/);
  await page.reload();
  await expect(omgang1.getByRole("cell").nth(4)).toHaveText(/^\d,\d$/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Ladda ner (Excel)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^effektrapport-\d+\.xlsx$/);
  await expectNoAxeViolations(page);
  await shoot(page, "effect-report");
});
