import { accounts, expect, loginAs, test } from "./fixtures";

test("the demo funder picks Omgång 1 and sees participants per municipality as a chart and a table", async ({ page }) => {
  await loginAs(page, accounts.funder);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Statistik" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Statistik" })).toBeVisible();

  await page.getByLabel("Omgång", { exact: true }).selectOption({ label: "Omgång 1" });
  await page.getByRole("button", { name: "Visa" }).click();
  await expect(page).toHaveURL(/omgang=\d+/);
  await expect(page.getByText("Urval: Ledarutveckling över gränserna, Omgång 1")).toBeVisible();

  const chart = page.getByRole("img", { name: /Deltagare under perioden per kommun/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator("text", { hasText: "Vimmerby" })).toHaveCount(1);

  const table = page.getByRole("table", { name: "Deltagare per kommun" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("row", { name: /Vimmerby/ }).getByRole("cell").first()).toHaveText("5");
  await expect(table.getByRole("row", { name: /Totalt/ }).getByRole("cell").first()).toHaveText("40");

  // Small numbers crossed with gender are protected for a funder.
  await expect(page.getByRole("table", { name: "Deltagare per kön" }).getByText("<5").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Ladda ner Excel (XLSX)" })).toHaveAttribute("href", /\/statistik\.xlsx\?.*omgang=\d+/);
});

test("a coordinator sees due follow-ups on the start page and records one", async ({ page }) => {
  await loginAs(page, accounts.coordinator("hultsfred"));
  await page.goto("/");
  await page.getByRole("link", { name: "Till uppföljningen" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Uppföljning" })).toBeVisible();
  const select = page.getByLabel(/Resultat för .*, efter 6 månader/).first();
  await select.selectOption({ label: "Blev chef" });
  await page.getByRole("button", { name: "Spara" }).first().click();
  await expect(page.getByRole("status")).toHaveText("Uppföljningen är sparad.");
  const sixMonths = page.getByRole("table", { name: "Registrerade uppföljningar" }).getByRole("row").filter({ hasText: "Efter 6 månader" });
  await expect(sixMonths.getByRole("cell", { name: "Blev chef", exact: true })).toBeVisible();
  // Nothing left to do: the reminder on the start page is gone.
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Till uppföljningen" })).toHaveCount(0);
});
