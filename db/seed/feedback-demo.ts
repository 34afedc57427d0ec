/**
 * Demo 360 feedback and action plans (issue 16). Omgång 1 of the ESF
 * programme has both rounds closed, with answers from self, manager (told,
 * shown apart), colleagues and direct reports, and action plans with some
 * goals reached; the demo trainee in Omgång 2 is in the middle of the first
 * round: answered themself, raters invited, one colleague has answered.
 * Runs inside seedDemo's transaction; raters' addresses are example.org.
 */
import crypto from "node:crypto";
import type { Db } from "../../app/db/connection.server";
import type { FeedbackShownAs, GoalStatus, RaterGroup } from "../../app/db/schema";
import { DEFAULT_INSTRUMENT } from "../../app/domain/internal/feedback-instrument";
import { addDaysToDate } from "../../app/utils/time";
import { seededRandom } from "./people";

const statementIds = DEFAULT_INSTRUMENT.dimensions.flatMap((d) => d.statements.map((s) => s.id));
const COMMENTS = [
  ["Lyssnar på riktigt och återkommer alltid.", "Att oftare säga nej till sådant som inte är prioriterat."],
  ["Tydlig och lugn när det blåser.", "Att delegera mer och släppa detaljerna."],
  ["Bygger broar mellan förvaltningarna.", "Att ge återkoppling tidigare, inte bara vid utvecklingssamtalet."],
];

async function answer(db: Db, subjectId: number, shownAs: FeedbackShownAs, level: number, rnd: () => number, comment?: [string, string]) {
  const scores = Object.fromEntries(statementIds.map((id) => [id, rnd() < 0.05 ? null : Math.max(1, Math.min(5, Math.round(level + (rnd() - 0.5) * 2)))]));
  await db.insertInto("feedback_responses").values({ subject_id: subjectId, shown_as: shownAs, scores: JSON.stringify(scores) }).execute();
  if (comment) {
    await db
      .insertInto("feedback_comments")
      .values(comment.map((text, i) => ({ subject_id: subjectId, question: i + 1, is_self: shownAs === "self" ? 1 : 0, text })))
      .execute();
  }
}

