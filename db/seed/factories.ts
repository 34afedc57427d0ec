/**
 * Building blocks for demo data and tests alike: each inserts one thing with
 * sensible defaults and returns its id. The demo seed and every test use
 * these, so test data looks like real data.
 */
import { hashPassword } from "../../app/auth/password.server";
import { nowIso, type Db } from "../../app/db/connection.server";
import type {
  EducationLevel,
  EnrolmentStatus,
  Funding,
  Gender,
  OutcomeCheckpoint,
  OutcomeResult,
  ProgrammeKind,
  Role,
  SessionKind,
} from "../../app/db/schema";

export async function createMunicipality(db: Db, input: { name: string; slug?: string; county?: string }): Promise<number> {
  const slug =
    input.slug ??
    input.name
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-");
  const row = await db
    .insertInto("municipalities")
    .values({ name: input.name, slug, county: input.county ?? "", created_at: nowIso() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface GrantInput {
  role: Role;
  municipalityId?: number;
  programmeId?: number;
  participantId?: number;
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; password?: string; grants?: GrantInput[]; mustChangePassword?: boolean },
): Promise<number> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const now = nowIso();
  const user = await db
    .insertInto("users")
    .values({
      email: input.email.toLowerCase(),
      name: input.name,
      password_hash: passwordHash,
      // The demo, the command line and the tests choose the password themselves: it is no one-time password.
      password_change_required: input.mustChangePassword ? 1 : 0,
      disabled_at: null,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const grant of input.grants ?? []) await addGrant(db, user.id, grant);
  return user.id;
}

export async function addGrant(db: Db, userId: number, grant: GrantInput): Promise<void> {
  await db
    .insertInto("role_grants")
    .values({
      user_id: userId,
      role: grant.role,
      municipality_id: grant.municipalityId ?? null,
      programme_id: grant.programmeId ?? null,
      participant_id: grant.participantId ?? null,
      created_at: nowIso(),
      created_by: null,
    })
    .execute();
}

export async function createProgramme(
  db: Db,
  input: {
    name: string;
    kind?: ProgrammeKind;
    funding?: Funding;
    ownerMunicipalityId: number;
    partnerMunicipalityIds: number[];
    esfProjectNumber?: string | null;
    startsOn: string;
    endsOn: string;
    description?: string;
  },
): Promise<number> {
  const now = nowIso();
  const row = await db
    .insertInto("programmes")
    .values({
      name: input.name,
      kind: input.kind ?? "ledarutveckling",
      funding: input.funding ?? "esf",
      owner_municipality_id: input.ownerMunicipalityId,
      esf_project_number: input.esfProjectNumber ?? null,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      description: input.description ?? "",
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const partners = new Set([input.ownerMunicipalityId, ...input.partnerMunicipalityIds]);
  await db
    .insertInto("programme_partners")
    .values([...partners].map((municipality_id) => ({ programme_id: row.id, municipality_id })))
    .execute();
  return row.id;
}

export async function createCohort(
  db: Db,
  input: { programmeId: number; name: string; startsOn: string; endsOn: string; seats: Record<number, number>; capacity?: number },
): Promise<number> {
  const now = nowIso();
  const total = Object.values(input.seats).reduce((a, b) => a + b, 0);
  const row = await db
    .insertInto("cohorts")
    .values({
      programme_id: input.programmeId,
      name: input.name,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      capacity: input.capacity ?? total,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const seatRows = Object.entries(input.seats).map(([municipalityId, seats]) => ({
    cohort_id: row.id,
    programme_id: input.programmeId,
    municipality_id: Number(municipalityId),
    seats,
  }));
  if (seatRows.length) await db.insertInto("cohort_seats").values(seatRows).execute();
  return row.id;
}

export async function createSession(
  db: Db,
  input: {
    cohortId: number;
    title: string;
    kind?: SessionKind;
    startsAt: string;
    endsAt: string;
    hostMunicipalityId: number;
    venue?: string;
    address?: string;
    meetingUrl?: string;
    facilitator?: string;
    description?: string;
  },
): Promise<number> {
  const now = nowIso();
  const row = await db
    .insertInto("sessions")
    .values({
      cohort_id: input.cohortId,
      title: input.title,
      kind: input.kind ?? "utbildningsdag",
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      host_municipality_id: input.hostMunicipalityId,
      venue: input.venue ?? "",
      address: input.address ?? "",
      meeting_url: input.meetingUrl ?? "",
      facilitator: input.facilitator ?? "",
      description: input.description ?? "",
      status: "planned",
      sequence: 0,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function createParticipant(
  db: Db,
  input: {
    municipalityId: number;
    firstName: string;
    lastName: string;
    email?: string;
    department?: string;
    title?: string;
    gender?: Gender;
    birthYear?: number;
    educationLevel?: EducationLevel | null;
    salaryGroup?: string;
    personnummer?: string | null;
    managerName?: string | null;
    managerEmail?: string | null;
  },
): Promise<number> {
  const now = nowIso();
  const row = await db
    .insertInto("participants")
    .values({
      municipality_id: input.municipalityId,
      first_name: input.firstName,
      last_name: input.lastName,
      email: (input.email ?? `${input.firstName}.${input.lastName}@example.se`).toLowerCase(),
      department: input.department ?? "",
      title: input.title ?? "",
      gender: input.gender ?? "vill_ej_uppge",
      birth_year: input.birthYear ?? 1985,
      education_level: input.educationLevel ?? null,
      salary_group: input.salaryGroup ?? "",
      manager_name: input.managerName ?? null,
      manager_email: input.managerEmail ?? null,
      ended_on: null,
      end_reason: null,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (input.personnummer) {
    await db
      .insertInto("participant_identities")
      .values({ participant_id: row.id, municipality_id: input.municipalityId, personnummer: input.personnummer })
      .execute();
  }
  return row.id;
}

export async function createEnrolment(
  db: Db,
  input: {
    cohortId: number;
    participantId: number;
    municipalityId: number;
    status?: EnrolmentStatus;
    nominatedAt?: string;
    startedOn?: string | null;
    endedOn?: string | null;
    dropReason?: string | null;
    waitlistPosition?: number | null;
  },
): Promise<number> {
  const status = input.status ?? "nominated";
  const at = input.nominatedAt ?? nowIso();
  const row = await db
    .insertInto("enrolments")
    .values({
      cohort_id: input.cohortId,
      participant_id: input.participantId,
      municipality_id: input.municipalityId,
      status,
      nominated_at: at,
      waitlist_position: input.waitlistPosition ?? null,
      status_changed_at: at,
      started_on: input.startedOn ?? null,
      ended_on: input.endedOn ?? null,
      drop_reason: input.dropReason ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("enrolment_events")
    .values({
      enrolment_id: row.id,
      status,
      occurred_on: (input.endedOn ?? input.startedOn ?? at).slice(0, 10),
      recorded_at: at,
      recorded_by: null,
      reason: input.dropReason ?? null,
    })
    .execute();
  return row.id;
}

export async function createOutcome(
  db: Db,
  input: {
    enrolmentId: number;
    checkpoint: OutcomeCheckpoint;
    result: OutcomeResult;
    recordedBy?: number | null;
    recordedAt?: string;
  },
): Promise<void> {
  const e = await db
    .selectFrom("enrolments")
    .select(["participant_id", "municipality_id"])
    .where("id", "=", input.enrolmentId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("outcomes")
    .values({
      enrolment_id: input.enrolmentId,
      participant_id: e.participant_id,
      municipality_id: e.municipality_id,
      checkpoint: input.checkpoint,
      result: input.result,
      recorded_by: input.recordedBy ?? null,
      recorded_at: input.recordedAt ?? nowIso(),
    })
    .execute();
}
