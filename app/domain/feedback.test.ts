import { describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { checked } from "./result";
import { answerAsRater, changeOwnFeedback, openRaterLink } from "./feedback.server";
import { getFeedbackReport } from "./feedback-report.server";
import { changeRound } from "./feedback-rounds.server";
import { changeOwnActionPlan, getOwnActionPlan, openManagerLink } from "./action-plans.server";
import { groupAnswers } from "./internal/feedback-instrument";
import { DEFAULT_INSTRUMENT } from "./internal/feedback-instrument";
import { buildFeed } from "./calendar.server";
import { getOwnRegisterExtract } from "./register-extract.server";
import { LIMITS } from "~/auth/rate-limit.server";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { DEMO_TODAY, demoDb } from "../../tests/support/db";

const PUBLIC = { publicUrl: "http://portal.test" };
const IP = "192.0.2.10";
const allScores = (value: "0" | "1" | "2" | "3" | "4" | "5"): Record<string, "0" | "1" | "2" | "3" | "4" | "5"> => Object.fromEntries(DEFAULT_INSTRUMENT.dimensions.flatMap((d) => d.statements.map((s) => [s.id, value])));
const answerInput = (value: "0" | "1" | "2" | "3" | "4" | "5" = "4", answer1 = "") => checked({ scores: allScores(value), answer1, answer2: "" });

async function userId(db: Db, email: string) {
  return (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

async function traineeSetup() {
  const { db } = await demoDb();
  const trainee = await ctxFor(db, await userId(db, "deltagare@programportalen.test"));
  const subject = await db.selectFrom("feedback_subjects").select("id").where("participant_id", "=", trainee.grants[0].participantId!).orderBy("id").executeTakeFirstOrThrow();
  return { db, trainee, subjectId: subject.id };
}

/** Invites and returns the tokens from the queued e-mail, as a rater would find them. */
async function invite(db: Db, trainee: Awaited<ReturnType<typeof ctxFor>>, subjectId: number, group: "manager" | "colleague" | "report", emails: string[], shownApart = false) {
  const before = (await db.selectFrom("mail_outbox").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst())?.id ?? 0;
  const result = await changeOwnFeedback(trainee, subjectId, checked({ intent: "invite" as const, group, emails, shownApart: shownApart ? ("on" as const) : undefined }), PUBLIC, DEMO_TODAY);
  expect(result.ok).toBe(true);
  const mails = await db.selectFrom("mail_outbox").select("body_text").where("id", ">", Number(before)).orderBy("id").execute();
  return mails.map((m) => /\/svara\/([A-Za-z0-9_-]{43})/.exec(m.body_text)![1]);
}

describe("360 anonymity rules", () => {
  const r = (shownAs: "self" | "manager" | "colleague" | "report" | "other") => ({ shownAs, scores: { a: 4 } });

  it("anonymity: a group of 2 is hidden and a group of 3 is shown", () => {
    expect(groupAnswers([r("colleague"), r("colleague")]).shown).toEqual([]);
    expect(groupAnswers([r("colleague"), r("colleague")]).hiddenCount).toBe(2);
    expect(groupAnswers([r("colleague"), r("colleague"), r("colleague")]).shown.map((g) => g.group)).toEqual(["colleague"]);
  });

  it("anonymity: groups under 3 are merged into Övriga, shown only from 3", () => {
    const merged = groupAnswers([r("colleague"), r("colleague"), r("report"), r("report")]);
    expect(merged.shown.map((g) => [g.group, g.answers.length])).toEqual([["other", 4]]);
    const stillSmall = groupAnswers([r("colleague"), r("report")]);
    expect(stillSmall.shown).toEqual([]);
    expect(stillSmall.hiddenCount).toBe(2);
  });

  it("anonymity: a manager not told goes to Övriga; a manager told is their own group", () => {
    expect(groupAnswers([r("other"), r("colleague"), r("colleague")]).shown.map((g) => g.group)).toEqual(["other"]);
    expect(groupAnswers([r("manager"), r("colleague"), r("colleague")]).shown.map((g) => g.group)).toEqual(["manager"]);
    expect(groupAnswers([r("self")]).shown).toEqual([]);
  });
});

describe("360 rater links", () => {
  it("a rater answers through the link once; the answer is stored without the rater", async () => {
    const { db, trainee, subjectId } = await traineeSetup();
    const [token] = await invite(db, trainee, subjectId, "report", ["m1@example.org"]);
    const page = await openRaterLink({ db, token, clientIp: IP }, DEMO_TODAY);
    expect(page?.kind).toBe("form");
    // The page holds the participant's name and the questionnaire, nothing else of them.
    expect(Object.keys(page!).sort()).toEqual(["closesOn", "instrument", "kind", "name"]);
    expect((await answerAsRater({ db, token, clientIp: IP }, answerInput(), DEMO_TODAY))?.ok).toBe(true);
    const again = await answerAsRater({ db, token, clientIp: IP }, answerInput(), DEMO_TODAY);
    expect(again?.ok).toBe(false);
    const columns = Object.keys((await db.selectFrom("feedback_responses").selectAll().limit(1).executeTakeFirstOrThrow()) as object);
    expect(columns.sort()).toEqual(["id", "scores", "shown_as", "subject_id"]);
  });

  it("token revocation: a revoked link leads nowhere", async () => {
    const { db, trainee, subjectId } = await traineeSetup();
    const [token] = await invite(db, trainee, subjectId, "colleague", ["k9@example.org"]);
    const rater = await db.selectFrom("feedback_raters").select("id").where("email", "=", "k9@example.org").executeTakeFirstOrThrow();
    expect((await changeOwnFeedback(trainee, subjectId, checked({ intent: "revoke" as const, raterId: rater.id }), PUBLIC, DEMO_TODAY)).ok).toBe(true);
    expect(await openRaterLink({ db, token, clientIp: IP }, DEMO_TODAY)).toBeNull();
    expect(await answerAsRater({ db, token, clientIp: IP }, answerInput(), DEMO_TODAY)).toBeNull();
  });

  it("token expiry: the link stops at the round's last day and when it closes; raters' e-mail addresses are deleted on closing", async () => {
    const { db, trainee, subjectId } = await traineeSetup();
    const [token] = await invite(db, trainee, subjectId, "colleague", ["k8@example.org"]);
    const round = await db.selectFrom("feedback_subjects as s").innerJoin("feedback_rounds as o", "o.id", "s.round_id").select(["o.id", "o.closes_on"]).where("s.id", "=", subjectId).executeTakeFirstOrThrow();
    expect(await openRaterLink({ db, token, clientIp: IP }, "2099-01-01")).toBeNull();
    expect(await openRaterLink({ db, token, clientIp: IP }, round.closes_on)).not.toBeNull();
    const lead = await ctxFor(db, await userId(db, "programledare@programportalen.test"));
    const programme = await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow();
    expect((await changeRound(lead, programme.id, checked({ intent: "close" as const, roundId: round.id }), { today: DEMO_TODAY })).ok).toBe(true);
    expect(await openRaterLink({ db, token, clientIp: IP }, DEMO_TODAY)).toBeNull();
    const left = await db.selectFrom("feedback_raters as r").innerJoin("feedback_subjects as s", "s.id", "r.subject_id").select("r.email").where("s.round_id", "=", round.id).where("r.email", "is not", null).execute();
    expect(left).toEqual([]);
    expect(await db.selectFrom("mail_outbox").select("id").where("kind", "in", ["feedback_invitation", "feedback_reminder"]).execute()).toEqual([]);
  });

  it("a rater link cannot reach anything else: not a calendar feed, not an action plan", async () => {
    const { db, trainee, subjectId } = await traineeSetup();
    const [token] = await invite(db, trainee, subjectId, "colleague", ["k7@example.org"]);
    expect(await buildFeed({ db, config: PUBLIC }, token)).toBeNull();
    expect(await openManagerLink({ db, token, clientIp: IP })).toBeNull();
    expect(await openRaterLink({ db, token, clientIp: IP }, DEMO_TODAY)).not.toBeNull();
  });

  it("guessing links is rate-limited per client address", async () => {
    const { db } = await traineeSetup();
    const guess = (i: number) => `${"A".repeat(40)}${String(i).padStart(3, "0")}`;
    for (let i = 0; i <= LIMITS.link.free; i++) expect(await openRaterLink({ db, token: guess(i), clientIp: IP }, DEMO_TODAY)).toBeNull();
    expect((await openRaterLink({ db, token: guess(99), clientIp: IP }, DEMO_TODAY))?.kind).toBe("limited");
    expect(await openRaterLink({ db, token: guess(99), clientIp: "192.0.2.99" }, DEMO_TODAY)).toBeNull();
  });
});

describe("360 report", () => {
  it("coordinator/funder 404 on individual reports (and the lead and admin without a share), each denial audited", async () => {
    const { db, subjectId } = await traineeSetup();
    for (const email of ["samordnare.vimmerby@programportalen.test", "finansiar@programportalen.test", "programledare@programportalen.test", "admin@programportalen.test"]) {
      await expectResponse(getFeedbackReport(await ctxFor(db, await userId(db, email)), subjectId), 404);
    }
    const denials = await db.selectFrom("audit_log").select("id").where("action", "=", "authz.denied").where("entity", "=", "feedback_subject").execute();
    expect(denials).toHaveLength(4);
  });

  it("sharing and un-sharing: the lead reads the report only while shared, and every view is audited", async () => {
    const { db, trainee, subjectId } = await traineeSetup();
    const leadId = await userId(db, "programledare@programportalen.test");
    const lead = await ctxFor(db, leadId);
    expect((await changeOwnFeedback(trainee, subjectId, checked({ intent: "share" as const, userId: leadId }), PUBLIC, DEMO_TODAY)).ok).toBe(true);
    const report = await getFeedbackReport(lead, subjectId);
    expect(report.isOwner).toBe(false);
    expect(await db.selectFrom("audit_log").select("actor_user_id").where("action", "=", "feedback_report.viewed").execute()).toEqual([{ actor_user_id: leadId }]);
    await getFeedbackReport(trainee, subjectId);
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "feedback_report.viewed").execute()).toHaveLength(1);
    const share = await db.selectFrom("feedback_shares").select("id").where("subject_id", "=", subjectId).executeTakeFirstOrThrow();
    expect((await changeOwnFeedback(trainee, subjectId, checked({ intent: "unshare" as const, shareId: share.id }), PUBLIC, DEMO_TODAY)).ok).toBe(true);
    await expectResponse(getFeedbackReport(lead, subjectId), 404);
    // Sharing with someone who is not the programme's lead is refused.
    const coordinatorId = await userId(db, "samordnare.vimmerby@programportalen.test");
    expect((await changeOwnFeedback(trainee, subjectId, checked({ intent: "share" as const, userId: coordinatorId }), PUBLIC, DEMO_TODAY)).ok).toBe(false);
  });

  it("anonymity in the report: 2 colleagues hidden with no figure derived from them, 3 shown; comments from 3 others", async () => {
    const { db, trainee, subjectId } = await traineeSetup();
    // The demo trainee has one colleague answer already; a second makes 2.
    const [t1, t2] = await invite(db, trainee, subjectId, "colleague", ["c1@example.org", "c2@example.org"]);
    await answerAsRater({ db, token: t1, clientIp: IP }, answerInput("1", "Bra på att lyssna."), DEMO_TODAY);
    let report = await getFeedbackReport(trainee, subjectId);
    expect(report.groups).toEqual([]);
    expect(report.hiddenCount).toBe(2);
    expect(report.dimensions.every((d) => d.others === null && d.distribution.every((n) => n === 0))).toBe(true);
    expect(report.comments).toEqual([]);
    await answerAsRater({ db, token: t2, clientIp: IP }, answerInput("1"), DEMO_TODAY);
    report = await getFeedbackReport(trainee, subjectId);
    expect(report.groups).toEqual([{ group: "colleague", count: 3 }]);
    expect(report.dimensions[0].others).not.toBeNull();
    expect(report.comments.map((c) => c.text)).toContain("Bra på att lyssna.");
  });
});

describe("action plan", () => {
  it("a participant writes goals, marks progress, and gives the manager a read-only link that can be stopped", async () => {
    const { db, trainee } = await traineeSetup();
    const goal = { intent: "goal" as const, title: "Tydligare möten", linkedTo: "communication", actions: "Dagordning i förväg.", managerSupport: "Tid i veckan", startsOn: "2026-12-01", dueOn: "2027-03-01" };
    expect((await changeOwnActionPlan(trainee, checked(goal))).ok).toBe(true);
    expect((await changeOwnActionPlan(trainee, checked({ ...goal, linkedTo: "no-such" }))).ok).toBe(false);
    const plan = await getOwnActionPlan(trainee);
    expect(plan!.goals.map((g) => g.title)).toEqual(["Tydligare möten"]);
    expect((await changeOwnActionPlan(trainee, checked({ intent: "progress" as const, goalId: plan!.goals[0].id, status: "reached" as const, reflection: "Gick bra." }))).ok).toBe(true);
    const shared = await changeOwnActionPlan(trainee, checked({ intent: "shareWithManager" as const }));
    const token = shared.ok ? shared.value.managerLink!.split("/").pop()! : "";
    const view = await openManagerLink({ db, token, clientIp: IP });
    expect(view && view.kind === "plan" ? view.goals.map((g) => g.status) : null).toEqual(["reached"]);
    await changeOwnActionPlan(trainee, checked({ intent: "stopSharing" as const }));
    expect(await openManagerLink({ db, token, clientIp: IP })).toBeNull();
    for (let i = 0; i < 4; i++) await changeOwnActionPlan(trainee, checked({ ...goal, title: `Mål ${i}` }));
    expect((await changeOwnActionPlan(trainee, checked({ ...goal, title: "Ett sjätte" }))).ok).toBe(false);
  });
});

describe("360 and the action plan as personal data", () => {
  it("the register extract holds the person's 360 rounds, own answers and action plan, never a rater's address", async () => {
    const { trainee } = await traineeSetup();
    await changeOwnActionPlan(trainee, checked({ intent: "goal" as const, title: "Delegera mer", linkedTo: "developing", actions: "Ett område till gruppen." }));
    const text = JSON.stringify(await getOwnRegisterExtract(trainee, "json"));
    expect(text).toContain("Delegera mer");
    expect(text).toMatch(/"manager":"0 av 1"/);
    expect(text).toContain("communication-1");
    expect(text).not.toContain("@example.org");
  });
});
