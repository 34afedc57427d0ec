import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { accounts, expect, loginAs, test } from "./fixtures";

const mailDir = process.env.E2E_MAIL_DIR!;

function readEml(file: string): string {
  const raw = fs.readFileSync(file, "latin1").replace(/=\r?\n/g, "");
  return Buffer.from(raw.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8");
}

function linkMailedTo(address: string): string | null {
  if (!fs.existsSync(mailDir)) return null;
  for (const f of fs.readdirSync(mailDir).filter((n) => n.endsWith(".eml"))) {
    const text = readEml(path.join(mailDir, f));
    if (text.includes(`To: ${address}`)) return /\/svara\/[A-Za-z0-9_-]{43}/.exec(text)?.[0] ?? null;
  }
  return null;
}

async function noAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

const answeredColleagues = (page: Page) => page.getByRole("row", { name: /^Kollegor/ }).getByRole("cell").nth(1);

test("a participant invites raters, a rater answers through the link without logging in, the participant reads the report and writes an action plan", async ({ browser, page }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const colleagues = [1, 2, 3].map((n) => `kollega${n}.${stamp}@example.org`);
  await loginAs(page, accounts.trainee);

  await page.goto("/aterkoppling");
  await page.getByRole("link", { name: /Första rundan/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Första rundan");
  const roundUrl = page.url();
  await noAxeViolations(page);
  const answeredBefore = Number(await answeredColleagues(page).innerText());

  await page.getByLabel("Grupp", { exact: true }).selectOption("colleague");
  await page.getByLabel("E-postadresser, en per rad").fill(colleagues.join("\n"));
  await page.getByRole("button", { name: "Skicka inbjudan" }).click();
  await expect(page.getByRole("status")).toContainText("3 inbjudningar skickas");
  await page.reload();
  for (const c of colleagues) await expect(page.getByText(c)).toBeVisible();

  // The rater, in a browser that has never logged in.
  await expect.poll(() => linkMailedTo(colleagues[0]), { timeout: 15_000 }).not.toBeNull();
  const link = linkMailedTo(colleagues[0])!;
  const raterContext = await browser.newContext();
  const rater = await raterContext.newPage();
  await rater.goto(link);
  await expect(rater.getByRole("heading", { level: 1 })).toContainText("Återkoppling till");
  await noAxeViolations(rater);
  await expect(rater.getByRole("link", { name: "Mitt schema" })).toHaveCount(0);
  const radios = rater.locator('input[type="radio"][value="4"]');
  for (let i = 0; i < (await radios.count()); i++) await radios.nth(i).check();
  await rater.getByLabel("Vad gör personen särskilt bra som ledare?").fill("Lyssnar och återkommer.");
  await rater.getByRole("button", { name: "Skicka svar" }).click();
  await expect(rater.getByRole("heading", { level: 1, name: "Tack för ditt svar" })).toBeVisible();
  await rater.reload();
  await expect(rater.getByRole("heading", { level: 1, name: "Tack för ditt svar" })).toBeVisible();
  // The link opens the rater page only: nothing else of the portal.
  const elsewhere = await rater.request.get("/aterkoppling", { maxRedirects: 0 });
  expect(elsewhere.status()).toBe(302);
  await raterContext.close();

  // The participant sees one more colleague answered, not who.
  await page.goto(roundUrl);
  await expect(answeredColleagues(page)).toHaveText(String(answeredBefore + 1));

  await page.getByRole("link", { name: "Läs din rapport" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("360-rapport");
  await expect(page.getByRole("heading", { name: "Per dimension" })).toBeVisible();
  await noAxeViolations(page);

  await page.goto("/handlingsplan");
  await page.getByLabel("Mål", { exact: true }).fill(`Tydligare möten ${stamp}`);
  await page.getByLabel("Hör till").selectOption({ label: "Kommunikation" });
  await page.getByLabel("Så gör jag (aktiviteter)").fill("Dagordning i förväg och en fråga till gruppen varje möte.");
  await page.getByLabel("Stöd jag behöver från min chef").fill("Tid för avstämning varannan vecka.");
  await page.getByRole("button", { name: "Lägg till målet" }).click();
  await expect(page.getByRole("status")).toContainText("Målet är tillagt");
  await page.reload();
  const goal = page.locator("section.card", { hasText: `Tydligare möten ${stamp}` });
  await expect(goal).toContainText("Hör till: Kommunikation");
  await goal.getByLabel("På gång").check();
  await goal.getByLabel("Reflektion").fill("Första mötet gick bra.");
  await goal.getByRole("button", { name: /Spara läget/ }).click();
  await expect(page.getByRole("status")).toContainText("Läget är sparat");
  await page.reload();
  const saved = page.locator("section.card", { hasText: `Tydligare möten ${stamp}` });
  await expect(saved.getByLabel("På gång")).toBeChecked();
  await expect(saved.getByLabel("Reflektion")).toHaveValue("Första mötet gick bra.");
  await noAxeViolations(page);
});
