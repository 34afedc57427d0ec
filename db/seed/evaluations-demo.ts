/**
 * Demo session evaluations: Omgång 1 of the ESF programme has answers for its
 * held sessions (about seven in ten of those present answered), so the
 * results and the effect report have something to show; the demo trainee in
 * Omgång 2 was asked after each session and has the latest one left to evaluate. Runs inside seedDemo's
 * transaction, after attendance. Scores follow a fixed pattern, not chance,
 * so tests can rely on them.
 */
import type { Db } from "../../app/db/connection.server";
import { ensureStatements, newResponseId } from "../../app/domain/internal/evaluation-invitations.server";

const COMMENTS = [
  "Bra blandning av teori och egna exempel.",
  "Skuggningen gav mest, fler sådana dagar.",
  "Lite för mycket föreläsning efter lunch.",
  "Nyttigt att höra hur andra kommuner gör.",
  "Tydliga övningar som jag kan ta med till min grupp.",
  "Lokalen var trång, men innehållet bra.",
];

export async function seedEvaluationsDemo(db: Db, programmeId: number, today: string): Promise<void> {
  const statements = await ensureStatements(db, programmeId);
  const cohorts = await db.selectFrom("cohorts").select(["id", "name"]).where("programme_id", "=", programmeId).execute();
  const first = cohorts.find((c) => c.name === "Omgång 1");
  const second = cohorts.find((c) => c.name === "Omgång 2");
  const present = (cohortId: number) =>
    db
      .selectFrom("attendance as a")
      .innerJoin("sessions as s", "s.id", "a.session_id")
      .leftJoin("role_grants as g", (join) => join.onRef("g.participant_id", "=", "a.participant_id").on("g.role", "=", "participant"))
      .select(["s.id as sessionId", "s.ends_at as endsAt", "a.participant_id as participantId", "a.municipality_id as municipalityId", "g.user_id as userId"])
      .where("s.cohort_id", "=", cohortId)
      .where("s.status", "=", "planned")
      .where("s.ends_at", "<", `${today}T00:00:00.000Z`)
      .where("a.status", "in", ["narvarande", "sen_ankomst"])
      .orderBy("s.starts_at")
      .orderBy("a.participant_id")
      .execute();

  if (first) {
    const rows = await present(first.id);
    for (const [i, r] of rows.entries()) {
      const answered = i % 10 < 7;
      await db
        .insertInto("evaluation_invitations")
        .values({ session_id: r.sessionId, participant_id: r.participantId, municipality_id: r.municipalityId, user_id: r.userId, invited_at: r.endsAt, reminded_at: null, answered: answered ? 1 : 0 })
        .execute();
      if (!answered) continue;
      const id = newResponseId();
      await db
        .insertInto("evaluation_responses")
        .values({ id, session_id: r.sessionId, comment: i % 9 === 0 ? COMMENTS[(i / 9) % COMMENTS.length] : "" })
        .execute();
      await db
        .insertInto("evaluation_scores")
        .values(statements.map((s, k) => ({ response_id: id, statement_id: s.id, score: [4, 5, 3, 4, 5, 4, 2, 4][(i + k * 3) % 8] })))
        .execute();
    }
  }

  if (second) {
    const trainee = await db
      .selectFrom("users as u")
      .innerJoin("role_grants as g", "g.user_id", "u.id")
      .select(["u.id as userId", "g.participant_id as participantId"])
      .where("u.email", "=", "deltagare@programportalen.test")
      .where("g.role", "=", "participant")
      .executeTakeFirst();
    // Asked after every session they attended; the older ones closed unanswered, the latest is still open.
    for (const r of (await present(second.id)).filter((r) => r.participantId === trainee?.participantId)) {
      await db
        .insertInto("evaluation_invitations")
        .values({ session_id: r.sessionId, participant_id: r.participantId, municipality_id: r.municipalityId, user_id: trainee!.userId, invited_at: r.endsAt, reminded_at: null, answered: 0 })
        .execute();
    }
  }
}
