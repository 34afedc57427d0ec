/**
 * Issue 14, item 1: the attendance sheet shows what is stored after every
 * save, "Alla närvarande" only fills in, and nothing the lead marked is lost.
 * Each test plans its own session today, so no other test touches its sheet.
 */
import type { Locator, Page } from "@playwright/test";
import { accounts, expect, test } from "./fixtures";
import { duplicateIds, planSessionToday } from "./saved-state";

/** Omgång 1 of the ESF programme (programledare) and the trainee cohort (traineeledare); the demo trainee, whose schedule other specs read, is in neither. */
const ESF_COHORT = 1;
const TRAINEE_COHORT = 3;
const ANEBY = 1;

interface RowState {
  name: string;
  status: string | null;
  hours: string;
}

/** What every row of the sheet shows: the checked status (by its label) and the hours. */
async function sheet(page: Page): Promise<RowState[]> {
  return page.locator(".attendance-row").evaluateAll((rows) =>
    rows.map((row) => {
      const checked = row.querySelector<HTMLInputElement>('input[type="radio"]:checked');
      return {
        name: (row.querySelector("legend")?.firstChild?.textContent ?? "").trim(),
        status: checked ? (checked.closest("label")?.textContent ?? "").trim() : null,
        hours: row.querySelector<HTMLInputElement>('.attendance-hours input')?.value ?? "",
      };
    }),
  );
}

function row(page: Page, name: string): Locator {
  return page.locator(".attendance-row").filter({ has: page.locator("legend", { hasText: name }) });
}

async function openSheet(page: Page, sessionId: number) {
  await page.goto(`/trafar/${sessionId}/narvaro`);
  await expect(page.getByRole("heading", { level: 1, name: /^Närvaro: / })).toBeVisible();
}

test("attendance loses an absence: 'Alla närvarande' fills in, one absence is saved with the rest and survives a reload, and so does a second change", async ({ leadPage: page }) => {
  const sessionId = await planSessionToday(page, ESF_COHORT, "Närvaro utan förlust", ANEBY);
  await openSheet(page, sessionId);
  const before = await sheet(page);
  const count = before.length;
  expect(count).toBeGreaterThan(5);
  expect(before.every((r) => r.status === null)).toBe(true);
  await expect(page.getByText(`0 av ${count} deltagare har registrerad närvaro, ${count} saknar.`)).toBeVisible();
  // Four radios per row, each with an id of its own.
  expect(await duplicateIds(page)).toEqual([]);

  // "Alla närvarande" fills in; nothing is stored until the lead saves.
  const fill = page.getByRole("button", { name: /^Alla närvarande/ });
  await expect(fill).toHaveText(`Alla närvarande (${count} omarkerade)`);
  await fill.click();
  await expect(page.getByRole("status")).toHaveText(
    `${count} deltagare är ifyllda som närvarande men inte sparade. Ändra dem som inte var där och tryck på Spara närvaro.`,
  );
  await expect(fill).toHaveCount(0);
  await expect(page.getByText(`0 av ${count} deltagare har registrerad närvaro`)).toBeVisible();
  expect((await sheet(page)).every((r) => r.status === "Närvarande")).toBe(true);

  const absent = before[2].name;
  await row(page, absent).getByRole("radio", { name: "Frånvarande" }).check();
  await page.getByRole("button", { name: "Spara närvaro" }).click();
  await expect(page.getByRole("status")).toHaveText(`Närvaron är sparad för ${count} deltagare.`);
  await expect(page.locator(".alert--error")).toHaveCount(0);
  // An absent participant is stored with 0 hours: an empty field.
  const expected = before.map((r) => (r.name === absent ? { ...r, status: "Frånvarande", hours: "" } : { ...r, status: "Närvarande" }));
  expect(await sheet(page)).toEqual(expected);

  await page.reload();
  await expect(page.getByText(`${count} av ${count} deltagare har registrerad närvaro.`)).toBeVisible();
  expect(await sheet(page)).toEqual(expected);
  expect(await duplicateIds(page)).toEqual([]);

  // A second change on the page the save left behind: a late arrival and a valid absence, with a reason.
  const late = before[0].name;
  const excused = before[5].name;
  await row(page, absent).getByRole("radio", { name: "Sen ankomst" }).check();
  await row(page, absent).getByLabel(`Timmar för ${absent}`).fill("1,5");
  await row(page, excused).getByRole("radio", { name: "Giltig frånvaro" }).check();
  await page.getByLabel(/^Anledning till ändring/).fill("Rättat efter lunch");
  await page.getByRole("button", { name: "Spara närvaro" }).click();
  await expect(page.getByRole("status")).toHaveText("Närvaron är sparad för 2 deltagare.");
  await expect(page.locator(".alert--error")).toHaveCount(0);
  const second = expected.map((r) =>
    r.name === absent ? { ...r, status: "Sen ankomst", hours: "1,5" } : r.name === excused ? { ...r, status: "Giltig frånvaro", hours: "" } : r,
  );
  expect(await sheet(page)).toEqual(second);
  // The page's inputs are those of the new version: one more save is taken, not refused as someone else's change.
  await row(page, late).getByRole("radio", { name: "Sen ankomst" }).check();
  await row(page, late).getByLabel(`Timmar för ${late}`).fill("2,75");
  await page.getByRole("button", { name: "Spara närvaro" }).click();
  await expect(page.getByRole("status")).toHaveText("Närvaron är sparad för 1 deltagare.");
  const third = second.map((r) => (r.name === late ? { ...r, status: "Sen ankomst", hours: "2,75" } : r));

  await page.reload();
  expect(await sheet(page)).toEqual(third);
  const corrections = page.getByRole("table", { name: "Rättelser av närvaron, senaste först" });
  await expect(corrections.getByRole("row")).toHaveCount(4);
  await expect(corrections.getByRole("row", { name: new RegExp(absent) })).toContainText("Rättat efter lunch");
});

