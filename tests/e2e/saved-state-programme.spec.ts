/**
 * Saved-state journeys for a programme lead's forms: unit costs and rules,
 * retention, the programme, a cohort and its seats, a session. Change, save,
 * reload, check what is stored; again. They work on the regional trainee
 * programme (its lead is traineeledare), which no other browser test changes.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { stockholmToday } from "./saved-state";

const TRAINEE_PROGRAMME = 2;
const TRAINEE_COHORT = 3;

test("unit costs and rules: a new unit cost and changed rules are shown as stored after a reload, twice", async ({ traineeLeadPage: page }) => {
  await page.goto(`/program/${TRAINEE_PROGRAMME}/kostnader`);
  const costForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Spara timkostnad" }) });
  const costs = page.getByRole("table", { name: "Timkostnad per lönegrupp och år" });
  // A salary group and year of their own, so no co-financing figure another test reads changes.
  const row = costs.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "2031" }) }).filter({ hasText: "J9" });

  const setCost = async (kronor: string) => {
    await costForm.getByLabel("Lönegrupp").fill("J9");
    await costForm.getByLabel("År").fill("2031");
    await costForm.getByLabel("Kronor per timme").fill(kronor);
    await costForm.getByRole("button", { name: "Spara timkostnad" }).click();
    // No certified report of J9 2031: the cost applies from now on, and none keeps or gets it.
    await expect(page.getByRole("status")).toHaveText("Timkostnaden är sparad och gäller tidrapporter som attesteras från nu.");
    // Ready for the next unit cost, not holding the one just saved.
    await expect(costForm.getByLabel("Lönegrupp")).toHaveValue("");
    await expect(costForm.getByLabel("Kronor per timme")).toHaveValue("");
  };
  await setCost("412,50");
  await page.reload();
  await expect(row).toContainText("412,50");
  await setCost("430");
  await page.reload();
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("430,00");

  const rules = page.locator("form").filter({ has: page.getByRole("button", { name: "Spara regler" }) });
  const percent = rules.getByLabel("Krav för att fullfölja (procent av schemalagda timmar)");
  const rounding = rules.getByLabel("Avrundning av månadens timmar");
  const setRules = async (value: string, rule: string) => {
    await percent.fill(value);
    await rounding.selectOption({ label: rule });
    await rules.getByRole("button", { name: "Spara regler" }).click();
    await expect(page.getByRole("status")).toHaveText("Inställningarna är sparade.");
  };
  await setRules("75", "Halvtimmar, avrundat nedåt");
  await page.reload();
  await expect(percent).toHaveValue("75");
  await expect(rounding.locator("option:checked")).toHaveText("Halvtimmar, avrundat nedåt");
  await setRules("85", "Kvartar, avrundat nedåt");
  await expect(percent).toHaveValue("85");
  await page.reload();
  await expect(percent).toHaveValue("85");
  await expect(rounding.locator("option:checked")).toHaveText("Kvartar, avrundat nedåt");
});

test("retention: a changed period is shown as stored after a reload, twice", async ({ traineeLeadPage: page }) => {
  await page.goto(`/program/${TRAINEE_PROGRAMME}/gallring`);
  const months = page.getByLabel("Gallringsfrist i månader");
  for (const [value, shown] of [
    ["60", "5 år"],
    ["90", "7 år och 6 månader"],
  ]) {
    await months.fill(value);
    await page.getByRole("button", { name: "Spara gallringsfrist" }).click();
    await expect(page.getByRole("status")).toHaveText("Gallringsfristen är sparad.");
    await expect(months).toHaveValue(value);
    await page.reload();
    await expect(months).toHaveValue(value);
    await expect(page.getByText(shown, { exact: true })).toBeVisible();
  }
});

test("programme: a changed description and partner are shown as stored when the form is opened again, twice", async ({ traineeLeadPage: page }) => {
  const edit = `/program/${TRAINEE_PROGRAMME}/redigera`;
  const description = page.getByLabel("Beskrivning (valfri)");
  const hogsby = page.getByRole("group", { name: "Partnerkommuner" }).getByLabel("Högsby");

  for (const [text, partner] of [
    ["Rotation mellan kommunerna, med Högsby som gäst.", true],
    ["Rotation mellan kommunerna.", false],
  ] as const) {
    await page.goto(edit);
    await description.fill(text);
    await hogsby.setChecked(partner);
    await page.getByRole("button", { name: "Spara ändringar" }).click();
    await expect(page).toHaveURL(new RegExp(`/program/${TRAINEE_PROGRAMME}$`));
    // A fresh load of the form: what it shows now comes from the database.
    await page.goto(edit);
    await expect(description).toHaveValue(text);
    await expect(hogsby).toBeChecked({ checked: partner });
  }
});

/** The seats of a municipality in the cohort page's or the move page's seat table. */
async function seatsOf(page: Page, municipality: string): Promise<{ seats: string; free: string }> {
  const cells = page.getByRole("table", { name: /^Platser per kommun/ }).getByRole("row", { name: new RegExp(`^${municipality}`) }).getByRole("cell");
  return { seats: await cells.nth(0).innerText(), free: await cells.nth(5).innerText() };
}

