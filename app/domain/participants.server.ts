/**
 * Participants (Deltagare): a coordinator lists, adds, edits and ends the
 * participants of their own municipality. Logins are given in
 * participant-login.server.ts; the CSV columns are app/ui/participants.ts.
 *
 * The personnummer lives in participant_identities. It leaves this module
 * masked (ÅÅÅÅMMDD-****), except from `getParticipantForEdit`, which feeds the
 * owning municipality's edit form. Audit entries carry ids and field names only.
 */
import { sql } from "kysely";
import { nowIso, type Db } from "~/db/connection.server";
import type { EducationLevel, EnrolmentStatus, Gender } from "~/db/schema";
import {
  PARTICIPANT_MESSAGES,
  type EndParticipationInput,
  type ParticipantInput,
  type ParticipantSort,
  type ParticipantStatusFilter,
} from "~/schemas/participants";
import { stockholmToday } from "~/utils/format";
import type { SortOrder } from "~/schemas/table-sort";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";
import { loadOwnParticipant, refuseIfAnonymised, requireOwnMunicipality } from "./internal/participant-access.server";
import { filteredQuery } from "./internal/participant-search.server";
import { changedFields, columnsOf, participantColumns, participantFields, personnummerOf, setPersonnummer } from "./internal/participant-records.server";
import { formatPersonnummer, maskPersonnummer } from "./personnummer";
import { INPUT_REFUSED, invalid, ok, type Checked, type Result } from "./result";
import { dialectOf } from "~/db/dialect.server";

export const PAGE_SIZE = 25;

export interface ParticipantListFilter {
  q?: string;
  status?: ParticipantStatusFilter;
  page?: number;
  sortera?: ParticipantSort;
  ordning?: SortOrder;
}

export interface ParticipantListItem {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  department: string;
  title: string;
  personnummerMasked: string | null;
  endedOn: string | null;
}

export interface ParticipantList {
  municipality: { id: number; name: string };
  items: ParticipantListItem[];
  total: number;
  page: number;
  pageCount: number;
  /** Participants of the municipality whatever the filter: tells "no match" from "none yet". */
  totalInMunicipality: number;
  filter: { q: string; status: ParticipantStatusFilter; sortera: ParticipantSort; ordning: SortOrder };
}

export interface ParticipantDetail {
  id: number;
  municipalityName: string;
  firstName: string;
  lastName: string;
  email: string;
  department: string;
  title: string;
  gender: Gender;
  birthYear: number;
  educationLevel: EducationLevel | null;
  salaryGroup: string;
  personnummerMasked: string | null;
  endedOn: string | null;
  endReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set once the participant has been anonymised after the retention period. */
  anonymisedAt: string | null;
  enrolments: {
    id: number;
    programmeName: string;
    cohortName: string;
    status: EnrolmentStatus;
    startedOn: string | null;
    endedOn: string | null;
    waitlistPosition: number | null;
  }[];
  /** The e-mail of the user who logs in as this participant, if any. */
  loginEmail: string | null;
}

// ---------------------------------------------------------------- reading

export async function listParticipants(ctx: Ctx, filter: ParticipantListFilter = {}): Promise<ParticipantList> {
  const municipalityId = await requireOwnMunicipality(ctx, "participants:read");
  const q = (filter.q ?? "").trim().slice(0, 100);
  const status = filter.status ?? "active";
  const sort = filter.sortera ?? "namn";
  const order = filter.ordning ?? "stigande";

  const base = filteredQuery(ctx.db, municipalityId, q, status);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filter.page ?? 1)), pageCount);
  const rows = await base
    .leftJoin("participant_identities as i", "i.participant_id", "p.id")
    .select(["p.id", "p.first_name", "p.last_name", "p.email", "p.department", "p.title", "p.ended_on", "i.personnummer"])
    .$call((query) => {
      const dir = order === "fallande" ? "desc" : "asc";
      // Status: the active (no end date) first, then the ended by date; ties by name, as the default order.
      if (sort === "epost") return query.orderBy("p.email", dir);
      if (sort === "forvaltning") return query.orderBy("p.department", dir);
      if (sort === "status") return query.orderBy(sql`case when p.ended_on is null then 0 else 1 end`, dir).orderBy("p.ended_on", dir);
      return query.orderBy("p.last_name", dir).orderBy("p.first_name", dir);
    })
    .orderBy("p.last_name")
    .orderBy("p.first_name")
    .orderBy("p.id")
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();

  const municipality = await ctx.db
    .selectFrom("municipalities")
    .select(["id", "name"])
    .where("id", "=", municipalityId)
    .executeTakeFirstOrThrow();
  const all = await ctx.db
    .selectFrom("participants")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("municipality_id", "=", municipalityId)
    .executeTakeFirstOrThrow();

  return {
    municipality,
    items: rows.map((r) => ({
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      department: r.department,
      title: r.title,
      personnummerMasked: r.personnummer ? maskPersonnummer(r.personnummer) : null,
      endedOn: r.ended_on,
    })),
    total,
    page,
    pageCount,
    totalInMunicipality: Number(all.n),
    filter: { q, status, sortera: sort, ordning: order },
  };
}

