/**
 * The coach's job (issue 16, ADR 036): a participant shares their 360 report
 * with the programme's coach, the coach reads it in a browser of their own,
 * the participant stops sharing, and the coach gets the made-up id's 404.
 * Every step is checked again after a reload.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { accounts, expect, test } from "./fixtures";

async function noAxeViolationsAtBothWidths(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${name} ${width}: ${v.id}: ${v.help}`)).toEqual([]);
    await page.screenshot({ path: `/tmp/effects-shots/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("a participant shares the 360 report with the coach, the coach reads it in another browser, the participant revokes and the coach gets 404", async ({ pageAs }) => {
  // Axe at two widths on four pages and two browsers: slow on a shared machine.
  test.setTimeout(150_000);
  const coach = await pageAs(accounts.coach);
  const trainee = await pageAs(accounts.trainee);

  // The coach's start page lists what is shared with them: the demo's Omgång 1 report, not the trainee's.
  await coach.goto("/");
  const sharedOnStart = coach.getByRole("region", { name: "360-rapporter som delats med dig" });
  await expect(sharedOnStart.getByRole("link", { name: /uppföljning/ })).toHaveCount(1);
  await expect(coach.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Delade rapporter" })).toBeVisible();
  await noAxeViolationsAtBothWidths(coach, "coach-start");

  // The participant shares their first round's report with the coach.
  await trainee.goto("/aterkoppling");
  await trainee.getByRole("link", { name: /Första rundan/ }).first().click();
  await expect(trainee.getByRole("heading", { level: 1 })).toContainText("Första rundan");
  const subjectId = /\/aterkoppling\/(\d+)/.exec(trainee.url())![1];
  await trainee.getByLabel("Dela med").selectOption({ label: "Cecilia Coach (coach)" });
  await trainee.getByRole("button", { name: "Dela rapporten" }).click();
  await expect(trainee.getByRole("status")).toContainText("Rapporten är delad.");
  await trainee.reload();
  await expect(trainee.getByText("Delad med Cecilia Coach")).toBeVisible();
  await noAxeViolationsAtBothWidths(trainee, "participant-share");

  // The coach finds it under Delade rapporter, in their own browser, and reads it.
  await coach.getByRole("link", { name: "Delade rapporter" }).first().click();
  await expect(coach.getByRole("heading", { level: 1, name: "Delade rapporter" })).toBeVisible();
  await coach.reload();
  const link = coach.locator(`a[href="/aterkoppling/${subjectId}/rapport"]`);
  await expect(link).toContainText("första rundan");
  await noAxeViolationsAtBothWidths(coach, "coach-shared-reports");
  await link.click();
  await expect(coach.getByRole("heading", { level: 1 })).toContainText("360-rapport:");
  await expect(coach.getByText("Deltagaren har delat rapporten med dig. Att du läser den loggas.")).toBeVisible();
  await coach.reload();
  await expect(coach.getByRole("heading", { level: 2, name: "Per dimension" })).toBeVisible();
  await noAxeViolationsAtBothWidths(coach, "coach-report");

  // The participant stops sharing; after a reload the share is gone.
  await trainee.getByRole("button", { name: "Sluta dela med Cecilia Coach" }).click();
  await expect(trainee.getByRole("status")).toContainText("Rapporten delas inte längre.");
  await trainee.reload();
  await expect(trainee.getByText("Delad med Cecilia Coach")).toHaveCount(0);

  // The coach's next look is the made-up id's 404, and the report is gone from the list.
  const gone = await coach.reload();
  expect(gone?.status()).toBe(404);
  await expect(coach.getByRole("heading", { level: 1, name: "Sidan finns inte" })).toBeVisible();
  await coach.goto("/delade-rapporter");
  await expect(coach.locator(`a[href="/aterkoppling/${subjectId}/rapport"]`)).toHaveCount(0);
});
