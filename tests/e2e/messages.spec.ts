/**
 * Issue 15's message pages as people see them: the message form (empty and
 * refused), its history, the trainee's notice and reminder setting, at phone
 * and desktop widths; axe finds nothing in any of these states. Screenshots
 * go to test-results/messages/ for a person to look at.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createUser } from "../../db/seed/factories";
import { accounts, DEMO_PASSWORD, expect, test } from "./fixtures";

async function looked(page: Page, name: string, width: number) {
  await page.screenshot({ path: `test-results/messages/${name}-${width}.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${name}: ${v.id} ${v.help}`)).toEqual([]);
}

for (const width of [375, 1280]) {
  test(`the message form, its refusal and history, and the trainee's notice and reminder setting read well (${width} px)`, async ({ pageAs, testData, portalDb }) => {
    test.setTimeout(180_000);
    const cohort = await testData.cohort({ seats: { vimmerby: 3, hultsfred: 2 } });
    const maja = await testData.participant("vimmerby", { firstName: "Maja", lastName: "Meddelande" });
    const nils = await testData.participant("hultsfred", { firstName: "Nils", lastName: "Utaninlogg" });
    await testData.enrol(cohort.id, maja.id, "vimmerby", { status: "active", startedOn: testData.today });
    await testData.enrol(cohort.id, nils.id, "hultsfred", { status: "active", startedOn: testData.today });
    const traineeEmail = `maja.${testData.tag}${width}@vimmerby.example`;
    await createUser(portalDb, { email: traineeEmail, name: "Maja Meddelande", password: DEMO_PASSWORD, grants: [{ role: "participant", municipalityId: await testData.municipalityId("vimmerby"), participantId: maja.id }] });

    const lead = await pageAs(accounts.lead);
    await lead.setViewportSize({ width, height: 900 });
    await lead.goto(`/omgangar/${cohort.id}/meddelanden`);
    await expect(lead.getByText("1 deltagare saknar inloggning och får bara e-posten.", { exact: false })).toBeVisible();
    await lead.getByRole("button", { name: "Skicka meddelandet" }).click();
    await expect(lead.getByText("Skriv en rubrik.")).toBeVisible();
    await looked(lead, "form-refused", width);
    await lead.getByLabel("Rubrik").fill("Ny lokal på torsdag");
    await lead.getByLabel("Meddelande", { exact: true }).fill("Vi ses i Rådhuset, sal Ekén, i stället för Stadshuset.\nTa med datorn och handlingsplanen.");
    await lead.getByRole("button", { name: "Skicka meddelandet" }).click();
    await expect(lead.getByRole("status")).toHaveText("Meddelandet är skickat till 2 deltagare.");
    await lead.reload();
    await expect(lead.getByRole("heading", { name: "Ny lokal på torsdag" })).toBeVisible();
    await looked(lead, "form-and-history", width);

    const trainee = await pageAs(traineeEmail);
    await trainee.setViewportSize({ width, height: 900 });
    await trainee.goto("/");
    await expect(trainee.getByRole("region", { name: "Nytt sedan du var här" })).toContainText("Ny lokal på torsdag");
    await looked(trainee, "trainee-notice", width);
    await trainee.goto("/schema");
    await trainee.getByRole("button", { name: "Stäng av påminnelser" }).click();
    await expect(trainee.getByRole("region", { name: "Påminnelser med e-post" }).getByRole("status")).toHaveText("Sparat: du får inga påminnelser.");
    await trainee.reload();
    await expect(trainee.getByRole("button", { name: "Slå på påminnelser" })).toBeVisible();
    await trainee.locator("#paminnelser").scrollIntoViewIfNeeded();
    await looked(trainee, "trainee-reminders", width);
  });
}
