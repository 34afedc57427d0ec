/**
 * The course certificate (utbildningsbevis): for a participant whose
 * enrolment is completed and meets the programme's completion rule. The
 * participant reads their own; their municipality's coordinator reads it for
 * them. Everyone else, and an enrolment without a certificate, gets the 404 a
 * made-up id gets.
 */
import type { ProgrammeKind, SessionKind } from "~/db/schema";
import { can, denied, notFound, ownParticipantIds, requireRole, type Ctx, type Permission } from "./context.server";
import { completionOf, earnsCertificate } from "./internal/completion.server";
import { refuseUnseen } from "./internal/system-handle.server";

const READERS: Permission[] = ["self:read", "participants:read"];

export interface CourseCertificate {
  enrolmentId: number;
  participantName: string;
  municipalityName: string;
  programmeName: string;
  programmeKind: ProgrammeKind;
  esfProjectNumber: string | null;
  cohortName: string;
  startedOn: string;
  endedOn: string;
  attendedMinutes: number;
  completionPercent: number;
  /** Attended share in whole percent. */
  attendancePercent: number;
  sessions: { date: string; title: string; kind: SessionKind }[];
  ownerMunicipality: string;
  partnerMunicipalities: string[];
  programmeLeads: string[];
}

export async function getCourseCertificate(ctx: Ctx, enrolmentId: number, now: Date = new Date()): Promise<CourseCertificate> {
  await requireRole(ctx, READERS, { entity: "enrolment", entityId: enrolmentId });
  const enrolment = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as g", "g.id", "c.programme_id")
    .innerJoin("municipalities as o", "o.id", "g.owner_municipality_id")
    .select([
      "e.id",
      "e.participant_id",
      "e.municipality_id",
      "e.started_on",
      "e.ended_on",
      "p.first_name",
      "p.last_name",
      "p.anonymised_at",
      "m.name as municipality_name",
      "c.name as cohort_name",
      "c.starts_on as cohort_starts_on",
      "c.ends_on as cohort_ends_on",
      "g.id as programme_id",
      "g.name as programme_name",
      "g.kind as programme_kind",
      "g.esf_project_number",
      "o.name as owner_name",
    ])
    .where("e.id", "=", enrolmentId)
    .executeTakeFirst();
  // The join hides an enrolment whose participant the caller's handle does not see (another municipality's).
  if (!enrolment) return refuseUnseen(ctx, { table: "enrolments", id: enrolmentId, entity: "enrolment" }, READERS);
  const mayRead =
    can(ctx, "self:read", { participantId: enrolment.participant_id }) ||
    can(ctx, "participants:read", { municipalityId: enrolment.municipality_id });
  if (!mayRead) await denied(ctx, READERS, { entity: "enrolment", entityId: enrolmentId, municipalityId: enrolment.municipality_id });

  const completion = (await completionOf(ctx.db, [enrolmentId], now)).get(enrolmentId)!;
  if (!earnsCertificate(completion) || enrolment.anonymised_at) throw notFound();

  const sessions = completion.attendedSessionIds.length
    ? await ctx.db
        .selectFrom("sessions")
        .select(["starts_at", "title", "kind"])
        .where("id", "in", completion.attendedSessionIds)
        .orderBy("starts_at")
        .orderBy("id")
        .execute()
    : [];
  const partners = await ctx.db
    .selectFrom("programme_partners as pp")
    .innerJoin("municipalities as m", "m.id", "pp.municipality_id")
    .select("m.name")
    .where("pp.programme_id", "=", enrolment.programme_id)
    .where("m.name", "<>", enrolment.owner_name)
    .orderBy("m.name")
    .execute();
  const leads = await ctx.db
    .selectFrom("role_grants as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select("u.name")
    .distinct()
    .where("r.role", "=", "programme_lead")
    .where("r.programme_id", "=", enrolment.programme_id)
    .where("u.disabled_at", "is", null)
    .orderBy("u.name")
    .execute();
  return {
    enrolmentId,
    participantName: `${enrolment.first_name} ${enrolment.last_name}`,
    municipalityName: enrolment.municipality_name,
    programmeName: enrolment.programme_name,
    programmeKind: enrolment.programme_kind,
    esfProjectNumber: enrolment.esf_project_number,
    cohortName: enrolment.cohort_name,
    startedOn: enrolment.started_on ?? enrolment.cohort_starts_on,
    endedOn: enrolment.ended_on ?? enrolment.cohort_ends_on,
    attendedMinutes: completion.attendedMinutes,
    completionPercent: completion.completionPercent,
    attendancePercent: Math.floor((completion.rate ?? 0) * 100),
    sessions: sessions.map((s) => ({ date: s.starts_at, title: s.title, kind: s.kind })),
    ownerMunicipality: enrolment.owner_name,
    partnerMunicipalities: partners.map((p) => p.name),
    programmeLeads: leads.map((l) => l.name),
  };
}

export interface CertificateLink {
  enrolmentId: number;
  programmeName: string;
  cohortName: string;
}

/**
 * The certificates a participant has earned: the caller's own (no
 * participant id), or, for their municipality's coordinator, one
 * participant's. Nothing for anyone else.
 */
export async function listCourseCertificates(ctx: Ctx, participantId?: number, now: Date = new Date()): Promise<CertificateLink[]> {
  let participantIds = ownParticipantIds(ctx);
  if (participantId !== undefined) {
    const participant = await ctx.db.selectFrom("participants").select("municipality_id").where("id", "=", participantId).executeTakeFirst();
    const mayRead =
      participant != null &&
      (can(ctx, "self:read", { participantId }) || can(ctx, "participants:read", { municipalityId: participant.municipality_id }));
    if (!mayRead) return [];
    participantIds = [participantId];
  }
  if (!participantIds.length) return [];
  const enrolments = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as g", "g.id", "c.programme_id")
    .select(["e.id", "c.name as cohort_name", "g.name as programme_name"])
    .where("e.participant_id", "in", participantIds)
    .where("e.status", "=", "completed")
    .where("p.anonymised_at", "is", null)
    .orderBy("c.starts_on")
    .execute();
  const completion = await completionOf(ctx.db, enrolments.map((e) => e.id), now);
  return enrolments
    .filter((e) => earnsCertificate(completion.get(e.id)!))
    .map((e) => ({ enrolmentId: e.id, programmeName: e.programme_name, cohortName: e.cohort_name }));
}
