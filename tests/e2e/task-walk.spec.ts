/**
 * The top tasks walked from each role's start page after login,
 * counting page loads (each navigation or form post) and interactions (each
 * click, choice or typed field), asserting the stored result after a reload,
 * and printing the counts. Only the tasks that exist today are walked.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { createUser } from "../../db/seed/factories";
import { accounts, DEMO_PASSWORD, expect, loginAs, test } from "./fixtures";

// A walk is several page loads, and some look at the page with axe twice: more than the default timeout on a busy machine.
test.describe.configure({ timeout: 120_000 });

/**
 * The state a walk reached, looked at: axe finds no WCAG 2.1 AA violation,
 * and a full-page screenshot at phone and desktop width lands in the test's
 * output folder for a person to open.
 */
async function lookAt(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${name} (${width} px): ${v.id} ${v.help}`)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
}

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

test("task walk: the coordinator nominates a participant to a cohort with seats left, from the start page", async ({ page, testData }) => {
  const town = await testData.municipality();
  await testData.cohort({ seats: { [town.slug]: 2 } });
  const person = await testData.participant(town.slug, { firstName: "Nora", lastName: "Nominerad" });
  const name = `${person.firstName} ${person.lastName}`;
  await loginAs(page, town.coordinatorEmail);
  await page.goto("/");
  const walk = new Walk(page);
  await walk.go(() => page.getByRole("link", { name: /kvar att fylla/ }).first().click(), /\/omgangar\/\d+/);
  await walk.act(() => page.getByRole("checkbox", { name }).check());
  await walk.go(() => page.getByRole("button", { name: "Granska anmälan" }).click(), /\/omgangar\/\d+/);
  await expect(page.getByRole("heading", { name: "Så här blir anmälan" })).toBeVisible();
  await walk.go(() => page.getByRole("button", { name: `Anmäl ${name}` }).click(), /meddelande=anmald/);
  await page.reload();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Anmäld");
  walk.report("nominate a participant");
});

test("task walk: the coordinator nominates five at once, told before saving who gets a seat and who waits", async ({ page, testData }, testInfo) => {
  const town = await testData.municipality();
  await testData.cohort({ seats: { [town.slug]: 3 } });
  const people = [];
  for (const firstName of ["Alva", "Bruno", "Cleo", "Dante", "Elin"]) people.push(await testData.participant(town.slug, { firstName, lastName: "Fem" }));
  const names = people.map((p) => `${p.firstName} ${p.lastName}`);
  await loginAs(page, town.coordinatorEmail);
  await page.goto("/");
  const walk = new Walk(page);
  await walk.go(() => page.getByRole("link", { name: /kvar att fylla/ }).first().click(), /\/omgangar\/\d+/);
  for (const name of names) await walk.act(() => page.getByRole("checkbox", { name }).check());
  await walk.go(() => page.getByRole("button", { name: "Granska anmälan" }).click(), /\/omgangar\/\d+/);
  const plan = page.getByRole("form", { name: "Så här blir anmälan" });
  await expect(plan.getByRole("status")).toHaveText(/3 deltagare får en plats .* 2 deltagare hamnar på kommunens väntelista\. Inget är sparat ännu\./);
  await expect(plan.getByRole("listitem")).toHaveText([...names.slice(0, 3), `${names[3]}, plats 1 i kön`, `${names[4]}, plats 2 i kön`]);
  await lookAt(page, testInfo, "nominate-preview");
  await walk.go(() => plan.getByRole("button", { name: "Anmäl 5 deltagare" }).click(), /meddelande=anmalda/);
  await page.reload();
  for (const name of names.slice(0, 3)) await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Anmäld");
  for (const name of names.slice(3)) await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("På väntelista");
  await lookAt(page, testInfo, "nominate-saved");
  walk.report("nominate five at once");
});

test("task walk: the coordinator attests a month's confirmed reports in one action, from the start page", async ({ page, testData }, testInfo) => {
  const town = await testData.municipality();
  const { month, names } = await testData.confirmedMonth(town.slug, 3);
  await loginAs(page, town.coordinatorEmail);
  await page.goto("/");
  const walk = new Walk(page);
  await walk.go(() => page.getByRole("link", { name: /att attestera/ }).first().click(), new RegExp(`/tidrapporter\\?manad=${month}`));
  await lookAt(page, testInfo, "certify-month");
  await walk.go(() => page.getByRole("button", { name: "Attestera alla 3" }).click(), /attesterade=3/);
  await expect(page.getByRole("status").filter({ hasText: "3 tidrapporter är attesterade och låsta." })).toBeVisible();
  await page.goto(`/tidrapporter?manad=${month}`);
  for (const name of names) await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Attesterad");
  walk.report("attest a month's reports");
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

test("the coordinator nominates from the participant's own page, told the seats left before choosing", async ({ page, testData }, testInfo) => {
  const town = await testData.municipality();
  const cohort = await testData.cohort({ seats: { [town.slug]: 1 } });
  const person = await testData.participant(town.slug, { firstName: "Paula", lastName: "Egensida" });
  await loginAs(page, town.coordinatorEmail);
  await page.goto(`/deltagare/${person.id}`);
  const select = page.getByLabel("Omgång", { exact: true });
  await expect(select.locator("option", { hasText: cohort.name })).toHaveText(new RegExp(`${cohort.name} \\(startar .*\\): 1 ledig plats`));
  await lookAt(page, testInfo, "participant-nominate");
  await select.selectOption({ label: (await select.locator("option", { hasText: cohort.name }).innerText()).trim() });
  await page.getByRole("button", { name: "Anmäl", exact: true }).click();
  await page.waitForURL(/sparad=anmald/);
  await page.reload();
  await expect(page.getByRole("row", { name: new RegExp(cohort.name) })).toContainText("Anmäld");
});

test("task walk: the programme lead takes attendance with one absence, from the start page", async ({ page, testData }) => {
  const session = await testData.sessionToday(2, "Närvaro från start", "eksjo");
  await loginAs(page, accounts.lead);
  await page.goto("/");
  const walk = new Walk(page);
  await walk.go(() => page.getByRole("link", { name: `Ta närvaro för ${session.title}` }).click(), /\/trafar\/\d+\/narvaro/);
  const rows = page.locator(".attendance-row");
  const absent = (await rows.nth(3).locator("legend").innerText()).split(",")[0];
  await walk.act(() => page.getByRole("button", { name: /^Alla närvarande/ }).click());
  await walk.act(() => rows.nth(3).getByRole("radio", { name: "Frånvarande" }).check());
  await walk.go(() => page.getByRole("button", { name: "Spara närvaro" }).click(), /sparat=/);
  await page.reload();
  await expect(page.getByText(/^(\d+) av \1 deltagare har registrerad närvaro\.$/)).toBeVisible();
  const absentRow = rows.filter({ has: page.locator("legend", { hasText: absent }) });
  await expect(absentRow.getByRole("radio", { name: "Frånvarande" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "Frånvarande", checked: true })).toHaveCount(
    // The demo's own absences in this session: none, it is this test's.
    1,
  );
  walk.report("take attendance with one absence");
});

test("task walk: the coordinator sends a message to a cohort from the start page, and the trainee sees it", async ({ page, testData, pageAs, portalDb }) => {
  // Two browsers and the walk's own data: more than the default 30 s on a loaded machine.
  test.setTimeout(120_000);
  const cohort = await testData.cohort({ seats: { vimmerby: 3 } });
  const withLogin = await testData.participant("vimmerby", { firstName: "Maja", lastName: "Meddelande" });
  const withoutLogin = await testData.participant("vimmerby", { firstName: "Nils", lastName: "Utaninlogg" });
  for (const p of [withLogin, withoutLogin]) await testData.enrol(cohort.id, p.id, "vimmerby", { status: "active", startedOn: testData.today });
  const traineeEmail = `maja.${testData.tag}@vimmerby.example`;
  await createUser(portalDb, { email: traineeEmail, name: "Maja Meddelande", password: DEMO_PASSWORD, grants: [{ role: "participant", municipalityId: await testData.municipalityId("vimmerby"), participantId: withLogin.id }] });
  const subject = `Inför första träffen ${testData.tag}`;

  await loginAs(page, accounts.coordinator("vimmerby"));
  await page.goto("/");
  const walk = new Walk(page);
  await walk.go(() => page.getByRole("listitem").filter({ hasText: cohort.name }).getByRole("link").first().click(), /\/omgangar\/\d+/);
  await walk.go(() => page.getByRole("link", { name: "Meddelanden" }).click(), /\/meddelanden$/);
  await walk.act(() => page.getByLabel("Rubrik").fill(subject));
  await walk.act(() => page.getByLabel("Meddelande", { exact: true }).fill("Ta med datorn.\nVi ses i Stadshuset!"));
  await walk.go(() => page.getByRole("button", { name: "Skicka meddelandet" }).click(), /skickat=2/);
  await expect(page.getByRole("status")).toHaveText("Meddelandet är skickat till 2 deltagare.");
  await page.reload();
  const sent = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: subject }) });
  await expect(sent).toContainText("till 2 deltagare");
  // Both have it in the outbox: the one without a login by e-mail only.
  const mails = await portalDb.selectFrom("mail_outbox").select("recipient_participant_id").where("subject", "=", `${subject} – Programportalen`).execute();
  expect(mails.map((m) => m.recipient_participant_id).sort()).toEqual([withLogin.id, withoutLogin.id].sort());

  const trainee = await pageAs(traineeEmail);
  walk.loads++;
  await trainee.goto("/");
  const notice = trainee.getByRole("region", { name: "Nytt sedan du var här" }).getByRole("listitem").filter({ hasText: subject });
  await expect(notice).toContainText("Vi ses i Stadshuset!");
  walk.report("send a message to a cohort and see it as the trainee");
});
