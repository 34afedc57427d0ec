/**
 * The e-mail outbox. Requests and domain functions only queue (a row in
 * mail_outbox, inside their transaction); the worker (worker.server.ts)
 * sends. A failed send is retried later with growing pauses and the row is
 * never deleted, so nothing is lost. Delivery is at least once: a crash
 * between sending and recording it sends that message again.
 */
import type { Db } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import type { MailTransport } from "./transport.server";

/** A file sent with a message (the .ics of a changed session); kept in the row, so the .eml holds it and goes with it. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface QueuedMail {
  kind: string;
  to: string;
  /** The account the message is for (null for an address without one); a person's e-mail is found by it. */
  recipientUserId: number | null;
  /** The participant the message is for, whether or not they have a login. */
  recipientParticipantId?: number | null;
  subject: string;
  text: string;
  /** A path inside the portal; the worker turns it into a full address with PUBLIC_URL. */
  linkPath?: string | null;
  attachments?: MailAttachment[];
  /** A reminder's opt-out path (PUBLIC_URL put in front), also sent as the List-Unsubscribe header. */
  unsubscribePath?: string | null;
}

export async function queueMail(db: Db, mail: QueuedMail, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .insertInto("mail_outbox")
    .values({
      kind: mail.kind,
      to_address: mail.to,
      recipient_user_id: mail.recipientUserId,
      subject: mail.subject,
      body_text: mail.text,
      link_path: mail.linkPath ?? null,
      recipient_participant_id: mail.recipientParticipantId ?? null,
      attachments: mail.attachments?.length ? JSON.stringify(mail.attachments) : null,
      unsubscribe_path: mail.unsubscribePath ?? null,
      created_at: at,
      next_attempt_at: at,
      sent_at: null,
      last_error: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const MINUTE = 60_000;
const MAX_BACKOFF_MS = 6 * 60 * MINUTE;

/** The pause before the next try after `attempts` failures: 1, 2, 4, 8 … minutes, at most six hours. */
export function backoffMs(attempts: number): number {
  return Math.min(MINUTE * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export function mailBody(text: string, linkPath: string | null, publicUrl: string, unsubscribePath: string | null = null): string {
  const link = linkPath ? `\n\nLogga in i Programportalen: ${publicUrl}${linkPath}` : "";
  const unsubscribe = unsubscribePath ? `\n\nVill du inte få påminnelser? Avsluta dem här: ${publicUrl}${unsubscribePath}` : "";
  return `Hej!\n\n${text}${link}${unsubscribe}\n\nDet här meddelandet skickades automatiskt från Programportalen och går inte att svara på.\n`;
}

export interface DeliveryResult {
  sent: number;
  failed: number;
}

/**
 * How long a claimed message belongs to the worker that claimed it. Long
 * enough for any SMTP conversation; a worker that dies mid-send leaves the
 * message to be sent again after this (delivery is at least once).
 */
export const CLAIM_MS = 10 * MINUTE;

/**
 * Claims up to `batchSize` due messages for this worker, in one statement:
 * moving `next_attempt_at` past the lease makes them no longer due, so a
 * worker in another process that looks at the same rows claims none of them
 * (on PostgreSQL its UPDATE waits for the row and then sees it is not due;
 * on SQLite writers take turns). On PostgreSQL, `FOR UPDATE SKIP LOCKED`
 * lets the other worker take the next messages instead of waiting.
 */
async function claimDueMail(db: Db, now: Date, batchSize: number) {
  const nowIso = now.toISOString();
  const skipLocked = dialectOf(db).name === "postgres";
  const due = db
    .selectFrom("mail_outbox")
    .select("id")
    .where("sent_at", "is", null)
    .where("next_attempt_at", "<=", nowIso)
    .orderBy("next_attempt_at")
    .orderBy("id")
    .limit(batchSize)
    .$if(skipLocked, (q) => q.forUpdate().skipLocked());
  const claimed = await db
    .updateTable("mail_outbox")
    .set({ next_attempt_at: new Date(now.getTime() + CLAIM_MS).toISOString() })
    .where("id", "in", due)
    .where("sent_at", "is", null)
    .where("next_attempt_at", "<=", nowIso)
    .returningAll()
    .execute();
  return claimed.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id));
}

/**
 * Sends what is due, one message at a time; each result is recorded before
 * the next send. Several workers (one per app process) may run this at once:
 * each message is claimed by one of them (claimDueMail).
 */
export async function deliverDueMail(
  db: Db,
  transport: MailTransport,
  options: { from: string; publicUrl: string; now?: Date; batchSize?: number },
): Promise<DeliveryResult> {
  const now = options.now ?? new Date();
  const due = await claimDueMail(db, now, options.batchSize ?? 25);
  const result: DeliveryResult = { sent: 0, failed: 0 };
  for (const mail of due) {
    try {
      await transport.send({
        id: mail.id,
        from: options.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mailBody(mail.body_text, mail.link_path, options.publicUrl, mail.unsubscribe_path),
        createdAt: mail.created_at,
        attachments: mail.attachments ? (JSON.parse(mail.attachments) as MailAttachment[]) : [],
        unsubscribeUrl: mail.unsubscribe_path ? `${options.publicUrl}${mail.unsubscribe_path}` : null,
      });
      const recorded = await db
        .updateTable("mail_outbox")
        .set({ sent_at: new Date().toISOString(), attempts: mail.attempts + 1, last_error: null })
        .where("id", "=", mail.id)
        .executeTakeFirst();
      // The row went while the message was being sent (its recipient was anonymised): the copy goes too.
      if (Number(recorded.numUpdatedRows) === 0) await transport.forget({ id: mail.id, createdAt: mail.created_at });
      result.sent += 1;
    } catch (error) {
      const attempts = mail.attempts + 1;
      await db
        .updateTable("mail_outbox")
        .set({
          attempts,
          next_attempt_at: new Date(now.getTime() + backoffMs(attempts)).toISOString(),
          last_error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        })
        .where("id", "=", mail.id)
        .execute();
      result.failed += 1;
    }
  }
  return result;
}
