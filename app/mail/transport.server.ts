/**
 * Where e-mail goes: through SMTP when SMTP_URL is set, otherwise into a
 * folder as one .eml file per message (MAIL_OUTBOX_DIR, by default
 * mail-outbox/ beside the database), which any mail program can open.
 */
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "~/config.server";

export interface OutgoingMail {
  id: number;
  from: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

export interface MailTransport {
  /** For the start-up log line; never includes credentials. */
  description: string;
  send(mail: OutgoingMail): Promise<void>;
}

const messageId = (mail: OutgoingMail) => `<outbox-${mail.id}@programportalen>`;

export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  const url = new URL(smtpUrl);
  return {
    description: `SMTP via ${url.hostname}:${url.port || (url.protocol === "smtps:" ? 465 : 587)}`,
    async send(mail) {
      await transporter.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: messageId(mail) });
    },
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
      });
      await fs.mkdir(dir, { recursive: true });
      // Written under a temporary name and renamed, so a reader never sees half a message.
      const name = `${mail.createdAt.replace(/[:.]/g, "-")}-${mail.id}.eml`;
      const temporary = path.join(dir, `.${name}.tmp`);
      await fs.writeFile(temporary, info.message as Buffer);
      await fs.rename(temporary, path.join(dir, name));
    },
  };
}

export function createMailTransport(config: Pick<Config, "smtpUrl" | "mailOutboxDir">): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : fileTransport(config.mailOutboxDir);
}
