/**
 * The main flows with the keyboard alone: Tab, Shift+Tab, Enter, Space, arrow
 * keys and typing. No clicks and no fill(): locators only ask what has focus
 * and what the page shows. Each Tab that should land on the next field is
 * checked, so the focus order is tested too.
 */
import type { Page } from "@playwright/test";
import { accounts, expect, test } from "./fixtures";
import { chooseOption, isFocused, tabToElement, tabUntil, typeOver } from "./keyboard-helpers";

const menu = (page: Page) => page.getByRole("navigation", { name: "Huvudmeny" });

/** Tab once and check that focus went to `label`'s field: the form's order is the reading order. */
async function tabToNext(page: Page, label: string) {
  await page.keyboard.press("Tab");
  await expect(page.getByLabel(label, { exact: true })).toBeFocused();
}

test("the Hultsfred coordinator adds a participant with the keyboard", async ({ coordinatorPage: page, testData }) => {
  const unique = testData.tag;
  await page.goto("/");

  await tabToElement(page, menu(page).getByRole("link", { name: "Deltagare" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Deltagare" })).toBeVisible();
  await tabToElement(page, page.getByRole("link", { name: "Lägg till deltagare" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Lägg till deltagare" })).toBeVisible();

  await tabToElement(page, page.getByLabel("Förnamn", { exact: true }));
  await page.keyboard.type("Tangent");
  await tabToNext(page, "Efternamn");
  await page.keyboard.type("Tabbsson");
  await tabToNext(page, "E-postadress i tjänsten");
  await page.keyboard.type(`tangent.${unique}@hultsfred.example`);
  await tabToNext(page, "Förvaltning");
  await page.keyboard.type("Kultur- och fritidsförvaltningen");
  await tabToNext(page, "Befattning (frivilligt)");
  await tabToNext(page, "Kön");
  await chooseOption(page, page.getByLabel("Kön"), "Kvinna");
  await tabToNext(page, "Födelseår");
  await page.keyboard.type("19"); // too short: the form says so and puts focus on the field
  await tabToNext(page, "Personnummer (frivilligt)");
  await tabToNext(page, "Utbildningsnivå (frivilligt)");
  await chooseOption(page, page.getByLabel("Utbildningsnivå (frivilligt)"), "Eftergymnasial (ISCED 5–8)");
  await tabToNext(page, "Lönegrupp");
  await page.keyboard.type("2");
  await tabToNext(page, "Närmaste chef (frivilligt)");
  await page.keyboard.type("Karin Chefsson");
  await tabToNext(page, "Chefens e-postadress (frivilligt)");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Spara deltagare" })).toBeFocused();
  await page.keyboard.press("Space");

  const birthYear = page.getByLabel("Födelseår");
  await expect(birthYear).toBeFocused();
  await expect(birthYear).toHaveAttribute("aria-invalid", "true");
  await expect(birthYear).toHaveAccessibleDescription(/födelseår/i);
  await typeOver(page, "1991");
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { level: 1, name: "Tangent Tabbsson" })).toBeVisible();
  await expect(page.getByText("Deltagaren är sparad.")).toBeVisible();
  await expect(page.getByText("Kultur- och fritidsförvaltningen", { exact: true })).toBeVisible();
});

test("the demo trainee reaches the calendar subscription from Mitt schema with the keyboard", async ({ traineePage: page }) => {
  await page.goto("/");
  await tabToElement(page, menu(page).getByRole("link", { name: "Mitt schema" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Mitt schema" })).toBeVisible();

  // The in-page link moves the reading position to the calendar section: the next Tab is its subscription link.
  await tabToElement(page, page.getByRole("link", { name: "Få schemat i din kalender" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#kalender$/);
  await page.keyboard.press("Tab");
  // "Skapa adress", or "Skapa ny adress" when another test made one first.
  await expect(page.getByRole("button", { name: /^Skapa (ny )?adress$/ })).toBeFocused();
  await page.keyboard.press("Enter");
  const subscribe = page.getByRole("link", { name: "Prenumerera i kalendern" });
  // The new address is shown above the button, which keeps the focus.
  await tabToElement(page, subscribe, { backwards: true, max: 6 });
  await expect(subscribe).toBeFocused();
  await expect(subscribe).toHaveAttribute("href", /^webcal:\/\/[^/]+\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
  // Shift+Tab goes back the same way.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Ladda ner .ics-fil" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(subscribe).toBeFocused();
});

test("a trainee confirms last month's time report with the keyboard", async ({ page, pageAs }) => {
  // The demo trainee's last month is confirmed by attendance.spec.ts, which runs alongside; this test gives
  // another Hultsfred participant with an unconfirmed last month a login of their own (setup, not the flow).
  const coordinator = await pageAs(accounts.coordinator("hultsfred"));
  const list = await coordinator.request.get("/tidrapporter?status=draft&_data=routes%2Ftidrapporter._index");
  expect(list.status()).toBe(200);
  const { reports } = (await list.json()) as { reports: { participantId: number; participantName: string; minutes: number }[] };
  let login: { email: string; oneTimePassword: string } | null = null;
  let name = "";
  for (const report of reports.filter((r) => r.minutes > 0)) {
    const response = await coordinator.request.post(`/deltagare/${report.participantId}?_data=${encodeURIComponent("routes/deltagare.$participantId._index")}`, {
      form: { intent: "login" },
    });
    const body = (await response.json()) as { login?: { kind: string; email: string; oneTimePassword?: string } };
    if (body.login?.kind === "created" && body.login.oneTimePassword) {
      login = { email: body.login.email, oneTimePassword: body.login.oneTimePassword };
      name = report.participantName;
      break;
    }
  }
  await coordinator.close();
  expect(login, "a Hultsfred participant with an unconfirmed last month and no login").not.toBeNull();
  const response = await page.request.post("/login", { form: { email: login!.email, password: login!.oneTimePassword, redirectTo: "/" }, maxRedirects: 0 });
  expect(response.status()).toBe(302);
  // A one-time password is changed first (first-login.spec.ts walks through that page).
  const chosen = "tangentbordet klappar takt i vårregnet";
  const changed = await page.request.post("/konto", { form: { currentPassword: login!.oneTimePassword, newPassword: chosen, repeatPassword: chosen }, maxRedirects: 0 });
  expect(changed.status()).toBe(302);

  await page.goto("/");
  await tabToElement(page, menu(page).getByRole("link", { name: "Min tid" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Min tid" })).toBeVisible();
  await tabToElement(page, page.getByRole("link", { name: "Granska och bekräfta" }).first());
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: /^Tidrapport / })).toBeVisible();
  await expect(page.locator("dt:text-is('Deltagare') + dd")).toHaveText(name);

  const confirm = page.getByRole("button", { name: "Bekräfta tidrapporten" });
  await tabToElement(page, confirm);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Tidrapporten är bekräftad");
  await expect(page.locator("dt:text-is('Status') + dd")).toHaveText("Bekräftad av deltagaren");
  await expect(confirm).toHaveCount(0);
});

test("the programme lead takes attendance with the keyboard", async ({ leadPage: page, testData }) => {
  // A session of this test's own, held earlier today in Omgång 2: nobody else marks its sheet.
  const session = await testData.sessionToday(2, "Tangentbordsträff", "vetlanda");
  await page.goto(`/omgangar/2/narvarorapport?manad=${testData.today.slice(0, 7)}`);
  await expect(page.getByRole("heading", { level: 1, name: "Närvarorapport: Omgång 2" })).toBeVisible();
  await tabToElement(page, page.getByRole("link", { name: `${session.title}: ta närvaro` }), { max: 200 });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: /^Närvaro: / })).toBeVisible();

  // The first participant whose month is still open.
  const row = page.locator(".attendance-row").filter({ hasNot: page.getByText("låst") }).first();
  const name = (await row.locator("legend").innerText()).split(",")[0];
  const hours = row.getByLabel(`Timmar för ${name}`);
  const radios = row.getByRole("radio");

  // Tab lands in the row's radio group (on its checked option, or the first), and arrow keys choose.
  await tabUntil(page, `the status of ${name}`, () => radios.evaluateAll((els) => els.some((el) => el === document.activeElement)), 200);
  const lateArrival = row.getByRole("radio", { name: "Sen ankomst" });
  for (let i = 0; i < 4 && !(await isFocused(lateArrival)); i++) await page.keyboard.press("ArrowDown");
  await expect(lateArrival).toBeFocused();
  await expect(lateArrival).toBeChecked();

  // A late arrival opens the hours: Tab reaches their disclosure, then the field.
  await page.keyboard.press("Tab");
  await expect(row.getByText(`Timmar för ${name}`)).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(hours).toBeFocused();
  await typeOver(page, "2,25");

  // Through every row after it to the save button.
  await tabToElement(page, page.getByRole("button", { name: "Spara närvaro" }), { max: 250 });
  await page.keyboard.press("Enter");

  await expect(page.getByRole("status")).toHaveText("Närvaron är sparad för 1 deltagare.");
  await expect(lateArrival).toBeChecked();
  await expect(hours).toHaveValue("2,25");
});
