import fs from "node:fs";
import path from "node:path";
import { accounts, expect, test } from "./fixtures";

/** Folder the e2e server writes e-mail to (see playwright.config.ts and tests/e2e/server.ts). */
const mailDir = process.env.E2E_MAIL_DIR!;

/** The readable text of an .eml file (its body is quoted-printable UTF-8). */
function readEml(file: string): string {
  const raw = fs.readFileSync(file, "latin1").replace(/=\r?\n/g, "");
  return Buffer.from(raw.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8");
}

function mailTo(address: string): string[] {
  if (!fs.existsSync(mailDir)) return [];
  return fs
    .readdirSync(mailDir)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => readEml(path.join(mailDir, f)))
    .filter((text) => text.includes(`To: ${address}`));
}

test.describe.configure({ mode: "serial" });

test("a trainee sees the next session first, subscribes, and hears when the lead moves it", async ({ traineePage: trainee, leadPage: lead, portalDb }) => {
  expect(mailDir, "E2E_MAIL_DIR is set by playwright.config.ts").toBeTruthy();

  // The start page's next session is the first one in the schedule.
  await trainee.goto("/");
  const nextOnStartPage = await trainee.locator(".next-session__title").innerText();
  await trainee.getByRole("link", { name: "Mitt schema" }).click();
  await expect(trainee.getByRole("heading", { level: 1, name: "Mitt schema" })).toBeVisible();
  const upcoming = trainee.locator('section[aria-labelledby="upcoming-heading"] .schedule-item');
  await expect(upcoming.first()).toBeVisible();
  const firstLink = upcoming.first().getByRole("link").first();
  const title = await firstLink.innerText();
  expect(title).toBe(nextOnStartPage);
  const sessionPath = await firstLink.getAttribute("href");
  expect(sessionPath).toMatch(/^\/trafar\/\d+$/);
  await expect(upcoming.first()).not.toContainText("Flyttad");

  // The subscription link, shown once when the address is made: webcal:// to the personal feed; the same address over http(s) is an iCalendar file.
  await trainee.getByRole("button", { name: /^Skapa (ny )?adress$/ }).click();
  const subscribe = trainee.getByRole("link", { name: "Prenumerera i kalendern" });
  await expect(trainee.getByLabel("Adress att klistra in i kalenderprogrammet")).toHaveValue(/\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
  const href = (await subscribe.getAttribute("href"))!;
  expect(href).toMatch(/^webcal:\/\/[^/]+\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
  const download = trainee.getByRole("link", { name: "Ladda ner .ics-fil" });
  expect(await download.getAttribute("href")).toBe(href.replace(/^webcal:/, "http:"));
  const feed = await trainee.request.get(new URL(href.replace(/^webcal:/, "https:")).pathname);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toMatch(/^text\/calendar/);
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");

  // The programme lead moves that session a week later, through the form.
  await lead.goto(sessionPath!);
  await expect(lead.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await lead.getByRole("link", { name: "Ändra eller flytta" }).click();
  const dateField = lead.getByLabel("Datum", { exact: true });
  const oldDate = await dateField.inputValue();
  const newDate = new Date(Date.parse(`${oldDate}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  await dateField.fill(newDate);
  await lead.getByLabel("Slutdatum (valfritt)").fill(newDate);
  await lead.getByRole("button", { name: "Spara ändringarna" }).click();
  await expect(lead.getByText("Ändringarna är sparade.")).toBeVisible();
  await expect(lead.locator('section[aria-labelledby="history-heading"]')).toContainText("Flyttad från");

  // The trainee's schedule says what changed, and the start page has a notice until it is marked seen.
  await trainee.goto("/schema");
  const moved = trainee.locator(".schedule-item", { has: trainee.getByRole("link", { name: title, exact: true }) }).first();
  await expect(moved).toContainText("Flyttad från");
  await trainee.goto("/");
  const notice = trainee.locator("#notiser + ul li").filter({ hasText: title }).first();
  await expect(notice).toContainText("flyttad");
  await notice.getByRole("button", { name: "Markera som läst" }).click();
  await expect(trainee.locator("#notiser + ul li").filter({ hasText: `${title}” är flyttad` })).toHaveCount(0);

  // The e-mail goes to the address in the participant register (ADR 031), and the worker wrote it to the outbox folder.
  const { email: registerAddress } = await portalDb
    .selectFrom("participants as p")
    .innerJoin("role_grants as g", "g.participant_id", "p.id")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select("p.email")
    .where("u.email", "=", accounts.trainee)
    .executeTakeFirstOrThrow();
  await expect
    .poll(() => mailTo(registerAddress).filter((m) => m.includes("är flyttad från") && m.includes(title)).length, { timeout: 15_000 })
    .toBe(1);
});
