/**
 * The register extract's sections for 360 feedback and the action plan
 * (issue 16): the person's rounds, their own answers, how many answered per
 * group (never who), the comments about them unattributed, shares, and the
 * action plan. Raters' identities never appear. No grant check: the extract
 * checks first.
 */
import type { Db } from "~/db/connection.server";

type Value = string | number | null;
interface Section {
  key: string;
  title: string;
  description: string;
  columns: { key: string; label: string }[];
  rows: Record<string, Value>[];
}

const cols = (pairs: [string, string][]) => pairs.map(([key, label]) => ({ key, label }));

export async function feedbackExtractSections(db: Db, participantId: number): Promise<Section[]> {
  const subjects = await db
    .selectFrom("feedback_subjects as s")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("cohorts as c", "c.id", "o.cohort_id")
    .select(["s.id", "c.name as cohort", "o.kind", "o.closes_on", "s.self_answered_at"])
    .where("s.participant_id", "=", participantId)
    .orderBy("s.id")
    .execute();
  const ids = subjects.map((s) => s.id);
  const raters = ids.length
    ? await db.selectFrom("feedback_raters").select(["subject_id", "rater_group", "answered_at"]).where("subject_id", "in", ids).where("revoked_at", "is", null).execute()
    : [];
  const own = ids.length ? await db.selectFrom("feedback_responses").select(["subject_id", "scores"]).where("subject_id", "in", ids).where("shown_as", "=", "self").execute() : [];
  const comments = ids.length ? await db.selectFrom("feedback_comments").select(["subject_id", "question", "is_self", "text"]).where("subject_id", "in", ids).execute() : [];
  const shares = ids.length ? await db.selectFrom("feedback_shares").select(["subject_id", "user_id", "shared_at", "revoked_at"]).where("subject_id", "in", ids).execute() : [];
  const goals = await db
    .selectFrom("action_plan_goals as g")
    .innerJoin("action_plans as a", "a.id", "g.plan_id")
    .select(["g.title", "g.linked_to", "g.actions", "g.manager_support", "g.starts_on", "g.due_on", "g.status", "g.reflection"])
    .where("a.participant_id", "=", participantId)
    .orderBy("a.id")
    .orderBy("g.position")
    .execute();
  const count = (subjectId: number, group: string, answered: boolean) => raters.filter((r) => r.subject_id === subjectId && r.rater_group === group && (!answered || r.answered_at)).length;
  return [
    {
      key: "feedback360",
      title: "360-återkoppling",
      description: "Rundor du har deltagit i, ditt eget svar och hur många i varje grupp som bjöds in och svarade. Vem som har svarat sparas inte med svaren och lämnas inte ut.",
      columns: cols([["cohort", "Omgång"], ["kind", "Runda"], ["closesOn", "Sista svarsdag"], ["selfAnsweredAt", "Eget svar"], ["ownScores", "Egna svar (påstående: 1–5, tomt = kan inte bedöma)"], ["raters", "Inbjudna / svarat per grupp"]]),
      rows: subjects.map((s) => ({
        cohort: s.cohort,
        kind: s.kind === "first" ? "Första rundan" : "Uppföljning",
        closesOn: s.closes_on,
        selfAnsweredAt: s.self_answered_at,
        ownScores: own.find((o) => o.subject_id === s.id)?.scores ?? null,
        raters: (["manager", "colleague", "report"] as const).map((g) => `${{ manager: "chef", colleague: "kollegor", report: "medarbetare" }[g]} ${count(s.id, g, false)}/${count(s.id, g, true)}`).join(", "),
      })),
    },
    {
      key: "feedback360Comments",
      title: "Fritextsvar i 360-återkopplingen",
      description: "Det du själv och andra har skrivit med egna ord, utan vem som skrev det.",
      columns: cols([["round", "Runda"], ["question", "Fråga"], ["fromSelf", "Från dig själv"], ["text", "Text"]]),
      rows: comments.map((c) => ({ round: ids.indexOf(c.subject_id) + 1, question: c.question, fromSelf: c.is_self ? "Ja" : "Nej", text: c.text })),
    },
    {
      key: "feedback360Shares",
      title: "Delade 360-rapporter",
      description: "Vem du har delat din rapport med (användar-id) och när.",
      columns: cols([["round", "Runda"], ["userId", "Delad med (användar-id)"], ["sharedAt", "Delad"], ["revokedAt", "Slutade delas"]]),
      rows: shares.map((s) => ({ round: ids.indexOf(s.subject_id) + 1, userId: s.user_id, sharedAt: s.shared_at, revokedAt: s.revoked_at })),
    },
    {
      key: "actionPlan",
      title: "Handlingsplan",
      description: "Dina mål med aktiviteter, stöd från chefen, datum, läge och reflektioner.",
      columns: cols([["title", "Mål"], ["linkedTo", "Hör till"], ["actions", "Aktiviteter"], ["managerSupport", "Stöd från chefen"], ["startsOn", "Start"], ["dueOn", "Klart"], ["status", "Läge"], ["reflection", "Reflektion"]]),
      rows: goals.map((g) => ({ title: g.title, linkedTo: g.linked_to, actions: g.actions, managerSupport: g.manager_support, startsOn: g.starts_on, dueOn: g.due_on, status: { not_started: "Inte påbörjat", under_way: "På gång", reached: "Uppnått" }[g.status], reflection: g.reflection })),
    },
  ];
}
