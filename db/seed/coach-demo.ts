/**
 * The demo coach (ADR 036): a coach of the ESF programme to whom one of
 * Omgång 1's participants has shared the follow-up 360 report, so the coach's
 * start page and the shared report have content. The demo trainee's own
 * report stays unshared (the authorization matrix relies on that).
 */
import type { Db } from "~/db/connection.server";
import { addDaysToDate } from "~/utils/time";

export const DEMO_COACH_EMAIL = "coach@programportalen.test";

export async function seedCoachDemo(db: Db, esfProgrammeId: number, today: string): Promise<void> {
  const coach = await db.selectFrom("users").select("id").where("email", "=", DEMO_COACH_EMAIL).executeTakeFirst();
  if (!coach) return;
  const subject = await db
    .selectFrom("feedback_subjects as s")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("cohorts as c", "c.id", "o.cohort_id")
    .select("s.id")
    .where("c.programme_id", "=", esfProgrammeId)
    .where("c.name", "=", "Omgång 1")
    .where("o.kind", "=", "follow_up")
    .orderBy("s.id")
    .executeTakeFirst();
  if (!subject) return;
  await db.insertInto("feedback_shares").values({ subject_id: subject.id, user_id: coach.id, shared_at: `${addDaysToDate(today, -20)}T09:30:00.000Z` }).execute();
}
