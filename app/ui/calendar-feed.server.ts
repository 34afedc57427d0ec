/**
 * The calendar feed as iCalendar text (RFC 5545), written with
 * ical-generator from the rows the domain's buildFeed read. Times are written
 * in UTC, which RFC 5545 allows and every calendar shows in the viewer's own zone.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { CalendarFeedScope } from "~/db/schema";
import type { FeedDocument, FeedSession } from "~/domain/calendar.server";
import { sessionKindLabels } from "./labels";

/** Recently built feed texts by their ETag, most recently used last. */
const builtFeeds = new Map<string, string>();
const BUILT_FEEDS_KEPT = 500;

/**
 * The feed's text. Building it is the costly part (ical-generator folds every
 * line by its UTF-8 length), so a feed whose rows are unchanged (the same
 * ETag, which names the rows and the address) reuses the text built before,
 * DTSTAMP included: with METHOD present, DTSTAMP is when this instance of the
 * calendar was generated (RFC 5545, 3.8.7.2).
 */
export function feedText(feed: FeedDocument, publicUrl: string): string {
  let body = builtFeeds.get(feed.etag);
  if (body) builtFeeds.delete(feed.etag);
  else body = renderCalendar(feed.scope, feed.sessions, publicUrl, new Date());
  builtFeeds.set(feed.etag, body);
  if (builtFeeds.size > BUILT_FEEDS_KEPT) builtFeeds.delete(builtFeeds.keys().next().value!);
  return body;
}

function renderCalendar(scope: CalendarFeedScope, sessions: FeedSession[], publicUrl: string, generatedAt: Date): string {
  const calendar = ical({
    name: scope === "participant" ? "Mitt schema – Programportalen" : "Träffar – Programportalen",
    prodId: { company: "Programportalen", product: "Schema", language: "SV" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  for (const s of sessions) {
    const place = [s.venue, s.address].filter(Boolean).join(", ");
    const description = [
      `${sessionKindLabels[s.kind]} i ${s.programmeName}, ${s.cohortName}.`,
      s.facilitator ? `Kursledare: ${s.facilitator}` : null,
      s.meeting_url ? `Möteslänk: ${s.meeting_url}` : null,
      s.description || null,
      `Mer om träffen: ${publicUrl}/trafar/${s.id}`,
    ]
      .filter(Boolean)
      .join("\n");
    calendar.createEvent({
      id: `session-${s.id}@programportalen`,
      sequence: s.sequence,
      start: new Date(s.starts_at),
      end: new Date(s.ends_at),
      summary: s.status === "cancelled" ? `Inställd: ${s.title}` : s.title,
      location: place || s.meeting_url || s.hostMunicipality,
      description,
      url: `${publicUrl}/trafar/${s.id}`,
      status: s.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // A row edited by hand or imported may say otherwise; a calendar never claims it was changed before it was made.
      created: new Date(s.created_at < s.updated_at ? s.created_at : s.updated_at),
      lastModified: new Date(s.updated_at),
      stamp: generatedAt,
    });
  }
  // RFC 5545 ends every content line, the last one too, with CRLF.
  const text = calendar.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}
