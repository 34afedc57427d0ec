/** Real ids from the demo data for the authorization matrix: everything belongs to Vimmerby and the ESF programme. */
import type { Db } from "~/db/connection.server";
import type { Actor } from "./authorization-expectations";

export interface DemoIds {
  emails: Record<Exclude<Actor, "anonymous">, string>;
  params: Record<string, number | string>;
}

export async function demoIds(db: Db): Promise<DemoIds> {
  const municipality = (slug: string) => db.selectFrom("municipalities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  const vimmerby = await municipality("vimmerby");
  const programme = await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow();
  const cohort = await db
    .selectFrom("cohorts")
    .select("id")
    .where("programme_id", "=", programme.id)
    .where("name", "=", "Omgång 2")
    .executeTakeFirstOrThrow();
  const session = await db
    .selectFrom("sessions")
    .select("id")
    .where("cohort_id", "=", cohort.id)
    .where("host_municipality_id", "=", vimmerby.id)
    .orderBy("starts_at")
    .executeTakeFirstOrThrow();
  const traineeUser = await db.selectFrom("users").select("id").where("email", "=", "deltagare@programportalen.test").executeTakeFirstOrThrow();
  const traineeGrant = await db
    .selectFrom("role_grants")
    .select("participant_id")
    .where("user_id", "=", traineeUser.id)
    .where("role", "=", "participant")
    .executeTakeFirstOrThrow();
  return {
    emails: {
      trainee: "deltagare@programportalen.test",
      coordOwn: "samordnare.vimmerby@programportalen.test",
      coordOther: "samordnare.hultsfred@programportalen.test",
      lead: "programledare@programportalen.test",
      leadOther: "traineeledare@programportalen.test",
      funder: "finansiar@programportalen.test",
      coach: "coach@programportalen.test",
      admin: "admin@programportalen.test",
    },
    params: {
      programmeId: programme.id,
      cohortId: cohort.id,
      sessionId: session.id,
      participantId: traineeGrant.participant_id!,
      userId: traineeUser.id,
      // The demo connects no identity provider: an administrator gets the page's 404, everyone else still 403.
      providerId: 999_999,
      token: "not-a-real-token.ics",
      noticeId: 1,
      materialId: (
        await db
          .selectFrom("session_materials as m")
          .innerJoin("sessions as s", "s.id", "m.session_id")
          .select("m.id")
          .where("s.cohort_id", "=", cohort.id)
          .where("m.kind", "=", "file")
          .orderBy("m.id")
          .executeTakeFirstOrThrow()
      ).id,
      subjectId: (
        await db.selectFrom("feedback_subjects").select("id").where("participant_id", "=", traineeGrant.participant_id!).orderBy("id").executeTakeFirstOrThrow()
      ).id,
      enrolmentId: (
        await db.selectFrom("enrolments").select("id").where("participant_id", "=", traineeGrant.participant_id!).where("cohort_id", "=", cohort.id).executeTakeFirstOrThrow()
      ).id,
      reportId: (
        await db.selectFrom("time_reports").select("id").where("participant_id", "=", traineeGrant.participant_id!).orderBy("month").executeTakeFirstOrThrow()
      ).id,
    },
  };
}