export async function getParticipant(ctx: Ctx, participantId: number): Promise<ParticipantDetail> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:read");
  const personnummer = await personnummerOf(ctx.db, p);
  const municipality = await ctx.db.selectFrom("municipalities").select("name").where("id", "=", p.municipality_id).executeTakeFirstOrThrow();
  const enrolments = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as pr", "pr.id", "c.programme_id")
    .select([
      "e.id",
      "pr.name as programmeName",
      "c.name as cohortName",
      "e.status",
      "e.started_on as startedOn",
      "e.ended_on as endedOn",
      "e.waitlist_position as waitlistPosition",
    ])
    .where("e.participant_id", "=", p.id)
    .where("e.municipality_id", "=", p.municipality_id)
    .orderBy("c.starts_on", "desc")
    .execute();
  const login = await ctx.db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select("u.email")
    .where("g.role", "=", "participant")
    .where("g.participant_id", "=", p.id)
    .where("g.municipality_id", "=", p.municipality_id)
    .executeTakeFirst();
  return {
    ...participantFields(p),
    municipalityName: municipality.name,
    personnummerMasked: personnummer ? maskPersonnummer(personnummer) : null,
    enrolments,
    loginEmail: login?.email ?? null,
  };
}

/** The edit form's starting values: the one place the full personnummer is shown. */
export async function getParticipantForEdit(
  ctx: Ctx,
  participantId: number,
): Promise<Result<{ id: number; firstName: string; lastName: string; values: Record<keyof ParticipantInput, string> }>> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  const anonymised = refuseIfAnonymised(p);
  if (anonymised) return anonymised;
  const personnummer = await personnummerOf(ctx.db, p);
  return ok({
    id: p.id,
    firstName: p.first_name,
    lastName: p.last_name,
    values: {
      firstName: p.first_name,
      lastName: p.last_name,
      email: p.email,
      department: p.department,
      title: p.title,
      gender: p.gender,
      birthYear: String(p.birth_year),
      personnummer: personnummer ? formatPersonnummer(personnummer) : "",
      educationLevel: p.education_level ?? "",
      salaryGroup: p.salary_group,
      managerName: p.manager_name ?? "",
      managerEmail: p.manager_email ?? "",
    },
  });
}

// ---------------------------------------------------------------- writing

async function emailTaken(db: Db, municipalityId: number, email: string, exceptId?: number): Promise<boolean> {
  let query = db
    .selectFrom("participants")
    .select("id")
    .where("municipality_id", "=", municipalityId)
    .where(sql<string>`lower(email)`, "=", email.toLowerCase());
  if (exceptId !== undefined) query = query.where("id", "!=", exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

const EMAIL_TAKEN = invalid({ email: [PARTICIPANT_MESSAGES.emailTaken] });

/** The new participant's id. */
export async function createParticipant(ctx: Ctx, submitted: Checked<ParticipantInput>): Promise<Result<number>> {
  const municipalityId = await requireOwnMunicipality(ctx, "participants:write");
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  if (await emailTaken(ctx.db, municipalityId, input.email)) return EMAIL_TAKEN;
  const now = nowIso();
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("participants")
        .values({ municipality_id: municipalityId, ...participantColumns(input), ended_on: null, end_reason: null, created_at: now, updated_at: now })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (input.personnummer) await setPersonnummer(trx, municipalityId, row.id, input.personnummer);
      await writeAudit(trx, {
        actorUserId: ctx.user.id,
        municipalityId,
        action: "participant.created",
        entity: "participant",
        entityId: row.id,
        detail: { source: "form", fields: filledFields(input) },
      });
      return row.id;
    });
    return ok(id);
  } catch (error) {
    if (dialectOf(ctx.db).isUniqueViolation(error)) return EMAIL_TAKEN;
    throw error;
  }
}

function filledFields(input: ParticipantInput): (keyof ParticipantInput)[] {
  return (Object.keys(input) as (keyof ParticipantInput)[]).filter((k) => input[k] !== undefined && input[k] !== "");
}

