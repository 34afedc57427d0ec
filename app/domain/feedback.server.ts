/**
 * The participant's side of a 360 round, and the rater's link.
 *
 * The participant answers about themself, invites raters by e-mail in groups,
 * reminds those who have not answered, revokes a link, and sees how many in
 * each group have answered, never who. A rater answers through a link without
 * an account: a random token used for nothing else, kept only as a SHA-256,
 * valid until the round is over or the link is revoked, behind the link rate
 * limit (app/auth/rate-limit.server.ts). The answer is stored without the
 * rater (docs/decisions/022-360-anonymity.md).
 */
import type { Db } from "~/db/connection.server";
import { nowIso } from "~/db/connection.server";
import type { FeedbackShownAs, RaterGroup } from "~/db/schema";
import { queueMail } from "~/mail/outbox.server";
import type { AnswerInput, ParticipantFeedbackInput } from "~/schemas/feedback";
import { stockholmToday } from "~/utils/format";
import { linkRetryAfter, recordUnknownLink } from "~/auth/rate-limit.server";
import { writeAudit } from "./audit.server";
import { notFound, ownParticipantIds, requireGrant, requireRole, type Ctx } from "./context.server";
import { parseInstrument, type Instrument, type Scores } from "./internal/feedback-instrument";
import { invitationText, newToken, sha256 } from "./internal/feedback-mail";
import { roundIsOver } from "./internal/feedback-store.server";
import { INPUT_REFUSED, invalid, ok, refuse, type Checked, type Result } from "./result";

