/**
 * Issue 14, item 5: the monthly certificate read as the ESF funder reads it,
 * printed: every field the funder's form asks for is there and filled, the
 * personnummer has 12 digits, no activity repeats its kind; the employer's
 * organisation number, entered by the coordinator, is on it.
 */
import { expect, test } from "./fixtures";

test.use({ coordinatorOf: "vimmerby" });

function monthsAgo(n: number): string {
  const d = new Date();
  d.setUTCDate(15);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 7);
}

test("the monthly certificate carries what the funder's form asks for, printed", async ({ coordinatorPage: page }) => {
  await page.goto(`/tidrapporter?manad=${monthsAgo(2)}&status=certified`);
  const first = page.getByRole("link", { name: /^Visa tidrapporten för / }).first();
  await first.click();
  await page.getByRole("link", { name: "Utskrivbart intyg" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Tidredovisning");

  await page.emulateMedia({ media: "print" });
  const facts = await page.locator(".certificate dl.facts").evaluateAll((lists) =>
    Object.fromEntries(
      lists.flatMap((dl) => [...dl.querySelectorAll("dt")].map((dt) => [dt.textContent?.trim() ?? "", dt.nextElementSibling?.textContent?.trim() ?? ""])),
    ),
  );
  expect(facts["Projektnamn"]).toBe("Ledarutveckling över gränserna");
  expect(facts["ESF-projektnummer"]).toBe("DEMO-2026-0001");
  expect(facts["Månad"]).toMatch(/^\p{L}+ \d{4}$/u);
  expect(facts["Deltagare"]).toMatch(/\S+ \S+/);
  expect(facts["Personnummer"]).toMatch(/^\d{8}-\d{4}$/);
  expect(facts["Arbetsgivare"]).toBe("Vimmerby kommun");
  // The demo has no organisation numbers (no official test range): the certificate says so visibly.
  expect(facts["Organisationsnummer"]).toBe("saknas");
  expect(facts["Granskning"]).toMatch(/granskas/);

  const rows = await page.locator(".certificate table tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? "")));
  expect(rows.length).toBeGreaterThan(0);
  for (const [date, activity, hours] of rows) {
    expect(date).toMatch(/\d{4}$/);
    expect(activity).not.toMatch(/^([^:]+): \1:/);
    expect(hours).toMatch(/^\d+(,\d+)?$/);
  }

  const signatures = page.locator(".signatures");
  await expect(signatures.getByRole("heading", { name: "Deltagarens bekräftelse" })).toBeVisible();
  await expect(signatures.getByRole("heading", { name: "Närmaste chefens attest" })).toBeVisible();
  // The ESF programme wants the manager's own certification: recorded with the manager's name, by whom.
  await expect(signatures).toContainText(/närmaste chef, .* \(registrerat av Samordnare Vimmerby\)/);
  await expect(page.locator(".no-print").first()).toBeHidden();
  const certificateUrl = page.url();

  // The coordinator enters the employer's organisation number where the reports are certified; a wrong one is refused.
  await page.emulateMedia({ media: "screen" });
  await page.goto("/tidrapporter");
  const field = page.getByLabel("Organisationsnummer för Vimmerby kommun");
  await field.fill("212000-0762");
  await page.getByRole("button", { name: "Spara organisationsnummer" }).click();
  await expect(page.getByText("Organisationsnumret har fel kontrollsiffra.")).toBeVisible();
  await field.fill("2120000761");
  await page.getByRole("button", { name: "Spara organisationsnummer" }).click();
  await expect(page.getByRole("status")).toHaveText("Organisationsnumret är sparat.");
  await page.reload();
  await expect(page.getByLabel("Organisationsnummer för Vimmerby kommun")).toHaveValue("212000-0761");

  await page.goto(certificateUrl);
  await expect(page.locator(".certificate dl.facts dt", { hasText: /^Organisationsnummer$/ }).locator("+ dd")).toHaveText("212000-0761");
});
