/**
 * A session's material as users walk it: the programme lead adds a PDF and a
 * link to a session, and the cohort's trainee opens the PDF from the start
 * page (counted as in task-walk.spec.ts), each checked after a reload. The
 * pages are looked at (axe) at phone and desktop widths.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { demoPdf } from "../../db/seed/material-demo";
import { expect, test } from "./fixtures";

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${page.url()}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

const SHOTS = process.env.MATERIAL_SCREENSHOTS;

test("the lead adds a PDF and a link to a session; the cohort's trainee opens the PDF from the start page within 4 page loads and 10 interactions", async ({ testData, pageAs, leadPage }) => {
  // Two roles, five axe runs and two widths.
  test.setTimeout(120_000);
  const cohort = await testData.cohort({ seats: { vimmerby: 2 } });
  const person = await testData.participant("vimmerby", { firstName: "Maja", lastName: "Material" });
  await testData.enrol(cohort.id, person.id, "vimmerby", { status: "active" });
  const session = await testData.sessionInDays(cohort.id, "Ledarskap i förändring", "vimmerby", 3);
  const traineeEmail = await testData.traineeLogin(person.id, "vimmerby");

  // The lead: from the session page to its material page, a PDF, then a link.
  const page = leadPage;
  await page.goto(`/trafar/${session.id}`);
  await expect(page.getByText("Inget material än.")).toBeVisible();
  await page.getByRole("link", { name: "Lägg till eller ta bort material" }).click();
  await page.waitForURL(/\/trafar\/\d+\/material$/);
  expect(await axeViolations(page)).toEqual([]);
  // A file that only says it is a PDF is refused, and said so beside the field.
  await page.getByLabel("Fil", { exact: true }).setInputFiles({ name: "Programblad.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await page.getByRole("button", { name: "Lägg till filen" }).click();
  await expect(page.getByText(/Filen är inte en PDF/)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByLabel("Fil", { exact: true }).setInputFiles({ name: "Programblad.pdf", mimeType: "application/pdf", buffer: demoPdf(["Programblad", "09.00 Samling"]) });
  await page.getByRole("button", { name: "Lägg till filen" }).click();
  await expect(page.getByText("Filen är tillagd.")).toBeVisible();
  await page.getByLabel("Rubrik", { exact: true }).fill("Förberedande läsning");
  await page.getByLabel("Länk", { exact: true }).fill("https://www.esf.se/");
  await page.getByRole("button", { name: "Lägg till länken" }).click();
  await expect(page.getByText("Länken är tillagd.")).toBeVisible();
  await page.reload();
  const list = page.getByRole("region", { name: "Material", exact: true });
  await expect(list.getByRole("link", { name: "Programblad" })).toHaveAttribute("href", /^\/material\/\d+$/);
  await expect(list.getByRole("link", { name: /Förberedande läsning/ })).toHaveAttribute("href", "https://www.esf.se/");
  expect(await axeViolations(page)).toEqual([]);
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/material-page-${width}.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  }

  // The trainee: from the start page, open the PDF.
  const trainee = await pageAs(traineeEmail);
  await trainee.goto("/");
  let loads = 0;
  let interactions = 0;
  const material = trainee.getByRole("region", { name: "Din nästa träff" });
  await expect(material.getByRole("heading", { name: "Material till träffen" })).toBeVisible();
  await expect(material.getByRole("link", { name: /Förberedande läsning/ })).toHaveAttribute("target", "_blank");
  for (const width of [375, 1280]) {
    await trainee.setViewportSize({ width, height: 900 });
    if (SHOTS) await trainee.screenshot({ path: `${SHOTS}/trainee-start-${width}.png`, fullPage: true });
    expect(await axeViolations(trainee)).toEqual([]);
  }
  const opened = trainee.waitForResponse((r) => /\/material\/\d+$/.test(r.url()));
  // A PDF opens in the browser (inline) or, in a browser without a PDF viewer, downloads: either way one click.
  trainee.on("download", () => {});
  interactions++;
  loads++;
  await material.getByRole("link", { name: "Programblad" }).click();
  const response = await opened;
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["content-disposition"]).toMatch(/^inline; filename="Programblad.pdf"/);
  // The bytes themselves (the browser's PDF viewer shows them in a page of its own).
  expect((await (await trainee.request.get(response.url())).body()).subarray(0, 5).toString()).toBe("%PDF-");
  console.log(`task walk: open a session's material as the trainee: ${loads} page loads, ${interactions} interactions`);
  expect(loads).toBeLessThanOrEqual(4);
  expect(interactions).toBeLessThanOrEqual(10);
  // Reload-checked: the material is still there on the start page and the session page.
  await trainee.goto("/");
  await expect(material.getByRole("link", { name: "Programblad" })).toBeVisible();
  await trainee.goto(`/trafar/${session.id}`);
  await expect(trainee.getByRole("link", { name: "Programblad" })).toHaveAttribute("href", /^\/material\/\d+$/);
  if (SHOTS) await trainee.screenshot({ path: `${SHOTS}/trainee-session-${375}.png`, fullPage: true });
  expect(await axeViolations(trainee)).toEqual([]);
});
