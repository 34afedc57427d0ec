/**
 * Demo outcome follow-ups for the participants who have left a cohort, so
 * the outcome statistics are not empty. Runs inside seedDemo's transaction,
 * after the users exist. One 6-month follow-up in Hultsfred is left open, so
 * that coordinator has a reminder on the start page.
 */
import type { Db } from "../../app/db/connection.server";
import type { OutcomeResult } from "../../app/db/schema";
import { followUpWindow } from "../../app/domain/outcomes.server";
import { createOutcome } from "./factories";

const RESULTS: OutcomeResult[] = ["new_role", "became_manager", "same_role", "studying", "left_municipality"];

export async function seedOutcomesDemo(db: Db, today: string): Promise<void> {
  const left = await db
    .selectFrom("enrolments as e")
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .select(["e.id", "e.ended_on", "e.municipality_id", "m.slug"])
    .where("e.status", "in", ["completed", "dropped"])
    .where("e.started_on", "is not", null)
    .where("e.ended_on", "is not", null)
    .orderBy("e.id")
    .execute();
  const coordinators = await db.selectFrom("role_grants").select(["user_id", "municipality_id"]).where("role", "=", "coordinator").execute();
  for (const [i, e] of left.entries()) {
    const recordedBy = coordinators.find((c) => c.municipality_id === e.municipality_id)?.user_id ?? null;
    const fourWeeks = followUpWindow("4_weeks", e.ended_on!);
    if (fourWeeks.opensOn <= today) {
      await createOutcome(db, {
        enrolmentId: e.id,
        checkpoint: "4_weeks",
        result: RESULTS[i % RESULTS.length],
        recordedBy,
        recordedAt: `${fourWeeks.dueOn < today ? fourWeeks.dueOn : today}T09:00:00.000Z`,
      });
    }
    const sixMonths = followUpWindow("6_months", e.ended_on!);
    if (sixMonths.opensOn <= today && e.slug !== "hultsfred") {
      await createOutcome(db, {
        enrolmentId: e.id,
        checkpoint: "6_months",
        result: RESULTS[(i + 1) % RESULTS.length],
        recordedBy,
        recordedAt: `${sixMonths.opensOn}T09:00:00.000Z`,
      });
    }
  }
}
