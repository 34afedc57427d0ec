/**
 * The main flows with the keyboard alone: no mouse clicks, only Tab, Shift+Tab and Enter.
 */
import { accounts, DEMO_PASSWORD, expect, test } from "./fixtures";
import { tabTo } from "./keyboard-helpers";

test("log in, use the skip link and the main menu, and log out with the keyboard", async ({ page: loginPage, context }) => {
  let page = loginPage;
  await page.goto("/login");
  await tabTo(page, "the e-mail field", (el) => (el as HTMLInputElement).name === "email");
  await page.keyboard.type(accounts.coordinator("vimmerby"));
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Översikt" })).toBeVisible();
  // After the page change, focus is on the new page's content.
  await expect(page.locator("main")).toBeFocused();

  // On a freshly opened page, the first Tab stop is the skip link, and it moves focus to the content.
  page = await context.newPage();
  await page.goto("/");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Hoppa till innehållet" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  // Focus is visible: the focused element has an outline.
  await page.keyboard.press("Shift+Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe("none");

  await page.goto("/");
  await tabTo(page, "the log-out button", (el) => el.textContent?.trim() === "Logga ut");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login$/);
});