export type { Instrument };

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The rounds the caller takes part in, newest first. */
export async function listOwnFeedback(ctx: Ctx) {
  const participantIds = ownParticipantIds(ctx);
  if (!participantIds.length) await requireRole(ctx, "feedback:self");
  return ctx.db
    .selectFrom("feedback_subjects as s")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("cohorts as c", "c.id", "o.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["s.id", "o.kind", "o.closes_on as closesOn", "o.closed_at as closedAt", "c.name as cohortName", "p.name as programmeName", "s.self_answered_at as selfAnsweredAt"])
    .where("s.participant_id", "in", participantIds)
    .orderBy("o.opened_at", "desc")
    .execute();
}

/** A subject the caller owns, or 404 (audited) for anyone else. */
async function loadOwnSubject(ctx: Ctx, subjectId: number) {
  await requireRole(ctx, "feedback:self", { entity: "feedback_subject", entityId: subjectId });
  const subject = await ctx.db
    .selectFrom("feedback_subjects as s")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("feedback_instruments as i", "i.id", "o.instrument_id")
    .innerJoin("cohorts as c", "c.id", "o.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .innerJoin("participants as pa", (j) => j.onRef("pa.id", "=", "s.participant_id").onRef("pa.municipality_id", "=", "s.municipality_id"))
    .select([
      "s.id",
      "s.participant_id as participantId",
      "s.municipality_id as municipalityId",
      "s.self_answered_at as selfAnsweredAt",
      "o.id as roundId",
      "o.kind",
      "o.closes_on",
      "o.closed_at",
      "i.content",
      "c.id as cohortId",
      "c.name as cohortName",
      "p.id as programmeId",
      "p.name as programmeName",
      "pa.first_name as firstName",
      "pa.last_name as lastName",
    ])
    .where("s.id", "=", subjectId)
    .executeTakeFirst();
  if (!subject) throw notFound();
  await requireGrant(ctx, "feedback:self", { participantId: subject.participantId }, { entity: "feedback_subject", entityId: subjectId });
  return subject;
}

/**
 * Whom a participant of the programme may share a report with: its leads and
 * coaches with an account in use (ADR 036), one line per person, a lead's grant
 * first when someone holds both.
 */
async function shareRecipients(db: Db, programmeId: number): Promise<{ id: number; name: string; role: "programme_lead" | "coach" }[]> {
  const rows = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["u.id", "u.name", "g.role"])
    .where("g.role", "in", ["programme_lead", "coach"])
    .where("g.programme_id", "=", programmeId)
    .where("u.disabled_at", "is", null)
    .orderBy("u.name")
    .orderBy("u.id")
    .execute();
  const byUser = new Map<number, { id: number; name: string; role: "programme_lead" | "coach" }>();
  for (const r of rows) {
    const role = r.role === "programme_lead" ? "programme_lead" : "coach";
    if (!byUser.has(r.id) || role === "programme_lead") byUser.set(r.id, { id: r.id, name: r.name, role });
  }
  return [...byUser.values()];
}

/** The participant's round page: questionnaire, own answer state, raters (without who answered), counts per group, shares. */
export async function getOwnSubject(ctx: Ctx, subjectId: number, today = stockholmToday()) {
  const s = await loadOwnSubject(ctx, subjectId);
  const raters = await ctx.db
    .selectFrom("feedback_raters")
    .select(["id", "rater_group as group", "email", "revoked_at as revokedAt", "answered_at as answeredAt", "shown_apart as shownApart"])
    .where("subject_id", "=", s.id)
    .orderBy("id")
    .execute();
  const answered: Record<RaterGroup, number> = { manager: 0, colleague: 0, report: 0 };
  const invited: Record<RaterGroup, number> = { manager: 0, colleague: 0, report: 0 };
  for (const r of raters) {
    if (r.revokedAt && !r.answeredAt) continue;
    invited[r.group]++;
    if (r.answeredAt) answered[r.group]++;
  }
  const recipients = await shareRecipients(ctx.db, s.programmeId);
  const shares = await ctx.db
    .selectFrom("feedback_shares as sh")
    .innerJoin("users as u", "u.id", "sh.user_id")
    .select(["sh.id", "sh.user_id as userId", "u.name", "sh.shared_at as sharedAt"])
    .where("sh.subject_id", "=", s.id)
    .where("sh.revoked_at", "is", null)
    .orderBy("sh.id")
    .execute();
  return {
    subject: { id: s.id, kind: s.kind, closesOn: s.closes_on, over: roundIsOver(s, today), selfAnsweredAt: s.selfAnsweredAt, cohortName: s.cohortName, programmeName: s.programmeName },
    instrument: parseInstrument(s.content),
    // Who was invited, never whether they answered: the list would tell who.
    raters: raters.filter((r) => !r.revokedAt).map((r) => ({ id: r.id, group: r.group, email: r.email })),
    invited,
    answered,
    recipients: recipients.filter((r) => !shares.some((sh) => sh.userId === r.id)),
    shares,
  };
}

function checkScores(instrument: Instrument, scores: Record<string, string>): Result<Scores> {
  const result: Scores = {};
  const missing: Record<string, string[]> = {};
  for (const d of instrument.dimensions) {
    for (const st of d.statements) {
      const v = scores[st.id];
      if (v === undefined) missing[`scores.${st.id}`] = ["Välj ett svar."];
      else result[st.id] = v === "0" ? null : Number(v);
    }
  }
  if (Object.keys(missing).length) return invalid(missing, "Svara på alla påståenden. Välj ”Kan inte bedöma” om du inte vet.");
  return ok(result);
}

/** The participant's own answer, once per round while it is open. */
export async function answerSelf(ctx: Ctx, subjectId: number, submitted: Checked<AnswerInput>, today = stockholmToday()): Promise<Result> {
  const s = await loadOwnSubject(ctx, subjectId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  if (roundIsOver(s, today)) return refuse("Rundan är avslutad.", 409);
  const scores = checkScores(parseInstrument(s.content), submitted.value.scores);
  if (!scores.ok) return scores;
  return ctx.db.transaction().execute(async (trx): Promise<Result> => {
    const marked = await trx.updateTable("feedback_subjects").set({ self_answered_at: nowIso() }).where("id", "=", s.id).where("self_answered_at", "is", null).executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0) return refuse("Du har redan svarat i den här rundan.", 409);
    await trx.insertInto("feedback_responses").values({ subject_id: s.id, shown_as: "self", scores: JSON.stringify(scores.value) }).execute();
    await insertComments(trx, s.id, true, submitted.value);
    await writeAudit(trx, { actorUserId: ctx.user.id, municipalityId: s.municipalityId, action: "feedback.self_answered", entity: "feedback_subject", entityId: s.id });
    return ok();
  });
}

async function insertComments(db: Db, subjectId: number, isSelf: boolean, input: AnswerInput) {
  const rows = [input.answer1, input.answer2].map((text, i) => ({ subject_id: subjectId, question: i + 1, is_self: isSelf ? 1 : 0, text: text ?? "" })).filter((r) => r.text);
  if (rows.length) await db.insertInto("feedback_comments").values(rows).execute();
}

/** Invites, reminds, revokes and shares; one form, one intent each. */
export async function changeOwnFeedback(ctx: Ctx, subjectId: number, submitted: Checked<ParticipantFeedbackInput>, server: { publicUrl: string }, today = stockholmToday()): Promise<Result<{ message: string }>> {
  const s = await loadOwnSubject(ctx, subjectId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const name = `${s.firstName} ${s.lastName}`;
  const audit = (action: string, detail?: Record<string, unknown>) =>
    writeAudit(ctx.db, { actorUserId: ctx.user.id, municipalityId: s.municipalityId, action, entity: "feedback_subject", entityId: s.id, detail });
  switch (input.intent) {
    case "invite": {
      if (roundIsOver(s, today)) return refuse("Rundan är avslutad.", 409);
      const emails = [...new Set(input.emails)];
      const shownApart = input.group === "manager" && input.shownApart === "on";
      const links = emails.map((email) => ({ email, token: newToken() }));
      const result = await ctx.db.transaction().execute(async (trx): Promise<Result<{ message: string }>> => {
        const existing = await trx.selectFrom("feedback_raters").select("email").where("subject_id", "=", s.id).where("revoked_at", "is", null).execute();
        const taken = new Set(existing.map((r) => r.email));
        const clash = links.find((l) => taken.has(l.email));
        if (clash) return invalid({ emails: [`${clash.email} är redan inbjuden.`] });
        if (existing.length + links.length > 40) return invalid({ emails: ["Högst 40 bedömare per runda."] });
        for (const l of links) {
          const rater = await trx
            .insertInto("feedback_raters")
            .values({ subject_id: s.id, rater_group: input.group, email: l.email, shown_apart: shownApart ? 1 : 0, invited_at: nowIso() })
            .returning("id")
            .executeTakeFirstOrThrow();
          const mailId = await queueMail(trx, {
            kind: "feedback_invitation",
            to: l.email,
            recipientUserId: null,
            subject: `${name} ber om din återkoppling – Programportalen`,
            text: invitationText(name, input.group, shownApart, s.closes_on, `${server.publicUrl}/svara/${l.token}`, false),
          });
          await trx.insertInto("feedback_rater_links").values({ token_hash: sha256(l.token), rater_id: rater.id, mail_id: mailId, created_at: nowIso() }).execute();
        }
        await writeAudit(trx, { actorUserId: ctx.user.id, municipalityId: s.municipalityId, action: "feedback.raters_invited", entity: "feedback_subject", entityId: s.id, detail: { group: input.group, count: links.length } });
        return ok({ message: links.length === 1 ? "Inbjudan skickas." : `${links.length} inbjudningar skickas.` });
      });
      return result;
    }
    case "remind": {
      if (roundIsOver(s, today)) return refuse("Rundan är avslutad.", 409);
      const waiting = await ctx.db
        .selectFrom("feedback_raters")
        .select(["id", "email", "rater_group", "shown_apart"])
        .where("subject_id", "=", s.id)
        .where("answered_at", "is", null)
        .where("revoked_at", "is", null)
        .where((eb) => eb.or([eb("reminded_at", "is", null), eb("reminded_at", "<", new Date(Date.now() - 2 * 86_400_000).toISOString())]))
        .execute();
      if (!waiting.length) return refuse("Det finns ingen att påminna just nu. En påminnelse kan skickas två dagar efter den förra.", 409);
      const links = waiting.map((r) => ({ ...r, token: newToken() }));
      await ctx.db.transaction().execute(async (trx) => {
        for (const r of links) {
          const mailId = await queueMail(trx, {
            kind: "feedback_reminder",
            to: r.email!,
            recipientUserId: null,
            subject: `Påminnelse: ${name} ber om din återkoppling – Programportalen`,
            text: invitationText(name, r.rater_group, r.shown_apart === 1, s.closes_on, `${server.publicUrl}/svara/${r.token}`, true),
          });
          await trx.insertInto("feedback_rater_links").values({ token_hash: sha256(r.token), rater_id: r.id, mail_id: mailId, created_at: nowIso() }).execute();
          await trx.updateTable("feedback_raters").set({ reminded_at: nowIso() }).where("id", "=", r.id).execute();
        }
      });
      await audit("feedback.raters_reminded", { count: links.length });
      return ok({ message: links.length === 1 ? "En påminnelse skickas." : `${links.length} påminnelser skickas.` });
    }
    case "revoke": {
      const revoked = await ctx.db.transaction().execute(async (trx) => {
        const done = await trx.updateTable("feedback_raters").set({ revoked_at: nowIso() }).where("id", "=", input.raterId).where("subject_id", "=", s.id).where("revoked_at", "is", null).executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) return false;
        const mailIds = trx.selectFrom("feedback_rater_links").select("mail_id").where("rater_id", "=", input.raterId).where("mail_id", "is not", null).$narrowType<{ mail_id: number }>();
        // Not yet sent: it need not go out; sent: the link in it stops working below.
        await trx.deleteFrom("mail_outbox").where("id", "in", mailIds).where("sent_at", "is", null).execute();
        await trx.deleteFrom("feedback_rater_links").where("rater_id", "=", input.raterId).execute();
        await trx.updateTable("feedback_raters").set({ email: null }).where("id", "=", input.raterId).execute();
        return true;
      });
      if (!revoked) throw notFound();
      await audit("feedback.rater_revoked", { raterId: input.raterId });
      return ok({ message: "Länken slutade gälla." });
    }
    case "share": {
      // Only the programme's own leads and coaches, as listed on the page: an id from elsewhere is a choice not offered.
      const recipient = (await shareRecipients(ctx.db, s.programmeId)).find((r) => r.id === input.userId);
      if (!recipient) return invalid({ userId: ["Välj någon i listan."] });
      const already = await ctx.db.selectFrom("feedback_shares").select("id").where("subject_id", "=", s.id).where("user_id", "=", recipient.id).where("revoked_at", "is", null).executeTakeFirst();
      if (!already) await ctx.db.insertInto("feedback_shares").values({ subject_id: s.id, user_id: recipient.id, shared_at: nowIso() }).execute();
      await audit("feedback_report.shared", { userId: recipient.id, role: recipient.role });
      return ok({ message: "Rapporten är delad." });
    }
    case "unshare": {
      const done = await ctx.db.updateTable("feedback_shares").set({ revoked_at: nowIso() }).where("id", "=", input.shareId).where("subject_id", "=", s.id).where("revoked_at", "is", null).executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) throw notFound();
      await audit("feedback_report.unshared", { shareId: input.shareId });
      return ok({ message: "Rapporten delas inte längre." });
    }
  }
}

