import { accounts, expect, test } from "./fixtures";

const roles = [
  { email: accounts.admin, role: "Systemadministratör", heading: "Administration" },
  { email: accounts.lead, role: "Programledare", heading: "Att göra som programledare" },
  { email: accounts.coordinator("vimmerby"), role: "Kommunsamordnare", heading: "Vimmerby kommun" },
  { email: accounts.trainee, role: "Deltagare", heading: "Din nästa träff" },
  { email: accounts.funder, role: "Finansiär", heading: "Program du finansierar" },
];

for (const { email, role, heading } of roles) {
  test(`${role} logs in with the form and lands on their start page`, async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel("E-postadress").fill(email);
    await page.getByLabel("Lösenord").fill("portal-demo-2026");
    await page.getByRole("button", { name: "Logga in", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Översikt" })).toBeVisible();
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
    await expect(page.getByText(role, { exact: false }).first()).toBeVisible();
  });
}

test("a wrong password shows the one generic message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-postadress").fill(accounts.admin);
  await page.getByLabel("Lösenord").fill("inte-rätt-lösenord");
  await page.getByRole("button", { name: "Logga in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("Fel e-postadress eller lösenord.");
  await expect(page).toHaveURL(/\/login/);
});

test("a session cookie replayed after logout gets the login page", async ({ traineePage: page, context }) => {
  await page.goto("/");
  const cookies = await context.cookies();
  await page.getByRole("button", { name: "Logga ut" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await context.addCookies(cookies);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Logga in" })).toBeVisible();
});