export async function updateParticipant(ctx: Ctx, participantId: number, submitted: Checked<ParticipantInput>): Promise<Result> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  const anonymised = refuseIfAnonymised(p);
  if (anonymised) return anonymised;
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  if (await emailTaken(ctx.db, p.municipality_id, input.email, p.id)) return EMAIL_TAKEN;
  const stored = await personnummerOf(ctx.db, p);
  const columns = participantColumns(input);
  const fields: string[] = changedFields(columnsOf(p), columns);
  const personnummer = input.personnummer ?? null;
  const personnummerChanged = stored !== personnummer;
  if (personnummerChanged) fields.push("personnummer");
  if (!fields.length) return ok();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("participants")
        .set({ ...columns, updated_at: nowIso() })
        .where("id", "=", p.id)
        .where("municipality_id", "=", p.municipality_id)
        .execute();
      if (personnummerChanged) await setPersonnummer(trx, p.municipality_id, p.id, personnummer);
      await writeAudit(trx, {
        actorUserId: ctx.user.id,
        municipalityId: p.municipality_id,
        action: "participant.updated",
        entity: "participant",
        entityId: p.id,
        detail: { source: "form", fields },
      });
    });
  } catch (error) {
    if (dialectOf(ctx.db).isUniqueViolation(error)) return EMAIL_TAKEN;
    throw error;
  }
  return ok();
}

/** Ends the participation; enrolments are left to the nomination rules. */
export async function endParticipation(ctx: Ctx, participantId: number, submitted: Checked<Omit<EndParticipationInput, "intent">>): Promise<Result> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  const anonymised = refuseIfAnonymised(p);
  if (anonymised) return anonymised;
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  if (input.endedOn > stockholmToday()) return invalid({ endedOn: ["Slutdatumet kan inte ligga i framtiden."] });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("participants")
      .set({ ended_on: input.endedOn, end_reason: input.endReason, updated_at: nowIso() })
      .where("id", "=", p.id)
      .where("municipality_id", "=", p.municipality_id)
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: p.municipality_id,
      action: "participant.ended",
      entity: "participant",
      entityId: p.id,
      detail: { fields: ["endedOn", "endReason"] },
    });
  });
  return ok();
}

/** Undoes an ending made by mistake. */
export async function reopenParticipation(ctx: Ctx, participantId: number): Promise<Result> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  const anonymised = refuseIfAnonymised(p);
  if (anonymised) return anonymised;
  if (p.ended_on === null) return ok();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("participants")
      .set({ ended_on: null, end_reason: null, updated_at: nowIso() })
      .where("id", "=", p.id)
      .where("municipality_id", "=", p.municipality_id)
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: p.municipality_id,
      action: "participant.reopened",
      entity: "participant",
      entityId: p.id,
      detail: { fields: ["endedOn", "endReason"] },
    });
  });
  return ok();
}

// ---------------------------------------------------------------- export

export interface ExportedParticipant {
  firstName: string;
  lastName: string;
  email: string;
  department: string;
  title: string;
  gender: Gender;
  birthYear: number;
  personnummerMasked: string | null;
  educationLevel: EducationLevel | null;
  salaryGroup: string;
  endedOn: string | null;
  endReason: string | null;
}

/** The filtered list, every page, for the CSV file; the personnummer masked. Audited. */
export async function exportParticipants(
  ctx: Ctx,
  filter: Omit<ParticipantListFilter, "page"> = {},
): Promise<{ municipalitySlug: string; rows: ExportedParticipant[] }> {
  const municipalityId = await requireOwnMunicipality(ctx, "participants:read");
  const q = (filter.q ?? "").trim().slice(0, 100);
  const status = filter.status ?? "active";
  const rows = await filteredQuery(ctx.db, municipalityId, q, status)
    .leftJoin("participant_identities as i", "i.participant_id", "p.id")
    .selectAll("p")
    .select("i.personnummer")
    .orderBy("p.last_name")
    .orderBy("p.first_name")
    .orderBy("p.id")
    .execute();
  const municipality = await ctx.db.selectFrom("municipalities").select("slug").where("id", "=", municipalityId).executeTakeFirstOrThrow();
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId,
    action: "participant.exported",
    entity: "participant",
    detail: { count: rows.length, status },
  });
  return {
    municipalitySlug: municipality.slug,
    rows: rows.map((r) => ({
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      department: r.department,
      title: r.title,
      gender: r.gender,
      birthYear: r.birth_year,
      personnummerMasked: r.personnummer ? maskPersonnummer(r.personnummer) : null,
      educationLevel: r.education_level,
      salaryGroup: r.salary_group,
      endedOn: r.ended_on,
      endReason: r.end_reason,
    })),
  };
}

/** Whether the caller may add participants (the add form's page). */
export async function checkMayAddParticipants(ctx: Ctx): Promise<void> {
  await requireOwnMunicipality(ctx, "participants:write");
}
