/** Issue 14, item 6: the calendar feed as calendar programs read it. */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { demoDb } from "../../tests/support/db";
import { feedText } from "~/ui/calendar-feed.server";
import { buildFeed, createFeedAddress } from "./calendar.server";
import { loadGrants } from "./context.server";

const server = { secret: "test-secret-that-is-long-enough-0123456789", publicUrl: "http://localhost:3000" };

/**
 * A feed built for this call. The same rows under the same address reuse the
 * text built before, DTSTAMP included (feedText's cache), so a test that
 * times the build asks for its own address.
 */
async function traineeFeedText(publicUrl = server.publicUrl) {
  const { db } = await demoDb();
  const user = await db.selectFrom("users").select(["id", "email", "name"]).where("email", "=", "deltagare@programportalen.test").executeTakeFirstOrThrow();
  const links = await createFeedAddress({ db, user, grants: await loadGrants(db, user.id) }, "participant", server);
  const token = /\/kalender\/(.+)\.ics$/.exec(links.downloadUrl)![1];
  const before = Date.now();
  const feed = await buildFeed({ db, config: { publicUrl } }, token);
  return { db, token, text: feedText(feed!, publicUrl), etag: feed!.etag, before, after: Date.now() };
}

describe("the calendar feed", () => {
  it("calendar feed: ends with CRLF after END:VCALENDAR, and every line ends with CRLF", async () => {
    const { text } = await traineeFeedText();
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("calendar feed: with METHOD present, DTSTAMP is the time the feed was generated", async () => {
    const { text, before, after } = await traineeFeedText("http://dtstamp.test");
    expect(text).toContain("METHOD:PUBLISH");
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent");
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) {
      const stamp = (event.getFirstPropertyValue("dtstamp") as ICAL.Time).toJSDate().getTime();
      // DTSTAMP has whole seconds.
      expect(stamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(stamp).toBeLessThanOrEqual(after);
    }
  });

  it("calendar feed: demo data has CREATED <= LAST-MODIFIED on every event, moved and cancelled ones too", async () => {
    const { db, text } = await traineeFeedText();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent");
    const changed = events.filter((e) => Number(e.getFirstPropertyValue("sequence")) > 0);
    expect(changed.length).toBeGreaterThanOrEqual(2);
    for (const event of events) {
      const created = (event.getFirstPropertyValue("created") as ICAL.Time).toJSDate();
      const modified = (event.getFirstPropertyValue("last-modified") as ICAL.Time).toJSDate();
      expect(created.getTime(), String(event.getFirstPropertyValue("uid"))).toBeLessThanOrEqual(modified.getTime());
    }
    const rows = await db.selectFrom("sessions").select(["created_at", "updated_at"]).execute();
    expect(rows.filter((r) => r.created_at > r.updated_at)).toEqual([]);
  });
});
