/**
 * The mail worker: runs in the server process on a timer (started by
 * server/index.ts), never inside a request. Each round queues due reminders
 * evaluation invitations and reminders, 360 reminders to raters, and sends
 * what is due; it also fetches SAML IdPs' metadata once a day (certificate
 * roll-over, ADR 037). Rounds never overlap.
 */
import type { Config } from "~/config.server";
import type { Db } from "~/db/connection.server";
import { queueEvaluationMail } from "~/domain/internal/evaluation-invitations.server";
import { refreshDueIdpMetadata } from "~/auth/saml-certificates.server";
import { queueFeedbackReminders } from "~/domain/internal/feedback-reminders.server";
import { deliverDueMail } from "./outbox.server";
import { queueDueReminders } from "./reminders.server";
import { createMailTransport, type MailTransport } from "./transport.server";

export interface MailWorker {
  /** One round now (also what the timer runs). */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

export function startMailWorker(options: {
  db: Db;
  config: Pick<Config, "smtpUrl" | "mailOutboxDir" | "mailFrom" | "publicUrl" | "reminderDaysBefore" | "mailWorkerIntervalMs">;
  transport?: MailTransport;
  log?: (line: string) => void;
}): MailWorker {
  const { db, config } = options;
  const log = options.log ?? console.log;
  const transport = options.transport ?? createMailTransport(config);
  log(`Mail worker: sending ${transport.description} every ${config.mailWorkerIntervalMs / 1000} s.`);

  let current: Promise<void> | null = null;
  let stopped = false;

  async function round() {
    try {
      await queueDueReminders(db, { daysBefore: config.reminderDaysBefore });
      await queueEvaluationMail(db);
      await queueFeedbackReminders(db, { publicUrl: config.publicUrl });
      const result = await deliverDueMail(db, transport, { from: config.mailFrom, publicUrl: config.publicUrl });
      if (result.failed) log(`Mail worker: ${result.failed} message(s) failed and will be retried.`);
      // One process claims each IdP's daily fetch (refreshIdpMetadata), so several workers fetch it once.
      const metadata = await refreshDueIdpMetadata(db);
      if (metadata.failed) log(`Mail worker: ${metadata.failed} identity provider(s)' SAML metadata could not be fetched; see the audit log.`);
    } catch (error) {
      // A broken round must not stop the server; the next round tries again.
      log(`Mail worker: round failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function runOnce(): Promise<void> {
    current ??= round().finally(() => {
      current = null;
    });
    return current;
  }

  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, config.mailWorkerIntervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