test("cohort and seats: changed seats and two moves of seats are shown as stored after a reload", async ({ traineeLeadPage: page, testData }) => {
  // A cohort of this test's own (Aneby's one seat taken, as in the demo cohort), so the history of moves below is this test's alone.
  const cohort = await testData.cohort({ programme: "trainee", seats: { aneby: 1, eksjo: 2, savsjo: 2 } });
  const aneby1 = await testData.participant("aneby", { firstName: "Agnes", lastName: "Platsdotter" });
  await testData.enrol(cohort.id, aneby1.id, "aneby", { status: "accepted" });
  const edit = `/omgangar/${cohort.id}/redigera`;
  await page.goto(edit);
  const capacity = page.getByLabel("Platser totalt");
  const aneby = page.getByRole("group", { name: "Platser per kommun" }).getByLabel("Aneby", { exact: true });
  const startSeats = Number(await aneby.inputValue());
  const startCapacity = Number(await capacity.inputValue());

  await capacity.fill(String(startCapacity + 2));
  await aneby.fill(String(startSeats + 2));
  await page.getByRole("button", { name: "Spara ändringar" }).click();
  await expect(page).toHaveURL(new RegExp(`/omgangar/${cohort.id}$`));
  expect((await seatsOf(page, "Aneby")).seats).toBe(String(startSeats + 2));
  await page.goto(edit);
  await expect(capacity).toHaveValue(String(startCapacity + 2));
  await expect(aneby).toHaveValue(String(startSeats + 2));

  // Two moves of the new free seats, on the page the first move left behind.
  await page.goto(`/omgangar/${cohort.id}/platser`);
  const move = page.locator("form").filter({ has: page.getByRole("button", { name: "Flytta platser" }) });
  const moveSeats = async (from: string, to: string) => {
    const fromSelect = move.getByLabel("Från kommun");
    await fromSelect.selectOption((await fromSelect.locator("option", { hasText: new RegExp(`^${from} \\(`) }).getAttribute("value"))!);
    await move.getByLabel("Till kommun").selectOption({ label: to });
    await move.getByLabel("Antal platser").fill("1");
    await move.getByRole("button", { name: "Flytta platser" }).click();
    await expect(page.getByRole("status")).toHaveText("En plats flyttades.");
    // Ready for the next move, not holding this one.
    await expect(move.getByLabel("Från kommun")).toHaveValue("");
    await expect(move.getByLabel("Antal platser")).toHaveValue("");
  };
  const eksjo = Number((await seatsOf(page, "Eksjö")).seats);
  await moveSeats("Aneby", "Eksjö");
  await page.reload();
  expect(await seatsOf(page, "Aneby")).toEqual({ seats: String(startSeats + 1), free: "1" });
  expect((await seatsOf(page, "Eksjö")).seats).toBe(String(eksjo + 1));
  await moveSeats("Aneby", "Sävsjö");
  await page.reload();
  expect(await seatsOf(page, "Aneby")).toEqual({ seats: String(startSeats), free: "0" });
  await expect(page.getByRole("table", { name: "Tidigare flyttar av platser" }).getByRole("row")).toHaveCount(3);
});

test("session: a moved session is shown as stored when the form is opened again, twice", async ({ traineeLeadPage: page }) => {
  const inAMonth = new Date(`${stockholmToday()}T12:00:00Z`);
  inAMonth.setUTCDate(inAMonth.getUTCDate() + 30);
  const date = inAMonth.toISOString().slice(0, 10);
  const created = await page.request.post(`/omgangar/${TRAINEE_COHORT}/trafar/ny`, {
    form: { title: "Rotationsträff", kind: "natverkstraff", startDate: date, startTime: "09:00", endTime: "12:00", hostMunicipalityId: "1", venue: "Stadshuset", address: "Storgatan 1, Aneby" },
    maxRedirects: 0,
  });
  expect(created.status()).toBe(302);
  const sessionPath = created.headers().location!;

  for (const [start, venue] of [
    ["10:15", "Kulturhuset, sal 2"],
    ["13:00", "Biblioteket"],
  ]) {
    await page.goto(`${sessionPath}/redigera`);
    await page.getByLabel("Starttid").fill(start);
    await page.getByLabel("Sluttid").fill("15:45");
    await page.getByLabel("Lokal").fill(venue);
    await page.getByRole("button", { name: "Spara ändringarna" }).click();
    await expect(page.getByRole("status")).toHaveText("Ändringarna är sparade.");
    await expect(page.locator("dt:text-is('Plats') + dd")).toContainText(venue);
    await page.goto(`${sessionPath}/redigera`);
    await expect(page.getByLabel("Starttid")).toHaveValue(start);
    await expect(page.getByLabel("Sluttid")).toHaveValue("15:45");
    await expect(page.getByLabel("Lokal")).toHaveValue(venue);
  }
});