/** What a rater's link leads to, if anything: the round still open, the link not revoked. */
async function raterByToken(db: Db, token: string, today: string) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .selectFrom("feedback_rater_links as l")
    .innerJoin("feedback_raters as r", "r.id", "l.rater_id")
    .innerJoin("feedback_subjects as s", "s.id", "r.subject_id")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("feedback_instruments as i", "i.id", "o.instrument_id")
    .innerJoin("participants as p", (j) => j.onRef("p.id", "=", "s.participant_id").onRef("p.municipality_id", "=", "s.municipality_id"))
    .select(["r.id", "r.subject_id as subjectId", "r.rater_group as group", "r.shown_apart as shownApart", "r.answered_at as answeredAt", "r.revoked_at as revokedAt", "o.closes_on", "o.closed_at", "i.content", "p.first_name as firstName", "p.last_name as lastName"])
    .where("l.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.revokedAt || roundIsOver(row, today)) return null;
  return row;
}

/** The one way in without an account: the link's token and the client's address, nothing else. */
export interface RaterLink {
  db: Db;
  token: string;
  clientIp: string;
}

export type RaterPage = { kind: "form"; name: string; instrument: Instrument; closesOn: string } | { kind: "answered"; name: string } | { kind: "limited"; retryAfter: number };

/**
 * The rater's page: the participant's name and the questionnaire, nothing
 * else of them. An unknown, revoked or expired link is null (404) and counts
 * against the client address.
 */