test("attendance: a save refused because someone else saved first shows what is stored, and the redone change is kept", async ({ traineeLeadPage: first, pageAs }) => {
  const second = await pageAs(accounts.traineeLead);
  const sessionId = await planSessionToday(first, TRAINEE_COHORT, "Två flikar", ANEBY);
  await openSheet(first, sessionId);
  await openSheet(second, sessionId);
  const names = (await sheet(first)).map((r) => r.name);

  await row(second, names[0]).getByRole("radio", { name: "Närvarande" }).check();
  await second.getByRole("button", { name: "Spara närvaro" }).click();
  await expect(second.getByRole("status")).toHaveText("Närvaron är sparad för 1 deltagare.");

  // The first tab still shows nobody marked, and marks the same participant absent.
  await row(first, names[0]).getByRole("radio", { name: "Frånvarande" }).check();
  await row(first, names[1]).getByRole("radio", { name: "Närvarande" }).check();
  await first.getByRole("button", { name: "Spara närvaro" }).click();
  await expect(first.getByRole("alert").filter({ hasText: /./ })).toHaveText(
    "Någon annan har ändrat närvaron medan du hade sidan öppen, så inget sparades. Sidan visar nu det som är sparat: gör om dina ändringar och spara igen.",
  );
  await expect(first.getByText("Närvaron är sparad")).toHaveCount(0);
  // Once the page has read the stored sheet again, it shows the other tab's save, not this tab's refused choices.
  await expect.poll(async () => (await sheet(first)).slice(0, 2).map((r) => r.status)).toEqual(["Närvarande", null]);

  await row(first, names[0]).getByRole("radio", { name: "Frånvarande" }).check();
  await row(first, names[1]).getByRole("radio", { name: "Närvarande" }).check();
  await first.getByRole("button", { name: "Spara närvaro" }).click();
  await expect(first.getByRole("status")).toHaveText("Närvaron är sparad för 2 deltagare.");
  await expect(first.locator(".alert--error")).toHaveCount(0);

  await first.reload();
  const rows = await sheet(first);
  expect(rows.slice(0, 2).map((r) => r.status)).toEqual(["Frånvarande", "Närvarande"]);
  expect(rows.slice(2).every((r) => r.status === null)).toBe(true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("attendance: 'Alla närvarande' saves at once and says so", async ({ traineeLeadPage: page }) => {
    const sessionId = await planSessionToday(page, TRAINEE_COHORT, "Utan JavaScript", ANEBY);
    await openSheet(page, sessionId);
    const names = (await sheet(page)).map((r) => r.name);
    const count = names.length;

    await row(page, names[1]).getByRole("radio", { name: "Frånvarande" }).check();
    await page.getByRole("button", { name: "Alla närvarande (sparar alla omarkerade som närvarande)" }).click();
    await expect(page.getByRole("status")).toHaveText(`Närvaron är sparad för ${count} deltagare. Alla som saknade närvaro sparades som närvarande.`);

    await page.reload();
    await expect(page.getByText(`${count} av ${count} deltagare har registrerad närvaro.`)).toBeVisible();
    const rows = await sheet(page);
    expect(rows.map((r) => r.status)).toEqual(names.map((_, i) => (i === 1 ? "Frånvarande" : "Närvarande")));

    await row(page, names[1]).getByRole("radio", { name: "Närvarande" }).check();
    await page.getByRole("button", { name: "Spara närvaro" }).click();
    await expect(page.getByRole("status")).toHaveText("Närvaron är sparad för 1 deltagare.");
    await page.reload();
    const after = await sheet(page);
    expect(after.every((r) => r.status === "Närvarande")).toBe(true);
    // Marked present again, with the session's hours, not the 0 of the absence.
    expect(after[1].hours).toBe(after[0].hours);
  });
});
