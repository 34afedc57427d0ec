import { totpCodeAt } from "../../app/auth/totp.server";
import { accounts, expect, loginAs, test } from "./fixtures";

/** A fresh coordinator of Aneby with a chosen password, made by the administrator (enrolling a demo account would change it for every other spec). */
async function newCoordinator(page: import("@playwright/test").Page, email: string, password: string): Promise<void> {
  const admin = await page.context().browser()!.newContext({ baseURL: test.info().project.use.baseURL });
  await loginAs(await admin.newPage(), accounts.admin);
  const created = await admin.request.post("/admin/anvandare/ny", { form: { name: "Tove Tvåsteg", email } });
  const oneTime = /Engångslösenord: <strong>([A-Za-z0-9-]{19})<\/strong>/.exec(await created.text())![1];
  const list = await admin.request.get("/admin/anvandare");
  const id = new RegExp(`href="/admin/anvandare/(\\d+)"[^>]*>[^<]*Tove Tvåsteg`).exec(await list.text())![1];
  await admin.request.post(`/admin/anvandare/${id}`, { form: { intent: "add-grant", role: "coordinator", municipalityId: "1" } });
  await admin.close();
  await loginAs(page, email, oneTime);
  const changed = await page.request.post("/konto", { form: { currentPassword: oneTime, newPassword: password, repeatPassword: password }, maxRedirects: 0 });
  expect(changed.status()).toBe(302);
}

test("two-factor journey: enrol, log out, log in with the code, reload and check", async ({ page }) => {
  const email = `tove.tvasteg.${Date.now()}@programportalen.test`;
  const password = "tranorna dansar vid hornborgasjön";
  await newCoordinator(page, email, password);

  await page.goto("/konto");
  await page.getByRole("button", { name: "Aktivera tvåstegsverifiering" }).click();
  await expect(page.getByRole("img", { name: /QR-kod/ })).toBeVisible();
  const secret = (await page.locator(".totp-secret").innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  if (process.env.SCREENSHOTS) await shoot(page, "konto-enrolment");
  await page.getByLabel("Koden som appen visar").fill(totpCodeAt(secret, Date.now()));
  await page.getByRole("button", { name: "Aktivera", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Tvåstegsverifiering är på" })).toBeVisible();
  await expect(page.locator(".recovery-codes li")).toHaveCount(10);
  await page.getByRole("link", { name: "Jag har sparat koderna, fortsätt" }).click();

  await page.getByRole("button", { name: "Logga ut" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord").fill(password);
  await page.getByRole("button", { name: "Logga in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tvåstegsverifiering" })).toBeVisible();
  await page.getByLabel("Kod").fill("000000");
  await page.getByRole("button", { name: "Logga in", exact: true }).click();
  await expect(page.getByText("Koden stämmer inte")).toBeVisible();
  if (process.env.SCREENSHOTS) await shoot(page, "tvastegskod");
  // The code of the next time step: the enrolment used the current one, and no step is accepted twice.
  await page.getByLabel("Kod").fill(totpCodeAt(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Logga in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Översikt" })).toBeVisible();

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Översikt" })).toBeVisible();
  await page.goto("/konto");
  await expect(page.getByText(/Tvåstegsverifiering är\s+på/)).toBeVisible();
  await expect(page.getByText(/Reservkoder kvar:\s*10\s+av 10/)).toBeVisible();
});

async function shoot(page: import("@playwright/test").Page, name: string) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}
