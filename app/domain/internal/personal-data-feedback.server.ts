/**
 * The personal-data registry's entries for 360 feedback and the action plan
 * (issue 16, ADR 022): the person's rounds and own answers, how many answered
 * per group (never who), comments about them without who wrote them, shares,
 * and the action plan. Anonymisation deletes them all, with any invitation
 * e-mail still in the outbox. Part of PERSONAL_DATA_HANDLING
 * (personal-data.server.ts).
 */
import type { Database } from "~/db/schema";
import type { PersonalTable } from "./personal-data.server";

const subjectIds = (db: Parameters<Exclude<PersonalTable["extract"], "not-extracted">>[0], participantId: number, municipalityId: number) =>
  db.selectFrom("feedback_subjects").select("id").where("participant_id", "=", participantId).where("municipality_id", "=", municipalityId);

export const FEEDBACK_TABLES = {
  feedback_rater_links: {
    handling: "Bara en kontrollsumma av länken; raderas när rundan stängs, när länken återkallas och vid anonymisering, med inbjudan i e-postkön (utdrag: nej, en nyckel).",
    extract: "not-extracted",
    anonymise: async (trx, { participant: p }, c) => {
      const links = trx
        .selectFrom("feedback_rater_links as l")
        .innerJoin("feedback_raters as r", "r.id", "l.rater_id")
        .innerJoin("feedback_subjects as s", "s.id", "r.subject_id")
        .select("l.mail_id")
        .where("s.participant_id", "=", p.id)
        .where("s.municipality_id", "=", p.municipality_id)
        .where("l.mail_id", "is not", null)
        .$narrowType<{ mail_id: number }>();
      const mails = await trx.selectFrom("mail_outbox").select(["id", "created_at"]).where("id", "in", links).execute();
      if (mails.length) await trx.deleteFrom("mail_outbox").where("id", "in", mails.map((m) => m.id)).execute();
      c.removedMail.push(...mails.map((m) => ({ id: m.id, createdAt: m.created_at })));
      return { emails: mails.length };
    },
  },
  feedback_subjects: {
    handling:
      "Deltagarens 360-rundor; raderas vid anonymisering tillsammans med bedömare, länkar, svar, kommentarer och delningar (utdrag: ja, med antal inbjudna och svar per grupp, aldrig vem).",
    extract: async (db, { participant: p }) => {
      const rows = await db
        .selectFrom("feedback_subjects as s")
        .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
        .innerJoin("cohorts as c", "c.id", "o.cohort_id")
        .innerJoin("programmes as pr", "pr.id", "c.programme_id")
        .select(["s.id", "pr.name as programme", "c.name as cohort", "o.kind", "o.closes_on as closesOn", "s.self_answered_at as selfAnsweredAt"])
        .where("s.participant_id", "=", p.id)
        .where("s.municipality_id", "=", p.municipality_id)
        .orderBy("s.id")
        .execute();
      const raters = rows.length
        ? await db.selectFrom("feedback_raters").select(["subject_id", "rater_group", "answered_at"]).where("subject_id", "in", rows.map((r) => r.id)).where("revoked_at", "is", null).execute()
        : [];
      return rows.map((r) => {
        const mine = raters.filter((x) => x.subject_id === r.id);
        const count = (group: string) => `${mine.filter((x) => x.rater_group === group && x.answered_at).length} av ${mine.filter((x) => x.rater_group === group).length}`;
        return { ...r, manager: count("manager"), colleagues: count("colleague"), reports: count("report") };
      });
    },
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("feedback_subjects").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    },
  },
  feedback_raters: {
    handling: "Bedömarnas e-post raderas när rundan stängs; raderna raderas med rundan (utdrag: bara antal per grupp, under 360-rundor).",
    extract: "not-extracted",
    anonymise: "kept",
  },
  feedback_responses: {
    handling: "Deltagarens egna 360-svar och andras svar om deltagaren, utan vem som svarat; raderas med rundan (utdrag: egna svar; andras visas i rapporten).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("feedback_responses")
        .select(["subject_id as round", "scores"])
        .where("subject_id", "in", subjectIds(db, p.id, p.municipality_id))
        .where("shown_as", "=", "self")
        .orderBy("id")
        .execute(),
    anonymise: "kept",
  },
  feedback_comments: {
    handling: "Fritextsvar av deltagaren och om deltagaren, utan vem som skrev; raderas med rundan (utdrag: ja, utan vem som skrev).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("feedback_comments")
        .select(["subject_id as round", "question", "is_self as fromSelf", "text"])
        .where("subject_id", "in", subjectIds(db, p.id, p.municipality_id))
        .orderBy("id")
        .execute(),
    anonymise: "kept",
  },
  feedback_shares: {
    handling: "Vem deltagaren har delat sin 360-rapport med; raderas med rundan (utdrag: ja, med namn och användar-id).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("feedback_shares as sh")
        .leftJoin("users as u", "u.id", "sh.user_id")
        .select(["sh.subject_id as round", "u.name as sharedWith", "sh.user_id as userId", "sh.shared_at as sharedAt", "sh.revoked_at as revokedAt"])
        .where("sh.subject_id", "in", subjectIds(db, p.id, p.municipality_id))
        .orderBy("sh.id")
        .execute(),
    anonymise: "kept",
  },
  action_plan_goals: {
    handling: "Mål, aktiviteter, stöd från chefen, datum, läge och reflektioner; raderas med handlingsplanen (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("action_plan_goals as g")
        .innerJoin("action_plans as a", "a.id", "g.plan_id")
        .select(["g.title", "g.linked_to as linkedTo", "g.actions", "g.manager_support as managerSupport", "g.starts_on as startsOn", "g.due_on as dueOn", "g.status", "g.reflection"])
        .where("a.participant_id", "=", p.id)
        .where("a.municipality_id", "=", p.municipality_id)
        .orderBy("a.id")
        .orderBy("g.position")
        .execute(),
    anonymise: "kept",
  },
  action_plans: {
    handling: "Deltagarens handlingsplan och länken till chefen (bara en kontrollsumma); raderas med målen vid anonymisering (utdrag: ja, om den delas med chefen).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("action_plans as a")
        .innerJoin("cohorts as c", "c.id", "a.cohort_id")
        .select(["c.name as cohort", "a.updated_at as updatedAt", (eb) => eb("a.manager_token_hash", "is not", null).as("sharedWithManager")])
        .where("a.participant_id", "=", p.id)
        .where("a.municipality_id", "=", p.municipality_id)
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("action_plans").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    },
  },
} satisfies Partial<Record<keyof Database, PersonalTable>>;
