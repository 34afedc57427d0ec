import { accounts, expect, loginAs, test } from "./fixtures";

const OMGANG_2 = 2;

test("the programme lead takes attendance for a session", async ({ leadPage: page, testData }) => {
  // A session of this test's own, held earlier today in Omgång 2, so no other test (or run) has marked anyone.
  const session = await testData.sessionToday(OMGANG_2, "Närvaroträff", "eksjo");
  await page.goto(`/omgangar/${OMGANG_2}/narvarorapport?manad=${testData.today.slice(0, 7)}`);
  await expect(page.getByRole("heading", { level: 1, name: "Närvarorapport: Omgång 2" })).toBeVisible();
  await page.getByRole("link", { name: `${session.title}: ta närvaro` }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Närvaro: / })).toBeVisible();

  const firstRow = page.locator(".attendance-row").first();
  const name = (await firstRow.locator("legend").innerText()).split(",")[0];
  await firstRow.getByRole("radio", { name: "Sen ankomst" }).check();
  await firstRow.getByLabel(`Timmar för ${name}`).fill("1,25");
  await page.getByRole("button", { name: "Spara närvaro" }).click();

  await expect(page.getByRole("status")).toHaveText("Närvaron är sparad för 1 deltagare.");
  await expect(firstRow.getByRole("radio", { name: "Sen ankomst" })).toBeChecked();
  await expect(firstRow.getByLabel(`Timmar för ${name}`)).toHaveValue("1,25");
});

test("a trainee confirms last month, the Vimmerby coordinator certifies and prints it, Hultsfred cannot see it", async ({ traineePage: page }) => {
  await page.goto("/tid");
  await expect(page.getByRole("heading", { level: 1, name: "Min tid" })).toBeVisible();
  await page.getByRole("link", { name: "Granska och bekräfta" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: /^Tidrapport / })).toBeVisible();
  const reportUrl = page.url();
  const traineeName = await page.locator("dt:text-is('Deltagare') + dd").innerText();
  const hours = await page.locator("tfoot tr").last().locator("td").innerText();
  expect(Number(hours.replace(",", "."))).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Bekräfta tidrapporten" }).click();
  await expect(page.getByRole("status")).toContainText("Tidrapporten är bekräftad");
  await expect(page.locator("dt:text-is('Status') + dd")).toHaveText("Bekräftad av deltagaren");

  await page.context().clearCookies();
  await loginAs(page, accounts.coordinator("vimmerby"));
  await page.goto("/tidrapporter");
  await page.getByRole("link", { name: `Attestera tidrapporten för ${traineeName}` }).click();
  await expect(page).toHaveURL(reportUrl);
  await page.getByRole("button", { name: "Attestera" }).click();
  await expect(page.getByRole("status")).toHaveText(/^Tidrapporten är attesterad och låst\./);
  await expect(page.locator("dt:text-is('Status') + dd")).toHaveText("Attesterad");

  await page.getByRole("link", { name: "Utskrivbart intyg" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Tidredovisning / })).toBeVisible();
  const certificate = page.locator("article.certificate");
  await expect(certificate).toContainText(traineeName);
  await expect(certificate).toContainText("Vimmerby");
  await expect(certificate.locator("tfoot tr").last().locator("td")).toHaveText(hours);
  await expect(certificate.locator(".signatures")).toContainText(`Deltagarens bekräftelse${traineeName}`);
  // The nearest manager's certification, recorded by the coordinator (the ESF programme does not allow "on behalf").
  await expect(certificate.locator(".signatures")).toContainText(/närmaste chef, .*\(registrerat av Samordnare Vimmerby\)/);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Skriv ut" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Huvudmeny" })).toBeHidden();
  await expect(certificate).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  await page.context().clearCookies();
  await loginAs(page, accounts.coordinator("hultsfred"));
  const response = await page.goto(reportUrl);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Sidan finns inte" })).toBeVisible();
  await expect(page.getByText(traineeName)).toHaveCount(0);
  await page.goto("/tidrapporter");
  await expect(page.getByRole("heading", { level: 1, name: "Tidrapporter" })).toBeVisible();
  await expect(page.getByText(traineeName)).toHaveCount(0);
});
