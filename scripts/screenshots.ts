/**
 * Screenshots of pages as users see them, at phone and desktop widths, for a
 * person to look at: `node --import tsx scripts/screenshots.ts <baseUrl> <outDir> <email|-> <path>...`
 */
import { chromium } from "@playwright/test";
import { chromiumArgs } from "../playwright.config";

const [baseUrl, outDir, email, ...paths] = process.argv.slice(2);
if (!baseUrl || !outDir || !email || !paths.length) {
  console.error("usage: screenshots.ts <baseUrl> <outDir> <email|-> <path>...");
  process.exit(2);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs });
for (const [label, viewport] of [
  ["phone", { width: 375, height: 800 }],
  ["desktop", { width: 1280, height: 900 }],
] as const) {
  const context = await browser.newContext({ viewport, locale: "sv-SE", timezoneId: "Europe/Stockholm" });
  const page = await context.newPage();
  if (email !== "-") {
    const response = await page.request.post(`${baseUrl}/login`, { form: { email, password: "portal-demo-2026" }, maxRedirects: 0 });
    if (response.status() !== 302) throw new Error(`login failed: ${response.status()}`);
  }
  for (const p of paths) {
    await page.goto(baseUrl + p);
    const name = `${outDir}/${(email.split("@")[0] + p).replace(/[^a-z0-9]+/gi, "_")}-${label}.png`;
    await page.screenshot({ path: name, fullPage: process.env.FULL_PAGE !== "0" });
    console.log(name);
  }
  await context.close();
}
await browser.close();
