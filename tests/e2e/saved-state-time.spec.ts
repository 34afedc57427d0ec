/**
 * Saved-state journeys for time: a trainee's own activities (Min tid) and a
 * coordinator's actions on a monthly time report. Change, save, reload, check
 * what is stored; again.
 */
import { expect, test } from "./fixtures";

test.use({ coordinatorOf: "aneby" });
import { stockholmToday } from "./saved-state";

test("Min tid: a registered own activity is listed after a reload, and the form is empty for the next one", async ({ traineePage: page }) => {
  await page.goto("/tid");
  await expect(page.getByRole("heading", { level: 1, name: "Min tid" })).toBeVisible();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Registrera aktiviteten" }) });
  const activities = page.getByRole("table", { name: "Dina egna aktiviteter, senaste först" });
  // Today, so that last month's report (which other tests confirm) is not touched.
  const today = stockholmToday();

  const register = async (kind: string, hours: string, description: string) => {
    await form.getByLabel("Typ av aktivitet").selectOption({ label: kind });
    await form.getByLabel("Datum").fill(today);
    await form.getByLabel("Timmar").fill(hours);
    await form.getByLabel("Vad gjorde du?").fill(description);
    await form.getByRole("button", { name: "Registrera aktiviteten" }).click();
    await expect(page.getByRole("status")).toHaveText("Aktiviteten är registrerad och väntar på beslut från din samordnare.");
    // The form is ready for the next activity, not a second copy of this one.
    await expect(form.getByLabel("Vad gjorde du?")).toHaveValue("");
    await expect(form.getByLabel("Timmar")).toHaveValue("");
    await expect(form.getByLabel("Typ av aktivitet")).toHaveValue("");
    await expect(form.getByLabel("Datum")).toHaveValue(today);
  };

  // A refused entry stays in the form with the reason, to be corrected.
  const tomorrow = new Date(`${today}T12:00:00Z`);
  tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
  await form.getByLabel("Typ av aktivitet").selectOption({ label: "Skuggning" });
  await form.getByLabel("Datum").fill(tomorrow.toISOString().slice(0, 10));
  await form.getByLabel("Timmar").fill("2.5");
  await form.getByLabel("Vad gjorde du?").fill("Skuggade ekonomichefen i Eksjö, journey 1");
  await form.getByRole("button", { name: "Registrera aktiviteten" }).click();
  await expect(form.getByRole("alert")).toHaveText("Du kan bara redovisa tid som redan har ägt rum.");
  await expect(form.getByLabel("Vad gjorde du?")).toHaveValue("Skuggade ekonomichefen i Eksjö, journey 1");
  await expect(form.getByLabel("Timmar")).toHaveValue("2.5");

  await register("Skuggning", "2.5", "Skuggade ekonomichefen i Eksjö, journey 1");
  await page.reload();
  await expect(activities.getByRole("row", { name: /journey 1/ })).toContainText("2,5");
  await expect(activities.getByRole("row", { name: /journey 1/ })).toContainText("Väntar");

  await register("Egen studietid", "1.25", "Läste om förändringsledning, journey 2");
  await page.reload();
  await expect(activities.getByRole("row", { name: /journey 1/ })).toHaveCount(1);
  await expect(activities.getByRole("row", { name: /journey 2/ })).toContainText("1,25");
});

test("a monthly time report: certified and reopened by the Aneby coordinator, each shown as stored after a reload", async ({ coordinatorPage: page }) => {
  // Last month's reports waiting for certification (Vimmerby's and Hultsfred's belong to other tests).
  await page.goto("/tidrapporter?status=confirmed");
  await page.getByRole("link", { name: /^Attestera tidrapporten för / }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: /^Tidrapport / })).toBeVisible();
  const status = page.locator("dt:text-is('Status') + dd");
  await expect(status).toHaveText("Bekräftad av deltagaren");

  await page.getByRole("button", { name: "Attestera" }).click();
  await expect(page.getByRole("status")).toHaveText("Tidrapporten är attesterad och låst.");
  await expect(status).toHaveText("Attesterad");
  await page.reload();
  await expect(status).toHaveText("Attesterad");
  await expect(page.getByRole("button", { name: "Attestera" })).toHaveCount(0);

  // The second change, on the page the first save left behind: reopen with a reason.
  await page.getByLabel("Anledning").fill("Närvaron den 12:e var fel registrerad");
  await page.getByRole("button", { name: "Öppna igen" }).click();
  await expect(page.getByRole("status")).toHaveText("Tidrapporten är öppnad igen. Senare attesterade månader är markerade för granskning.");
  await expect(page.locator(".alert--error")).toHaveCount(0);
  await page.reload();
  await expect(status).toHaveText("Öppnad igen");
  await expect(page.getByRole("button", { name: "Öppna igen" })).toHaveCount(0);
  await expect(page.getByText("Anledning: Närvaron den 12:e var fel registrerad")).toBeVisible();
});
