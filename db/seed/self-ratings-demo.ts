/**
 * Demo self-ratings (issue 16, learning): the ESF programme's goals; everyone
 * in Omgång 1 rated themself at the start and again near the end, so the
 * effect report's Learning section has believable figures; Omgång 2 (the demo
 * trainee's) has its start ratings. Scores follow a fixed pattern, not chance,
 * so tests can rely on them. Runs inside seedDemo's transaction.
 */
import type { Db } from "../../app/db/connection.server";
import type { SelfRatingPhase } from "../../app/db/schema";
import { addDaysToDate } from "../../app/utils/time";

export const DEMO_GOALS = [
  "Jag leder min grupp mot tydliga mål och prioriteringar.",
  "Jag ger och tar emot återkoppling som hjälper oss framåt.",
  "Jag samarbetar över gränser mellan förvaltningar och kommuner.",
  "Jag leder mig själv och andra genom förändring.",
];

/** Start 2-4; the end one point higher for three goals in four, the same otherwise. */
export const demoStartScore = (i: number, k: number) => 2 + ((i + k) % 3);
export const demoEndScore = (i: number, k: number) => Math.min(5, demoStartScore(i, k) + ((i + k) % 4 === 0 ? 0 : 1));

export async function seedSelfRatingsDemo(db: Db, programmeId: number, today: string): Promise<void> {
  await db.insertInto("programme_goals").values(DEMO_GOALS.map((text, position) => ({ programme_id: programmeId, position, text }))).execute();
  const goals = await db.selectFrom("programme_goals").select("id").where("programme_id", "=", programmeId).orderBy("position").execute();
  const cohorts = await db.selectFrom("cohorts").select(["id", "name", "starts_on"]).where("programme_id", "=", programmeId).execute();
  const rate = async (cohortId: number, phase: SelfRatingPhase, ratedOn: string, statuses: ("active" | "completed")[], score: (i: number, k: number) => number) => {
    const members = await db.selectFrom("enrolments").select(["participant_id", "municipality_id"]).where("cohort_id", "=", cohortId).where("status", "in", statuses).orderBy("id").execute();
    for (const [i, m] of members.entries()) {
      await db
        .insertInto("self_ratings")
        .values(goals.map((g, k) => ({ cohort_id: cohortId, participant_id: m.participant_id, municipality_id: m.municipality_id, phase, goal_id: g.id, score: score(i, k), rated_at: `${ratedOn}T09:00:00.000Z` })))
        .execute();
    }
  };
  const first = cohorts.find((c) => c.name === "Omgång 1");
  if (first) {
    await rate(first.id, "start", addDaysToDate(first.starts_on, 5), ["active", "completed"], demoStartScore);
    await rate(first.id, "end", addDaysToDate(today, -3), ["active", "completed"], demoEndScore);
  }
  const second = cohorts.find((c) => c.name === "Omgång 2");
  if (second) await rate(second.id, "start", addDaysToDate(second.starts_on, 5), ["active"], demoStartScore);
}
