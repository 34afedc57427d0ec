/**
 * Where e-mail goes: through SMTP when SMTP_URL is set, otherwise into a
 * folder as one .eml file per message (MAIL_OUTBOX_DIR, by default
 * mail-outbox/ beside the database), which any mail program can open.
 */
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "~/config.server";
import type { MailAttachment } from "./outbox.server";

export interface OutgoingMail {
  id: number;
  from: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
  attachments?: MailAttachment[];
  /** One-click opt-out (RFC 8058): the List-Unsubscribe header points here. */
  unsubscribeUrl?: string | null;
}

export interface MailTransport {
  /** For the start-up log line; never includes credentials. */
  description: string;
  send(mail: OutgoingMail): Promise<void>;
  /** Removes what `send` kept of a message whose row has been deleted meanwhile (an anonymisation). */
  forget(mail: { id: number; createdAt: string }): Promise<void>;
}

const messageId = (mail: OutgoingMail) => `<outbox-${mail.id}@programportalen>`;

/** What both transports put into the message besides the addresses and text. */
function extras(mail: OutgoingMail) {
  return {
    attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    ...(mail.unsubscribeUrl
      ? { list: { unsubscribe: mail.unsubscribeUrl }, headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } }
      : {}),
  };
}

/** The file a message is written to without SMTP: one name per outbox row, so it can be found again. */
export function emlFileName(mail: { id: number; createdAt: string }): string {
  return `${mail.createdAt.replace(/[:.]/g, "-")}-${mail.id}.eml`;
}

/**
 * Deletes the .eml copies of messages whose rows were removed (a participant
 * was anonymised). A message that was never written, or sent by SMTP, has no
 * copy; that is not an error.
 */
export async function removeMailCopies(dir: string, mails: { id: number; createdAt: string }[]): Promise<number> {
  let removed = 0;
  for (const mail of mails) {
    try {
      await fs.unlink(path.join(dir, emlFileName(mail)));
      removed++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return removed;
}

export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  const url = new URL(smtpUrl);
  return {
    description: `SMTP via ${url.hostname}:${url.port || (url.protocol === "smtps:" ? 465 : 587)}`,
    async send(mail) {
      await transporter.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: messageId(mail), ...extras(mail) });
    },
    // Mail that left through SMTP cannot be called back; nothing of it is kept here.
    async forget() {},
  };
}

export function fileTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    description: `files in ${path.relative(process.cwd(), dir) || "."}`,
    async send(mail) {
      const info = await composer.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: messageId(mail),
        date: new Date(mail.createdAt),
        ...extras(mail),
      });
      await fs.mkdir(dir, { recursive: true });
      // Written under a temporary name and renamed, so a reader never sees half a message.
      const name = emlFileName(mail);
      const temporary = path.join(dir, `.${name}.tmp`);
      await fs.writeFile(temporary, info.message as Buffer);
      await fs.rename(temporary, path.join(dir, name));
    },
    async forget(mail) {
      await removeMailCopies(dir, [mail]);
    },
  };
}

export function createMailTransport(config: Pick<Config, "smtpUrl" | "mailOutboxDir">): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : fileTransport(config.mailOutboxDir);
}