export async function seedFeedbackDemo(db: Db, today: string): Promise<void> {
  const rnd = seededRandom(360);
  const programme = await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirst();
  if (!programme) return;
  const instrument = await db
    .insertInto("feedback_instruments")
    .values({ programme_id: programme.id, version: 1, content: JSON.stringify(DEFAULT_INSTRUMENT), created_at: `${addDaysToDate(today, -400)}T08:00:00.000Z` })
    .returning("id")
    .executeTakeFirstOrThrow();
  const cohorts = await db.selectFrom("cohorts").select(["id", "name", "starts_on"]).where("programme_id", "=", programme.id).orderBy("starts_on").execute();
  const [first, second] = cohorts;

  // Omgång 1: both rounds over, with believable improvement.
  if (first) {
    const members = await db.selectFrom("enrolments").select(["participant_id", "municipality_id"]).where("cohort_id", "=", first.id).where("status", "in", ["active", "completed"]).execute();
    for (const [kindIndex, kind] of (["first", "follow_up"] as const).entries()) {
      const closesOn = kindIndex === 0 ? addDaysToDate(first.starts_on, 21) : addDaysToDate(today, -30);
      const round = await db
        .insertInto("feedback_rounds")
        .values({ cohort_id: first.id, instrument_id: instrument.id, kind, closes_on: closesOn, opened_at: `${addDaysToDate(closesOn, -21)}T08:00:00.000Z`, closed_at: `${closesOn}T22:00:00.000Z` })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const [i, m] of members.entries()) {
        const subject = await db
          .insertInto("feedback_subjects")
          .values({ round_id: round.id, participant_id: m.participant_id, municipality_id: m.municipality_id, self_answered_at: `${addDaysToDate(closesOn, -15)}T10:00:00.000Z` })
          .returning("id")
          .executeTakeFirstOrThrow();
        const base = 3 + kindIndex * 0.5;
        await answer(db, subject.id, "self", base + 0.4, rnd);
        const groups: [RaterGroup, number][] = [["manager", 1], ["colleague", 3 + (i % 2)], ["report", i % 3 === 0 ? 2 : 3]];
        for (const [group, count] of groups) {
          for (let n = 0; n < count; n++) {
            // Closed round: addresses gone, links gone, only group and answer time remain.
            await db
              .insertInto("feedback_raters")
              .values({ subject_id: subject.id, rater_group: group, email: null, shown_apart: group === "manager" ? 1 : 0, invited_at: `${addDaysToDate(closesOn, -20)}T08:00:00.000Z`, answered_at: `${addDaysToDate(closesOn, -10)}T12:00:00.000Z` })
              .execute();
            await answer(db, subject.id, group, base, rnd, n === 0 ? (COMMENTS[(i + n) % COMMENTS.length] as [string, string]) : undefined);
          }
        }
      }
    }
    for (const [i, m] of members.entries()) {
      const plan = await db
        .insertInto("action_plans")
        .values({ participant_id: m.participant_id, municipality_id: m.municipality_id, cohort_id: first.id, updated_at: `${addDaysToDate(today, -40)}T09:00:00.000Z` })
        .returning("id")
        .executeTakeFirstOrThrow();
      const goals: [string, string, GoalStatus][] = [
        ["Tydligare prioriteringar i gruppen", "direction", i % 3 === 0 ? "under_way" : "reached"],
        ["Återkoppling varje vecka", "communication", i % 2 === 0 ? "reached" : "under_way"],
        ["Delegera ett ansvarsområde", "developing", i % 4 === 0 ? "not_started" : "reached"],
      ];
      for (const [n, [title, linked, status]] of goals.entries()) {
        await db
          .insertInto("action_plan_goals")
          .values({
            plan_id: plan.id,
            position: n + 1,
            title,
            linked_to: linked,
            actions: "Ta upp det på arbetsplatsträffen och följa upp efter en månad.",
            manager_support: "Avstämning en gång i månaden.",
            starts_on: addDaysToDate(first.starts_on, 30),
            due_on: addDaysToDate(first.starts_on, 200),
            status,
            reflection: status === "reached" ? "Det blev lättare än jag trodde när gruppen var med från början." : "",
            status_changed_at: `${addDaysToDate(today, -40)}T09:00:00.000Z`,
          })
          .execute();
      }
    }
  }

  // Omgång 2: the first round is open; the demo trainee has answered and is waiting for raters.
  if (second) {
    const round = await db
      .insertInto("feedback_rounds")
      .values({ cohort_id: second.id, instrument_id: instrument.id, kind: "first", closes_on: addDaysToDate(today, 14), opened_at: `${addDaysToDate(today, -7)}T08:00:00.000Z` })
      .returning("id")
      .executeTakeFirstOrThrow();
    const members = await db.selectFrom("enrolments").select(["participant_id", "municipality_id"]).where("cohort_id", "=", second.id).where("status", "in", ["active", "accepted"]).orderBy("id").execute();
    if (members.length) {
      await db.insertInto("feedback_subjects").values(members.map((m) => ({ round_id: round.id, participant_id: m.participant_id, municipality_id: m.municipality_id }))).execute();
    }
    const trainee = await db
      .selectFrom("users as u")
      .innerJoin("role_grants as g", "g.user_id", "u.id")
      .select("g.participant_id")
      .where("u.email", "=", "deltagare@programportalen.test")
      .where("g.role", "=", "participant")
      .executeTakeFirst();
    const subject = trainee?.participant_id
      ? await db.selectFrom("feedback_subjects").select("id").where("round_id", "=", round.id).where("participant_id", "=", trainee.participant_id).executeTakeFirst()
      : undefined;
    if (subject) {
      await db.updateTable("feedback_subjects").set({ self_answered_at: `${addDaysToDate(today, -5)}T10:00:00.000Z` }).where("id", "=", subject.id).execute();
      await answer(db, subject.id, "self", 3.6, rnd);
      const raters: [RaterGroup, string, boolean][] = [
        ["manager", "chef.exempel@example.org", false],
        ["colleague", "kollega1@example.org", true],
        ["colleague", "kollega2@example.org", false],
        ["colleague", "kollega3@example.org", false],
        ["report", "medarbetare1@example.org", false],
        ["report", "medarbetare2@example.org", false],
      ];
      for (const [group, email, answered] of raters) {
        const rater = await db
          .insertInto("feedback_raters")
          .values({ subject_id: subject.id, rater_group: group, email, shown_apart: 0, invited_at: `${addDaysToDate(today, -5)}T10:05:00.000Z`, answered_at: answered ? `${addDaysToDate(today, -3)}T12:00:00.000Z` : null })
          .returning("id")
          .executeTakeFirstOrThrow();
        // A link whose token nobody knows: the demo's invitations are not in the outbox.
        await db.insertInto("feedback_rater_links").values({ token_hash: crypto.randomBytes(32).toString("hex"), rater_id: rater.id, mail_id: null, created_at: `${addDaysToDate(today, -5)}T10:05:00.000Z` }).execute();
        if (answered) await answer(db, subject.id, group, 3.2, rnd);
      }
    }
  }
}
