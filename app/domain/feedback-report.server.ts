/**
 * The participant's 360 report: per dimension their own view against the
 * others' (only groups that may be shown, ADR 022), the gaps, the spread of
 * answers, the comments unattributed in random order, and at a follow-up the
 * others' view before and after. Only the owner reads it, and whoever they
 * shared it with while the share stands; every such view is audited. Anyone
 * else, coordinators and funders included, gets the made-up id's 404.
 */
import crypto from "node:crypto";
import type { Db } from "~/db/connection.server";
import { writeAudit } from "./audit.server";
import { can, notFound, ownParticipantIds, requireRole, type Ctx } from "./context.server";
import { dimensionMean, groupAnswers, MIN_GROUP_ANSWERS, parseInstrument, type Instrument, type Scores, type ShownGroup } from "./internal/feedback-instrument";

/** A gap this large between self and others is worth talking about. */
export const GAP_THRESHOLD = 0.5;

async function othersView(db: Db, subjectId: number, instrument: Instrument) {
  const responses = await db.selectFrom("feedback_responses").select(["shown_as", "scores"]).where("subject_id", "=", subjectId).execute();
  const parsed = responses.map((r) => ({ shownAs: r.shown_as, scores: JSON.parse(r.scores) as Scores }));
  const self = parsed.find((r) => r.shownAs === "self")?.scores ?? null;
  const grouped = groupAnswers(parsed);
  const shownAnswers = grouped.shown.flatMap((g) => g.answers);
  return { self, grouped, shownAnswers, othersAnswered: parsed.length - (self ? 1 : 0), instrument };
}

