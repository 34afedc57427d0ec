/**
 * The coach role (issue 16, ADR 036): a coach of a programme reads exactly
 * the 360 reports its participants share with them, while shared, every view
 * audited; everything else personal refuses them as it refuses a funder.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { createProgramme, createUser } from "../../db/seed/factories";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { DEMO_TODAY, demoDb } from "../../tests/support/db";
import { checked } from "./result";
import { changeOwnFeedback, getOwnSubject } from "./feedback.server";
import { getFeedbackReport, listReportsSharedWithMe } from "./feedback-report.server";
import { getStartPage } from "./start-page.server";
import { getParticipant, listParticipants } from "./participants.server";
import { getCohortWithRoster } from "./cohorts.server";
import { getStatistics } from "./statistics.server";
import { getEffectReport } from "./effects.server";
import { administerUser } from "./users.server";

const PUBLIC = { publicUrl: "http://portal.test" };

async function userId(db: Db, email: string) {
  return (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

async function setup() {
  const { db } = await demoDb();
  const trainee = await ctxFor(db, await userId(db, "deltagare@programportalen.test"));
  const subject = await db.selectFrom("feedback_subjects").select("id").where("participant_id", "=", trainee.grants[0].participantId!).orderBy("id").executeTakeFirstOrThrow();
  const coachId = await userId(db, "coach@programportalen.test");
  return { db, trainee, subjectId: subject.id, coachId, coach: () => ctxFor(db, coachId) };
}

const share = (userId: number) => checked({ intent: "share" as const, userId });

describe("the coach role", () => {
  it("the demo coach has one report shared from Omgång 1 on the start page, and 404 on the demo trainee's unshared report, audited", async () => {
    const { db, subjectId, coach } = await setup();
    const start = await getStartPage(await coach());
    expect(start.coach).toHaveLength(1);
    expect(start.coach![0]).toMatchObject({ kind: "follow_up", cohortName: "Omgång 1", programmeName: "Ledarutveckling över gränserna" });
    await expectResponse(getFeedbackReport(await coach(), subjectId), 404);
    const denial = await db.selectFrom("audit_log").select(["action", "entity_id"]).where("entity", "=", "feedback_subject").execute();
    expect(denial).toEqual([{ action: "authz.denied", entity_id: String(subjectId) }]);
  });

  it("the participant shares with the coach, the coach reads it (audited), the participant revokes, the coach gets 404 and the list is empty", async () => {
    const { db, trainee, subjectId, coachId, coach } = await setup();
    const page = await getOwnSubject(trainee, subjectId, DEMO_TODAY);
    expect(page.recipients).toContainEqual({ id: coachId, name: "Cecilia Coach", role: "coach" });
    expect((await changeOwnFeedback(trainee, subjectId, share(coachId), PUBLIC, DEMO_TODAY)).ok).toBe(true);
    // Shared: gone from the choices, in the coach's list, readable.
    expect((await getOwnSubject(trainee, subjectId, DEMO_TODAY)).recipients.map((r) => r.id)).not.toContain(coachId);
    expect((await listReportsSharedWithMe(await coach())).map((r) => r.subjectId)).toContain(subjectId);
    const report = await getFeedbackReport(await coach(), subjectId);
    expect(report).toMatchObject({ isOwner: false, ownComments: expect.any(Array) });
    const viewed = await db.selectFrom("audit_log").select(["actor_user_id", "entity_id"]).where("action", "=", "feedback_report.viewed").execute();
    expect(viewed).toEqual([{ actor_user_id: coachId, entity_id: String(subjectId) }]);
    const shared = await db.selectFrom("audit_log").select("detail").where("action", "=", "feedback_report.shared").executeTakeFirstOrThrow();
    expect(JSON.parse(shared.detail!)).toEqual({ userId: coachId, role: "coach" });

    const shareId = (await getOwnSubject(trainee, subjectId, DEMO_TODAY)).shares.find((s) => s.userId === coachId)!.id;
    expect((await changeOwnFeedback(trainee, subjectId, checked({ intent: "unshare" as const, shareId }), PUBLIC, DEMO_TODAY)).ok).toBe(true);
    await expectResponse(getFeedbackReport(await coach(), subjectId), 404);
    expect((await listReportsSharedWithMe(await coach())).map((r) => r.subjectId)).not.toContain(subjectId);
  });

  it("a coach of another programme cannot be chosen, and a coach whose grant is removed no longer reads what was shared", async () => {
    const { db, trainee, subjectId, coachId, coach } = await setup();
    const owner = await db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
    const other = await createProgramme(db, { name: "Annat program", ownerMunicipalityId: owner.id, partnerMunicipalityIds: [], startsOn: "2026-01-01", endsOn: "2026-12-31" });
    const elsewhere = await createUser(db, { email: "coach.annat@example.se", name: "Annan Coach", grants: [{ role: "coach", programmeId: other }] });
    expect(await changeOwnFeedback(trainee, subjectId, share(elsewhere), PUBLIC, DEMO_TODAY)).toMatchObject({ ok: false, status: 400 });
    expect(await db.selectFrom("feedback_shares").select("id").where("user_id", "=", elsewhere).execute()).toEqual([]);

    expect((await changeOwnFeedback(trainee, subjectId, share(coachId), PUBLIC, DEMO_TODAY)).ok).toBe(true);
    const admin = await ctxFor(db, await userId(db, "admin@programportalen.test"));
    const grant = await db.selectFrom("role_grants").select("id").where("user_id", "=", coachId).where("role", "=", "coach").executeTakeFirstOrThrow();
    expect((await administerUser(admin, coachId, { intent: "remove-grant", grantId: grant.id })).ok).toBe(true);
    await expectResponse(getFeedbackReport(await coach(), subjectId), 404);
  });

  it("an administrator gives the coach role per programme; without a programme it is refused", async () => {
    const { db } = await setup();
    const admin = await ctxFor(db, await userId(db, "admin@programportalen.test"));
    const user = await createUser(db, { email: "ny.coach@example.se", name: "Ny Coach" });
    const programme = await db.selectFrom("programmes").select("id").where("name", "=", "Regionalt traineeprogram").executeTakeFirstOrThrow();
    expect(await administerUser(admin, user, { intent: "add-grant", role: "coach" })).toMatchObject({ ok: false, status: 400 });
    expect((await administerUser(admin, user, { intent: "add-grant", role: "coach", programmeId: programme.id })).ok).toBe(true);
    expect(await db.selectFrom("role_grants").select(["role", "programme_id", "municipality_id"]).where("user_id", "=", user).execute()).toEqual([
      { role: "coach", programme_id: programme.id, municipality_id: null },
    ]);
    // The schema holds the scope too: a coach grant without a programme cannot be stored.
    await expect(db.insertInto("role_grants").values({ user_id: user, role: "coach", municipality_id: null, programme_id: null, participant_id: null, created_at: "x", created_by: null }).execute()).rejects.toThrow(/check/i);
  });

  it("refuses a coach everything personal and every aggregate, like a funder refused the participant register", async () => {
    const { db, coach } = await setup();
    const ctx = await coach();
    const programme = await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow();
    const cohort = await db.selectFrom("cohorts").select("id").where("programme_id", "=", programme.id).where("name", "=", "Omgång 2").executeTakeFirstOrThrow();
    await expectResponse(listParticipants(ctx, {}), 403);
    const { trainee } = { trainee: await ctxFor(db, await userId(db, "deltagare@programportalen.test")) };
    await expectResponse(getParticipant(ctx, trainee.grants[0].participantId!), 403);
    await expectResponse(getCohortWithRoster(ctx, cohort.id), 403);
    await expectResponse(getStatistics(ctx, { programmeId: programme.id, fromMonth: "2026-01", toMonth: "2026-06" }), 403);
    await expectResponse(getEffectReport(ctx, programme.id), 403);
  });
});
