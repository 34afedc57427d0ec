import type { Browser, Page } from "@playwright/test";
import { accounts, expect, loginAs, test } from "./fixtures";

async function pageAs(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await loginAs(page, email);
  return page;
}

async function openCohort(page: Page, cohortName: string) {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Program" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Program" })).toBeVisible();
  await page.getByRole("link", { name: "Ledarutveckling över gränserna" }).click();
  await page.getByRole("link", { name: cohortName, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(cohortName) })).toBeVisible();
}

test("a Hultsfred coordinator adds and nominates a participant, the lead accepts her, Vimmerby sees only her name", async ({ browser }) => {
  const email = `maja.lindholm.${Date.now()}@hultsfred.example`;

  // The Hultsfred coordinator adds a new participant...
  const hultsfred = await pageAs(browser, accounts.coordinator("hultsfred"));
  await hultsfred.goto("/deltagare/ny");
  await hultsfred.getByLabel("Förnamn").fill("Maja");
  await hultsfred.getByLabel("Efternamn").fill("Lindholm");
  await hultsfred.getByLabel("E-postadress i tjänsten").fill(email);
  await hultsfred.getByLabel("Förvaltning").fill("Socialförvaltningen");
  await hultsfred.getByLabel("Befattning (frivilligt)").fill("Socialsekreterare");
  await hultsfred.getByLabel("Kön").selectOption("kvinna");
  await hultsfred.getByLabel("Födelseår").fill("1990");
  await hultsfred.getByLabel("Lönegrupp").fill("2");
  await hultsfred.getByRole("button", { name: "Spara deltagare" }).click();
  await expect(hultsfred).toHaveURL(/\/deltagare\/\d+/);

  // ...and nominates her to the upcoming Omgång 3, where Hultsfred has free seats.
  await openCohort(hultsfred, "Omgång 3");
  await hultsfred.getByLabel("Deltagare att anmäla").selectOption({ label: "Maja Lindholm" });
  await hultsfred.getByRole("button", { name: "Anmäl", exact: true }).click();
  await expect(hultsfred.getByRole("status")).toHaveText("Deltagaren är anmäld och väntar på programledarens beslut.");
  const ownRow = hultsfred.getByRole("row", { name: /Maja Lindholm/ });
  await expect(ownRow).toContainText("Anmäld");
  await expect(ownRow).toContainText(email);

  // The programme lead accepts her.
  const lead = await pageAs(browser, accounts.lead);
  await openCohort(lead, "Omgång 3");
  const leadRow = lead.getByRole("row", { name: /Maja Lindholm/ });
  await expect(leadRow).toContainText("Hultsfred");
  await leadRow.getByRole("button", { name: "Anta Maja Lindholm" }).click();
  await expect(lead.getByRole("status")).toHaveText("Anmälan är antagen.");
  await expect(lead.getByRole("row", { name: /Maja Lindholm/ })).toContainText("Antagen");
  await expect(lead.getByRole("row", { name: /Maja Lindholm/ })).toContainText(email);
  const hultsfredSeats = lead.getByRole("table", { name: /Platser per kommun/ }).getByRole("row", { name: /Hultsfred/ });
  await expect(hultsfredSeats.getByRole("cell")).toHaveText(["5", "0", "1", "0", "0", "4", "0"]);

  // The Vimmerby coordinator sees her name and municipality, nothing more.
  const vimmerby = await pageAs(browser, accounts.coordinator("vimmerby"));
  await openCohort(vimmerby, "Omgång 3");
  const others = vimmerby.getByRole("table", { name: "Deltagare från andra kommuner" });
  await expect(others.getByRole("row", { name: /Maja Lindholm/ })).toHaveText(/Maja Lindholm\s*Hultsfred/);
  const html = await vimmerby.content();
  expect(html).not.toContain(email);
  expect(html).not.toContain("Socialsekreterare");
  const csv = await vimmerby.request.get(vimmerby.url() + "/deltagarlista.csv");
  expect(await csv.text()).not.toContain(email);
});

test("a nomination beyond the municipality's seats goes to the waiting list", async ({ page }) => {
  // Omgång 2 is full for Vimmerby in the demo data; its coordinator has participants in no cohort.
  await loginAs(page, accounts.coordinator("vimmerby"));
  await openCohort(page, "Omgång 2");
  const choices = page.getByLabel("Deltagare att anmäla").locator("option:not([value=''])");
  const label = (await choices.first().textContent())!;
  await page.getByLabel("Deltagare att anmäla").selectOption({ label });
  await page.getByRole("button", { name: "Anmäl", exact: true }).click();
  // Vimmerby already has one person waiting for Omgång 2.
  await expect(page.getByRole("status")).toHaveText("Kommunens platser är fulla. Deltagaren står på kommunens väntelista. Plats i kön: 2.");
  await expect(page.getByRole("row", { name: new RegExp(label) })).toContainText("På väntelista, nr 2");
});

test("a nomination without a participant is answered next to the field", async ({ page }) => {
  await loginAs(page, accounts.coordinator("hultsfred"));
  await openCohort(page, "Omgång 3");
  await page.getByRole("button", { name: "Anmäl", exact: true }).click();
  await expect(page.getByText("Välj en deltagare att anmäla.")).toBeVisible();
});
