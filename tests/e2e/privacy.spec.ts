import fs from "node:fs";
import { accounts, expect, loginAs, test } from "./fixtures";

test.use({ coordinatorOf: "vimmerby" });

test("the Vimmerby coordinator downloads a registerutdrag of a participant", async ({ coordinatorPage: page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Deltagare" }).click();
  const first = page.getByRole("table").locator("tbody").getByRole("link").first();
  // The list shows "Efternamn, Förnamn".
  const [lastName, firstName] = (await first.textContent())!.trim().split(", ");
  const name = `${firstName} ${lastName}`;
  await first.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  await page.getByRole("link", { name: "Registerutdrag" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Registerutdrag för ${name}` })).toBeVisible();
  for (const section of ["Uppgifter om deltagaren", "Personnummer", "Anmälningar till omgångar", "Närvaro", "Tidredovisningar", "Gallring"]) {
    await expect(page.getByRole("heading", { level: 3, name: section, exact: true })).toBeVisible();
  }
  const enrolmentRows = await page.getByRole("region", { name: "Tabell: Anmälningar till omgångar" }).locator("tbody tr").count();
  await page.screenshot({ path: "/tmp/privacy/extract-1280.png", fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Ladda ner som fil (JSON)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^registerutdrag-deltagare-\d+-\d{4}-\d{2}-\d{2}\.json$/);
  const body = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
  expect(body.readme).toContain("Registerutdrag från Programportalen");
  expect(`${body.participant.firstName} ${body.participant.lastName}`).toBe(name);
  expect(body.participant.municipality).toBe("Vimmerby");
  expect(body.enrolments).toHaveLength(enrolmentRows);
  expect(body.avsnitt.attendance.rubrik).toBe("Närvaro");

  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: "/tmp/privacy/extract-375.png", fullPage: true });
});

test("the Vimmerby coordinator anonymises a participant whose retention has passed, after confirming", async ({ coordinatorPage: page, testData }) => {
  // Like Bertil Sandén in the demo data: left Vimmerby 30 months ago, never nominated.
  const bertil = await testData.participant("vimmerby", { firstName: "Bertil", lastName: "Sandén", endedMonthsAgo: 30 });
  const name = `${bertil.firstName} ${bertil.lastName}`;
  await page.goto("/deltagare/gallring");
  await page.screenshot({ path: "/tmp/privacy/gallring-1280.png", fullPage: true });
  await page.getByRole("link", { name: `Anonymisera ${name}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Anonymisera ${name}` })).toBeVisible();
  await page.screenshot({ path: "/tmp/privacy/anonymise-1280.png", fullPage: true });

  await page.getByRole("button", { name: "Anonymisera deltagaren" }).click();
  await expect(page.getByText("Kryssa i att du förstår att anonymiseringen inte kan ångras.")).toBeVisible();
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: "/tmp/privacy/anonymise-375.png", fullPage: true });

  await page.getByLabel("Jag förstår att detta inte kan ångras").check();
  await page.getByRole("button", { name: "Anonymisera deltagaren" }).click();
  await expect(page.getByText("Deltagaren är anonymiserad.")).toBeVisible();
  await expect(page.getByRole("link", { name })).toHaveCount(0);
});

test("an active participant cannot be anonymised, and the page says why", async ({ traineePage: page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Mina uppgifter" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mina uppgifter" })).toBeVisible();
  await page.screenshot({ path: "/tmp/privacy/mina-uppgifter-1280.png", fullPage: true });

  const grantId = await page.evaluate(async () => (await (await fetch("/mina-uppgifter.json")).json()).participant.id);
  await page.context().clearCookies();
  await loginAs(page, accounts.coordinator("vimmerby"));
  await page.goto(`/deltagare/${grantId}/anonymisera`);
  await expect(page.getByText(/Deltagaren är inte avslutad/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Anonymisera deltagaren" })).toBeDisabled();
});

test("a programme lead sets the retention period", async ({ leadPage: page }) => {
  await page.goto("/program");
  const href = await page.getByRole("link", { name: "Ledarutveckling över gränserna" }).first().getAttribute("href");
  await page.goto(`${href}/gallring`);
  await expect(page.getByText(/standardvärdet för ESF: 10 år/)).toBeVisible();
  const months = page.getByLabel("Gallringsfrist i månader");
  await months.fill("0");
  await page.getByRole("button", { name: "Spara gallringsfrist" }).click();
  await expect(months).toHaveAccessibleDescription(/mellan 1 och 600 månader/);
  await months.fill("132");
  await page.getByRole("button", { name: "Spara gallringsfrist" }).click();
  await expect(page.getByText("Gallringsfristen är sparad.")).toBeVisible();
  await expect(page.getByText(/11 år \(132 månader\)/)).toBeVisible();
  await page.screenshot({ path: "/tmp/privacy/retention-1280.png", fullPage: true });
});
