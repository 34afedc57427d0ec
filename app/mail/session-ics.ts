/**
 * The calendar entry sent with a change notice: the session as the calendar
 * feed shows it (same UID, SEQUENCE and STATUS, app/domain/calendar.server.ts),
 * so a calendar that imports it updates the entry it already has instead of
 * adding a second one.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { SessionStatus } from "~/db/schema";
import type { MailAttachment } from "./outbox.server";

export interface IcsSession {
  id: number;
  title: string;
  startsAt: string;
  endsAt: string;
  status: SessionStatus;
  sequence: number;
  place: string;
  createdAt: string;
  updatedAt: string;
}

export function sessionIcsAttachment(s: IcsSession, now: Date): MailAttachment {
  const calendar = ical({
    prodId: { company: "Programportalen", product: "Schema", language: "SV" },
    method: ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: `session-${s.id}@programportalen`,
    sequence: s.sequence,
    start: new Date(s.startsAt),
    end: new Date(s.endsAt),
    summary: s.status === "cancelled" ? `Inställd: ${s.title}` : s.title,
    location: s.place,
    status: s.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    created: new Date(s.createdAt < s.updatedAt ? s.createdAt : s.updatedAt),
    lastModified: new Date(s.updatedAt),
    stamp: now,
  });
  const text = calendar.toString();
  return { filename: "traff.ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH", content: text.endsWith("\r\n") ? text : `${text}\r\n` };
}
