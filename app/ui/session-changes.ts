/**
 * How a change to a session (Träff) is put into words: on its page, in the
 * trainee's schedule, in notices and e-mail. One place, so they all agree.
 */
import type { SessionChangeKind, SessionFieldChanges, SessionKind } from "~/db/schema";
import type { SessionChangeRecord } from "~/domain/sessions.server";
import { formatShortDate, formatTime } from "~/utils/format";
import { sessionKindLabels } from "./labels";

export const sessionFieldLabels: Record<string, string> = {
  title: "rubrik",
  kind: "typ",
  starts_at: "start",
  ends_at: "slut",
  host_municipality_id: "värdkommun",
  venue: "lokal",
  address: "adress",
  meeting_url: "möteslänk",
  facilitator: "kursledare",
  description: "beskrivning",
  status: "status",
};

export const sessionChangeKindLabels: Record<SessionChangeKind, string> = {
  edited: "Ändrad",
  moved: "Flyttad",
  cancelled: "Inställd",
  reinstated: "Återinsatt",
};

const sameDay = (a: string, b: string) => formatShortDate(a) === formatShortDate(b);

/**
 * The short form the schedule shows next to a moved session: "Flyttad från 14 mars",
 * or "Flyttad från kl. 09:00" when only the time changed.
 */
export function movedFromText(changes: SessionFieldChanges): string | null {
  const start = changes.starts_at;
  const end = changes.ends_at;
  if (start?.from && start.to) {
    const from = String(start.from);
    const to = String(start.to);
    return sameDay(from, to) ? `Flyttad från kl. ${formatTime(from)}` : `Flyttad från ${formatShortDate(from)}`;
  }
  if (end?.from) return `Sluttiden ändrad från kl. ${formatTime(String(end.from))}`;
  return null;
}

/** A full sentence for the change history: "Flyttad från 14 mars kl. 09:00 till 16 mars kl. 09:00." */
export function describeSessionChange(change: SessionChangeRecord, municipalityNames: Record<number, string> = {}): string {
  if (change.kind === "cancelled") return "Träffen ställdes in.";
  if (change.kind === "reinstated") return "Träffen återinsattes.";
  const parts: string[] = [];
  const start = change.changes.starts_at;
  if (start?.from && start.to) {
    parts.push(`Flyttad från ${formatShortDate(String(start.from))} kl. ${formatTime(String(start.from))} till ${formatShortDate(String(start.to))} kl. ${formatTime(String(start.to))}`);
  } else if (change.changes.ends_at?.from && change.changes.ends_at.to) {
    parts.push(`Sluttiden ändrad från kl. ${formatTime(String(change.changes.ends_at.from))} till kl. ${formatTime(String(change.changes.ends_at.to))}`);
  }
  const host = change.changes.host_municipality_id;
  if (host) {
    const name = (id: string | number | null) => (id == null ? "–" : (municipalityNames[Number(id)] ?? "okänd kommun"));
    parts.push(`värdkommun ändrad från ${name(host.from)} till ${name(host.to)}`);
  }
  const kind = change.changes.kind;
  if (kind) parts.push(`typ ändrad till ${sessionKindLabels[kind.to as SessionKind] ?? kind.to}`);
  const others = Object.keys(change.changes).filter((f) => !["starts_at", "ends_at", "host_municipality_id", "kind"].includes(f));
  if (others.length) parts.push(`ändrade uppgifter: ${others.map((f) => sessionFieldLabels[f] ?? f).join(", ")}`);
  if (!parts.length) return "Träffen ändrades.";
  const sentence = parts.join("; ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + ".";
}
