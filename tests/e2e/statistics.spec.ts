import { expect, test } from "./fixtures";

test("the demo funder picks Omgång 1 and a period of whole months, and reads the protected breakdowns of the whole programme", async ({ funderPage: page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Statistik" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Statistik" })).toBeVisible();
  // Each figure once: the chart by default, its table one link away (no script needed).
  await expect(page.getByRole("table", { name: "Deltagare per kommun" })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Visa statistiken som" }).getByRole("link", { name: "Tabeller" }).click();
  await expect(page.getByRole("img", { name: /Deltagare per kommun/ })).toHaveCount(0);
  // Other journeys may have enrolled someone: the whole programme's count is read, not assumed.
  const municipalities = page.getByRole("table", { name: "Deltagare per kommun" });
  const programmeTotal = await municipalities.getByRole("row", { name: /Totalt/ }).getByRole("cell").first().textContent();
  await expect(page.locator('[data-figure="total"]')).toHaveText(programmeTotal!);
  await page.getByRole("link", { name: "Diagram" }).click();

  await page.getByLabel("Omgång", { exact: true }).selectOption({ label: "Omgång 1" });
  await page.getByLabel("Från månad").fill("2026-01");
  await page.getByLabel("Till månad").fill("2026-06");
  await page.getByRole("button", { name: "Visa" }).click();
  await expect(page).toHaveURL(/omgang=\d+.*fran=2026-01.*till=2026-06/);
  await expect(page.getByText("Urval: Ledarutveckling över gränserna, Omgång 1, 1 januari 2026 – 30 juni 2026")).toBeVisible();
  await expect(page.locator('[data-figure="total"]')).toHaveText("40");

  // The breakdowns do not follow the selection: they are the whole programme up to today, small numbers hidden.
  const breakdowns = page.getByRole("region", { name: "Deltagare per kommun, kön, ålder och utbildning" });
  await expect(breakdowns.locator("strong", { hasText: /Gäller hela programmet, alla omgångar, till och med/ })).toBeVisible();
  const chart = breakdowns.getByRole("img", { name: /Deltagare per kommun/ });
  await expect(chart.locator("text", { hasText: "Vimmerby" })).toHaveCount(1);
  await expect(page.getByRole("table", { name: "Deltagare per kön" }).getByText("..").first()).toBeVisible();
  // The selection is kept when switching to the tables.
  await page.getByRole("link", { name: "Tabeller" }).click();
  await expect(page).toHaveURL(/omgang=\d+.*fran=2026-01.*till=2026-06.*visning=tabell/);
  await expect(municipalities.getByRole("row", { name: /Vimmerby/ }).getByRole("cell").first()).toHaveText(/^\d+$/);
  await expect(municipalities.getByRole("row", { name: /Totalt/ }).getByRole("cell").first()).toHaveText(programmeTotal!);

  // The definitions are one click away.
  await breakdowns.getByText("Så skyddas små tal").click();
  await expect(breakdowns.getByText(/Varje dolt tal kontrolleras med linjärprogrammering/)).toBeVisible();
  await page.getByText("Definitioner", { exact: true }).click();
  await expect(page.getByText(/Deltagare vars startdatum i omgången ligger inom perioden/)).toBeVisible();

  await expect(page.getByRole("link", { name: "Ladda ner Excel (XLSX)" })).toHaveAttribute("href", /\/statistik\.xlsx\?.*omgang=\d+.*fran=2026-01&till=2026-06/);
});

test("a coordinator sees due follow-ups on the start page and records one", async ({ pageAs, testData }) => {
  // A municipality of its own: "nothing left to do" is about every follow-up it has.
  const municipality = await testData.municipality();
  await testData.sixMonthFollowUpDue(municipality.slug);
  const page = await pageAs(municipality.coordinatorEmail, municipality.password);
  await page.goto("/");
  await page.getByRole("link", { name: /uppföljninga?r? att göra/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Uppföljning" })).toBeVisible();
  const select = page.getByLabel(/Resultat för .*, efter 6 månader/).first();
  await select.selectOption({ label: "Blev chef" });
  await page.getByRole("button", { name: "Spara" }).first().click();
  await expect(page.getByRole("status")).toHaveText("Uppföljningen är sparad.");
  const sixMonths = page.getByRole("table", { name: "Registrerade uppföljningar" }).getByRole("row").filter({ hasText: "Efter 6 månader" });
  await expect(sixMonths.getByRole("cell", { name: "Blev chef", exact: true })).toBeVisible();
  // Nothing left to do: the reminder on the start page is gone.
  await page.goto("/");
  await expect(page.getByRole("link", { name: /uppföljninga?r? att göra/ })).toHaveCount(0);
});
