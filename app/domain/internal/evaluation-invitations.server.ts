/**
 * Asking participants to evaluate a session once it has been held: a notice
 * (the start page lists open evaluations from evaluation_invitations) and an
 * e-mail through the outbox; one reminder a few days later to those who have
 * not answered. Run by the mail worker, never inside a request; no grant check.
 *
 * Who is asked: the participants marked present (or late) at the session, who
 * have a login. An evaluation is open for EVALUATION_OPEN_DAYS after the session ends.
 * Every app process runs the mail worker: the writer's turn on the invitations
 * and the conditional reminder update make each mail go out exactly once.
 */
import crypto from "node:crypto";
import type { Db } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import { queueMail } from "~/mail/outbox.server";

export const EVALUATION_OPEN_DAYS = 14;
export const EVALUATION_REMINDER_DAYS = 4;
export const MIN_ANSWERS_FLOOR = 3;

/** The instant a session's evaluation stops taking answers (an ISO string, comparable as text). */
export function evaluationClosesAt(endsAt: string): string {
  return new Date(new Date(endsAt).getTime() + EVALUATION_OPEN_DAYS * 86_400_000).toISOString();
}

/** Our own wording of a short reaction evaluation; the lead may change it before the first answer. */
export const DEFAULT_EVALUATION_STATEMENTS = [
  "Innehållet var relevant för mitt uppdrag.",
  "Jag fick med mig något jag kan använda i mitt arbete.",
  "Upplägget och tiden användes väl.",
  "Jag kunde delta aktivt och ställa frågor.",
];

const DAY_MS = 86_400_000;

/** The programme's statements; the default set is stored the first time it is needed. */
export async function ensureStatements(trx: Db, programmeId: number): Promise<{ id: number; text: string }[]> {
  const stored = await trx.selectFrom("evaluation_statements").select(["id", "text"]).where("programme_id", "=", programmeId).orderBy("position").execute();
  if (stored.length) return stored;
  await trx
    .insertInto("evaluation_statements")
    .values(DEFAULT_EVALUATION_STATEMENTS.map((text, position) => ({ programme_id: programmeId, position, text })))
    .execute();
  return trx.selectFrom("evaluation_statements").select(["id", "text"]).where("programme_id", "=", programmeId).orderBy("position").execute();
}

/** Whether the programme has any answer yet: from then on its statements are fixed. */
export async function programmeHasAnswers(db: Db, programmeId: number): Promise<boolean> {
  const row = await db
    .selectFrom("evaluation_responses as r")
    .innerJoin("sessions as s", "s.id", "r.session_id")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .select("r.session_id")
    .where("c.programme_id", "=", programmeId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function minAnswersOf(db: Db, programmeId: number): Promise<number> {
  const row = await db.selectFrom("evaluation_settings").select("min_answers").where("programme_id", "=", programmeId).executeTakeFirst();
  return Math.max(MIN_ANSWERS_FLOOR, row?.min_answers ?? MIN_ANSWERS_FLOOR);
}

/** A fresh random key for an answer: it says nothing of who or when. */
export function newResponseId(): string {
  return crypto.randomBytes(16).toString("hex");
}

/** Queues invitations for sessions held since the window opened, and the one reminder; returns how many mails were queued. */
export async function queueEvaluationMail(db: Db, now: Date = new Date()): Promise<number> {
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - EVALUATION_OPEN_DAYS * DAY_MS).toISOString();
  const remindBefore = new Date(now.getTime() - EVALUATION_REMINDER_DAYS * DAY_MS).toISOString();
  return db.transaction().execute(async (trx) => {
    await dialectOf(trx).takeWriterTurn(trx, "evaluation_invitations");
    const due = await trx
      .selectFrom("sessions as s")
      .innerJoin("cohorts as c", "c.id", "s.cohort_id")
      .innerJoin("attendance as a", "a.session_id", "s.id")
      .innerJoin("role_grants as g", (join) => join.onRef("g.participant_id", "=", "a.participant_id").on("g.role", "=", "participant"))
      .innerJoin("users as u", "u.id", "g.user_id")
      .select(["s.id as sessionId", "s.title", "c.programme_id as programmeId", "a.participant_id as participantId", "a.municipality_id as municipalityId", "u.id as userId", "u.email"])
      .where("s.status", "=", "planned")
      .where("s.ends_at", "<=", nowIso)
      .where("s.ends_at", ">", windowStart)
      .where("a.status", "in", ["narvarande", "sen_ankomst"])
      .where("u.disabled_at", "is", null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom("evaluation_invitations as i").select("i.session_id").whereRef("i.session_id", "=", "s.id").whereRef("i.participant_id", "=", "a.participant_id"))),
      )
      .execute();
    let queued = 0;
    const seen = new Set<string>();
    for (const r of due) {
      const key = `${r.sessionId}:${r.participantId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await ensureStatements(trx, r.programmeId);
      await trx
        .insertInto("evaluation_invitations")
        .values({ session_id: r.sessionId, participant_id: r.participantId, municipality_id: r.municipalityId, user_id: r.userId, invited_at: nowIso, reminded_at: null, answered: 0 })
        .execute();
      await queueMail(
        trx,
        {
          kind: "evaluation_invitation",
          to: r.email,
          recipientUserId: r.userId,
          subject: `Utvärdera ”${r.title}” – Programportalen`,
          text: `Hur var ”${r.title}”? Svara på några korta frågor, det tar ett par minuter. Svaren är anonyma: ingen kan se vad just du svarat.`,
          linkPath: `/utvardering/${r.sessionId}`,
        },
        now,
      );
      queued++;
    }

    const unanswered = await trx
      .selectFrom("evaluation_invitations as i")
      .innerJoin("sessions as s", "s.id", "i.session_id")
      .innerJoin("users as u", "u.id", "i.user_id")
      .select(["i.session_id as sessionId", "i.participant_id as participantId", "u.id as userId", "u.email", "s.title"])
      .where("i.answered", "=", 0)
      .where("i.reminded_at", "is", null)
      .where("i.invited_at", "<=", remindBefore)
      .where("s.ends_at", ">", windowStart)
      .where("u.disabled_at", "is", null)
      .execute();
    for (const r of unanswered) {
      const marked = await trx
        .updateTable("evaluation_invitations")
        .set({ reminded_at: nowIso })
        .where("session_id", "=", r.sessionId)
        .where("participant_id", "=", r.participantId)
        .where("reminded_at", "is", null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) continue;
      await queueMail(
        trx,
        {
          kind: "evaluation_reminder",
          to: r.email,
          recipientUserId: r.userId,
          subject: `Påminnelse: utvärdera ”${r.title}” – Programportalen`,
          text: `Du har inte utvärderat ”${r.title}” ännu. Dina svar hjälper programmet att bli bättre, och de är anonyma.`,
          linkPath: `/utvardering/${r.sessionId}`,
        },
        now,
      );
      queued++;
    }
    return queued;
  });
}
