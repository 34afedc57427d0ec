/**
 * Shared by the 360 modules: the programme's current questionnaire (made from
 * the default on first use), and closing a round, which removes what the
 * round no longer needs (raters' addresses, links and the e-mail that held
 * them). No grant checks: callers check first.
 */
import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database } from "~/db/schema";
import { DEFAULT_INSTRUMENT, parseInstrument, type Instrument } from "./feedback-instrument";

type Conn = Db | Transaction<Database>;

export async function currentInstrument(db: Conn, programmeId: number): Promise<{ id: number; version: number; content: Instrument; answered: boolean }> {
  let row = await db.selectFrom("feedback_instruments").selectAll().where("programme_id", "=", programmeId).orderBy("version", "desc").executeTakeFirst();
  if (!row) {
    row = await db
      .insertInto("feedback_instruments")
      .values({ programme_id: programmeId, version: 1, content: JSON.stringify(DEFAULT_INSTRUMENT), created_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(["programme_id", "version"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    row ??= await db.selectFrom("feedback_instruments").selectAll().where("programme_id", "=", programmeId).where("version", "=", 1).executeTakeFirstOrThrow();
  }
  return { id: row.id, version: row.version, content: parseInstrument(row.content), answered: await instrumentAnswered(db, row.id) };
}

export async function instrumentAnswered(db: Conn, instrumentId: number): Promise<boolean> {
  const answered = await db
    .selectFrom("feedback_responses as r")
    .innerJoin("feedback_subjects as s", "s.id", "r.subject_id")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .select("r.id")
    .where("o.instrument_id", "=", instrumentId)
    .limit(1)
    .executeTakeFirst();
  return answered !== undefined;
}

/** Whether a round is past answering: closed by the lead or past its last day. */
export function roundIsOver(round: { closed_at: string | null; closes_on: string }, today: string): boolean {
  return round.closed_at !== null || round.closes_on < today;
}

/**
 * Closes a round for good: the raters' e-mail addresses, their links and the
 * invitations and reminders in the outbox (which held address and link) go.
 * Returns the removed mail, whose .eml copies the caller deletes after the commit.
 */
export async function purgeRound(trx: Transaction<Database>, roundId: number, now: string): Promise<{ id: number; createdAt: string }[]> {
  const raterIds = trx
    .selectFrom("feedback_raters as r")
    .innerJoin("feedback_subjects as s", "s.id", "r.subject_id")
    .select("r.id")
    .where("s.round_id", "=", roundId);
  const mails = await trx
    .selectFrom("mail_outbox")
    .select(["id", "created_at"])
    .where("id", "in", trx.selectFrom("feedback_rater_links").select("mail_id").where("rater_id", "in", raterIds).where("mail_id", "is not", null).$narrowType<{ mail_id: number }>())
    .execute();
  await trx.deleteFrom("feedback_rater_links").where("rater_id", "in", raterIds).execute();
  if (mails.length) await trx.deleteFrom("mail_outbox").where("id", "in", mails.map((m) => m.id)).execute();
  await trx.updateTable("feedback_raters").set({ email: null }).where("id", "in", raterIds).execute();
  await trx.updateTable("feedback_rounds").set({ closed_at: now }).where("id", "=", roundId).where("closed_at", "is", null).execute();
  return mails.map((m) => ({ id: m.id, createdAt: m.created_at }));
}
