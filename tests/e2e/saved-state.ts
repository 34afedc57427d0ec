/**
 * Helpers for the saved-state journeys (saved-state-*.spec.ts): each form is
 * changed, saved, reloaded and checked against what is stored, twice.
 */
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** Today's date in Stockholm, as the server sees it (YYYY-MM-DD). */
export function stockholmToday(): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(new Date());
}

/**
 * Plans a session today in a cohort, through the real form action, so a test
 * has a sheet of its own with nobody marked yet. Returns the session's id.
 */
export async function planSessionToday(page: Page, cohortId: number, title: string, hostMunicipalityId: number): Promise<number> {
  const response = await page.request.post(`/omgangar/${cohortId}/trafar/ny`, {
    form: {
      title,
      kind: "workshop",
      startDate: stockholmToday(),
      startTime: "00:15",
      endTime: "03:15",
      hostMunicipalityId: String(hostMunicipalityId),
      meetingUrl: "https://mote.example.se/narvaro",
    },
    maxRedirects: 0,
  });
  expect(response.status(), `planning "${title}"`).toBe(302);
  const location = response.headers().location ?? "";
  expect(location).toMatch(/^\/trafar\/\d+$/);
  return Number(location.split("/").pop());
}

/** Every id on the page that more than one element carries (a label or aria reference would hit the wrong one). */
export async function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
}