export async function openRaterLink(link: RaterLink, today = stockholmToday()): Promise<RaterPage | null> {
  const retryAfter = await linkRetryAfter(link.db, link.clientIp);
  if (retryAfter > 0) return { kind: "limited", retryAfter };
  const rater = await raterByToken(link.db, link.token, today);
  if (!rater) {
    await recordUnknownLink(link.db, link.clientIp);
    return null;
  }
  const name = `${rater.firstName} ${rater.lastName}`;
  if (rater.answeredAt) return { kind: "answered", name };
  return { kind: "form", name, instrument: parseInstrument(rater.content), closesOn: rater.closes_on };
}

/** A rater's answer, stored without them; the link then only says thank you. */
export async function answerAsRater(link: RaterLink, submitted: Checked<AnswerInput>, today = stockholmToday()): Promise<Result | null> {
  const page = await openRaterLink(link, today);
  if (!page) return null;
  if (page.kind === "limited") return refuse("För många försök. Vänta en stund och försök igen.", 429);
  if (page.kind === "answered") return refuse("Du har redan svarat. Tack!", 409);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const rater = (await raterByToken(link.db, link.token, today))!;
  const scores = checkScores(page.instrument, submitted.value.scores);
  if (!scores.ok) return scores;
  const shownAs: FeedbackShownAs = rater.group === "manager" ? (rater.shownApart ? "manager" : "other") : rater.group;
  return link.db.transaction().execute(async (trx): Promise<Result> => {
    const marked = await trx.updateTable("feedback_raters").set({ answered_at: nowIso() }).where("id", "=", rater.id).where("answered_at", "is", null).where("revoked_at", "is", null).executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0) return refuse("Du har redan svarat. Tack!", 409);
    await trx.insertInto("feedback_responses").values({ subject_id: rater.subjectId, shown_as: shownAs, scores: JSON.stringify(scores.value) }).execute();
    await insertComments(trx, rater.subjectId, false, submitted.value);
    return ok();
  });
}