export async function getFeedbackReport(ctx: Ctx, subjectId: number) {
  const subject = await ctx.db
    .selectFrom("feedback_subjects as s")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("feedback_instruments as i", "i.id", "o.instrument_id")
    .innerJoin("cohorts as c", "c.id", "o.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .innerJoin("participants as pa", (j) => j.onRef("pa.id", "=", "s.participant_id").onRef("pa.municipality_id", "=", "s.municipality_id"))
    .select(["s.id", "s.participant_id as participantId", "s.municipality_id as municipalityId", "o.kind", "o.cohort_id as cohortId", "i.content", "c.name as cohortName", "p.id as programmeId", "p.name as programmeName", "pa.first_name as firstName", "pa.last_name as lastName"])
    .where("s.id", "=", subjectId)
    .executeTakeFirst();
  const owner = subject !== undefined && ownParticipantIds(ctx).includes(subject.participantId);
  if (!owner) {
    // A share counts only while its reader is still a lead or coach of the programme: removing the grant ends it.
    const share =
      subject && can(ctx, "feedback:shared", { programmeId: subject.programmeId })
        ? await ctx.db.selectFrom("feedback_shares").select("id").where("subject_id", "=", subject.id).where("user_id", "=", ctx.user.id).where("revoked_at", "is", null).executeTakeFirst()
        : undefined;
    await writeAudit(ctx.db, {
      actorUserId: ctx.user.id,
      municipalityId: subject?.municipalityId ?? null,
      action: share ? "feedback_report.viewed" : "authz.denied",
      entity: "feedback_subject",
      entityId: subjectId,
      detail: share ? { shareId: share.id } : { permission: "feedback:report" },
    });
    if (!share) throw notFound();
  }
  const s = subject!;
  const instrument = parseInstrument(s.content);
  const view = await othersView(ctx.db, s.id, instrument);

  let before: Awaited<ReturnType<typeof othersView>> | null = null;
  if (s.kind === "follow_up") {
    const first = await ctx.db
      .selectFrom("feedback_subjects as s")
      .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
      .innerJoin("feedback_instruments as i", "i.id", "o.instrument_id")
      .select(["s.id", "i.content"])
      .where("o.cohort_id", "=", s.cohortId)
      .where("o.kind", "=", "first")
      .where("s.participant_id", "=", s.participantId)
      .executeTakeFirst();
    if (first) before = await othersView(ctx.db, first.id, parseInstrument(first.content));
  }

  const dimensions = instrument.dimensions.map((d) => {
    const selfMean = view.self ? dimensionMean(d, [view.self]) : null;
    const othersMean = dimensionMean(d, view.shownAnswers);
    const gap = selfMean != null && othersMean != null ? selfMean - othersMean : null;
    const distribution = [0, 1, 2, 3, 4, 5].map((value) =>
      view.shownAnswers.reduce((n, a) => n + d.statements.filter((st) => (value === 0 ? a[st.id] === null : a[st.id] === value)).length, 0),
    );
    const beforeDimension = before?.instrument.dimensions.find((b) => b.key === d.key);
    return {
      key: d.key,
      title: d.title,
      self: selfMean,
      others: othersMean,
      groups: view.grouped.shown.map((g) => ({ group: g.group as ShownGroup, mean: dimensionMean(d, g.answers) })),
      gap,
      finding: gap == null ? null : gap >= GAP_THRESHOLD ? ("blind_spot" as const) : gap <= -GAP_THRESHOLD ? ("hidden_strength" as const) : null,
      /** Counts of "kan inte bedöma" (index 0) and 1–5 over the statements, shown groups only. */
      distribution,
      othersBefore: before && beforeDimension ? dimensionMean(beforeDimension, before.shownAnswers) : null,
    };
  });

  // Comments only once enough others answered that none can be told apart; shuffled at every view.
  const comments =
    view.othersAnswered >= MIN_GROUP_ANSWERS
      ? shuffle(await ctx.db.selectFrom("feedback_comments").select(["question", "text"]).where("subject_id", "=", s.id).where("is_self", "=", 0).execute())
      : [];
  const ownComments = await ctx.db.selectFrom("feedback_comments").select(["question", "text"]).where("subject_id", "=", s.id).where("is_self", "=", 1).orderBy("question").execute();

  return {
    subject: { id: s.id, kind: s.kind, cohortName: s.cohortName, programmeName: s.programmeName, name: `${s.firstName} ${s.lastName}` },
    isOwner: owner,
    questions: instrument.questions,
    groups: view.grouped.shown.map((g) => ({ group: g.group, count: g.answers.length })),
    hiddenCount: view.grouped.hiddenCount,
    hasSelf: view.self !== null,
    hasBefore: before !== null,
    dimensions,
    comments,
    ownComments,
  };
}

export interface SharedReport {
  subjectId: number;
  kind: "first" | "follow_up";
  name: string;
  cohortName: string;
  programmeName: string;
  sharedAt: string;
}

/**
 * The reports participants share with the caller now, newest share first:
 * a coach's start page and the lead's and coach's *Delade rapporter* (ADR
 * 036). Shares to a programme the caller no longer leads or coaches are left
 * out, as getFeedbackReport refuses them.
 */
export async function listReportsSharedWithMe(ctx: Ctx): Promise<SharedReport[]> {
  await requireRole(ctx, "feedback:shared");
  const rows = await ctx.db
    .selectFrom("feedback_shares as sh")
    .innerJoin("feedback_subjects as s", "s.id", "sh.subject_id")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("cohorts as c", "c.id", "o.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .innerJoin("participants as pa", (j) => j.onRef("pa.id", "=", "s.participant_id").onRef("pa.municipality_id", "=", "s.municipality_id"))
    .select(["s.id as subjectId", "o.kind", "pa.first_name as firstName", "pa.last_name as lastName", "c.name as cohortName", "p.id as programmeId", "p.name as programmeName", "sh.shared_at as sharedAt"])
    .where("sh.user_id", "=", ctx.user.id)
    .where("sh.revoked_at", "is", null)
    .orderBy("sh.shared_at", "desc")
    .orderBy("sh.id", "desc")
    .execute();
  return rows
    .filter((r) => can(ctx, "feedback:shared", { programmeId: r.programmeId }))
    .map((r) => ({ subjectId: r.subjectId, kind: r.kind, name: `${r.firstName} ${r.lastName}`, cohortName: r.cohortName, programmeName: r.programmeName, sharedAt: r.sharedAt }));
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
