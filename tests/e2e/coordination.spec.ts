import type { Page } from "@playwright/test";
import { accounts, expect, test } from "./fixtures";

async function openCohort(page: Page, cohortName: string) {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Program" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Program" })).toBeVisible();
  await page.getByRole("link", { name: "Ledarutveckling över gränserna" }).click();
  await page.getByRole("link", { name: cohortName, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(cohortName) })).toBeVisible();
}

test("a Hultsfred coordinator adds and nominates a participant, the lead accepts her, Vimmerby sees only her name", async ({
  coordinatorPage: hultsfred,
  leadPage: lead,
  pageAs,
  testData,
}) => {
  const email = `maja.lindholm.${testData.tag}@hultsfred.example`;
  // A cohort of this test's own, with Omgång 3's seats for Hultsfred, so the seat count below is this test's alone.
  const cohort = await testData.cohort({ seats: { hultsfred: 5, vimmerby: 5 } });

  // The Hultsfred coordinator adds a new participant...
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

  // ...and nominates her to the upcoming cohort, where Hultsfred has free seats.
  await openCohort(hultsfred, cohort.name);
  await hultsfred.getByRole("checkbox", { name: "Maja Lindholm" }).check();
  await hultsfred.getByRole("button", { name: "Granska anmälan" }).click();
  await hultsfred.getByRole("button", { name: "Anmäl Maja Lindholm" }).click();
  await expect(hultsfred.getByRole("status")).toHaveText("Deltagaren är anmäld och väntar på programledarens beslut.");
  const ownRow = hultsfred.getByRole("row", { name: /Maja Lindholm/ });
  await expect(ownRow).toContainText("Anmäld");
  await expect(ownRow).toContainText(email);

  // The programme lead accepts her.
  await openCohort(lead, cohort.name);
  const leadRow = lead.getByRole("row", { name: /Maja Lindholm/ });
  await expect(leadRow).toContainText("Hultsfred");
  await leadRow.getByRole("button", { name: "Anta Maja Lindholm" }).click();
  await expect(lead.getByRole("status")).toHaveText("Anmälan är antagen.");
  await expect(lead.getByRole("row", { name: /Maja Lindholm/ })).toContainText("Antagen");
  await expect(lead.getByRole("row", { name: /Maja Lindholm/ })).toContainText(email);
  const hultsfredSeats = lead.getByRole("table", { name: /Platser per kommun/ }).getByRole("row", { name: /Hultsfred/ });
  await expect(hultsfredSeats.getByRole("cell")).toHaveText(["5", "0", "1", "0", "0", "4", "0"]);

  // The Vimmerby coordinator sees her name and municipality, nothing more.
  const vimmerby = await pageAs(accounts.coordinator("vimmerby"));
  await openCohort(vimmerby, cohort.name);
  const others = vimmerby.getByRole("table", { name: "Deltagare från andra kommuner" });
  await expect(others.getByRole("row", { name: /Maja Lindholm/ })).toHaveText(/Maja Lindholm\s*Hultsfred/);
  const html = await vimmerby.content();
  expect(html).not.toContain(email);
  expect(html).not.toContain("Socialsekreterare");
  const csv = await vimmerby.request.get(vimmerby.url() + "/deltagarlista.csv");
  expect(await csv.text()).not.toContain(email);
});

test("a nomination beyond the municipality's seats goes to the waiting list", async ({ pageAs, testData }) => {
  // Like Omgång 2 in the demo data, a cohort full for Vimmerby with one person waiting; its coordinator has participants in no cohort.
  const cohort = await testData.cohort({ seats: { vimmerby: 1 } });
  const seated = await testData.participant("vimmerby", { firstName: "Vera", lastName: "Platsson" });
  const waiting = await testData.participant("vimmerby", { firstName: "Vilma", lastName: "Köberg" });
  await testData.enrol(cohort.id, seated.id, "vimmerby", { status: "accepted" });
  await testData.enrol(cohort.id, waiting.id, "vimmerby", { status: "waitlisted", waitlistPosition: 1 });
  const page = await pageAs(accounts.coordinator("vimmerby"));
  await openCohort(page, cohort.name);
  const choice = page.locator("label.checkbox").filter({ has: page.locator('input[name="participantIds"]') }).first();
  const label = (await choice.innerText()).trim();
  await choice.locator("input").check();
  await page.getByRole("button", { name: "Granska anmälan" }).click();
  await page.getByRole("button", { name: `Anmäl ${label}` }).click();
  // Vimmerby already has one person waiting for Omgång 2.
  await expect(page.getByRole("status")).toHaveText("Kommunens platser är fulla. Deltagaren står på kommunens väntelista. Plats i kön: 2.");
  await expect(page.getByRole("row", { name: new RegExp(label) })).toContainText("På väntelista, nr 2");
});

test("a nomination without a participant is answered next to the field", async ({ coordinatorPage: page }) => {
  await openCohort(page, "Omgång 3");
  await page.getByRole("button", { name: "Granska anmälan" }).click();
  await expect(page.getByText("Välj minst en deltagare att anmäla.")).toBeVisible();
});
