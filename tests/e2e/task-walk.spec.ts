/**
 * The top tasks walked from each role's start page after login,
 * counting page loads (each navigation or form post) and interactions (each
 * click, choice or typed field), asserting the stored result after a reload,
 * and printing the counts. Only the tasks that exist today are walked.
 */
import type { Page } from "@playwright/test";
import { accounts, expect, loginAs, test } from "./fixtures";

class Walk {
  loads = 0;
  interactions = 0;
  constructor(readonly page: Page) {}
  /** A click that loads a page (a link or a form's submit button). */
  async go(action: () => Promise<unknown>, waitFor: RegExp) {
    this.interactions++;
    this.loads++;
    await action();
    await this.page.waitForURL(waitFor);
  }
  /** A click, choice or typed field that stays on the page. */
  async act(action: () => Promise<unknown>) {
    this.interactions++;
    await action();
  }
  report(task: string) {
    console.log(`task walk: ${task}: ${this.loads} page loads, ${this.interactions} interactions`);
    expect(this.loads).toBeLessThanOrEqual(4);
    expect(this.interactions).toBeLessThanOrEqual(10);
  }
}

test("task walk: the coordinator nominates a participant to a cohort with seats left, from the start page", async ({ page }) => {
  await loginAs(page, accounts.coordinator("vimmerby"));
  await page.goto("/");
  const walk = new Walk(page);
  await walk.go(() => page.getByRole("link", { name: /platser kvar att fylla/ }).first().click(), /\/omgangar\/\d+/);
  const select = page.getByLabel("Deltagare att anmäla");
  const chosen = (await select.locator("option").nth(1).innerText()).trim();
  await walk.act(() => select.selectOption({ index: 1 }));
  await walk.go(() => page.getByRole("button", { name: "Anmäl" }).click(), /\/omgangar\/\d+/);
  await page.reload();
  await expect(page.getByRole("row", { name: new RegExp(chosen.split(" (")[0]) })).toBeVisible();
  walk.report("nominate a participant");
});

test("task walk: the trainee subscribes to the schedule from the start page", async ({ page }) => {
  await loginAs(page, accounts.trainee);
  await page.goto("/");
  const walk = new Walk(page);
  // Another test may have made the trainee's address first: then the start page links to where a new one is made.
  const subscribe = page.getByRole("button", { name: "Prenumerera på schemat" });
  if (await subscribe.count()) await walk.go(() => subscribe.click(), /\/schema$/);
  else {
    await walk.go(() => page.getByRole("link", { name: "Skapa en ny adress" }).click(), /\/schema/);
    await walk.go(() => page.getByRole("button", { name: "Skapa ny adress" }).click(), /\/schema/);
  }
  await expect(page.getByRole("link", { name: "Prenumerera i kalendern" })).toHaveAttribute("href", /^webcal:\/\//);
  await walk.act(() => page.getByRole("button", { name: "Kopiera" }).click());
  await page.goto("/");
  await expect(page.getByText(/Du prenumererar på schemat sedan/)).toBeVisible();
  walk.report("subscribe to the schedule");
});

test("task walk: the funder downloads the programme's Excel from the start page", async ({ page }) => {
  await loginAs(page, accounts.funder);
  await page.goto("/");
  const walk = new Walk(page);
  const download = page.waitForEvent("download");
  await walk.act(() => page.getByRole("link", { name: /Ladda ner Excel/ }).first().click());
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  walk.report("download the funder's Excel");
});
