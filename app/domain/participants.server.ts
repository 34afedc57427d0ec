/**
 * Participants (Deltagare): a coordinator lists, adds, edits and ends the
 * participants of their own municipality, and may give one a login.
 *
 * The personnummer lives in participant_identities. It leaves this module
 * masked (ÅÅÅÅMMDD-****), except from `getParticipantForEdit`, which feeds the
 * owning municipality's edit form. Audit entries carry ids and field names only.
 */
import crypto from "node:crypto";
import { sql, type Expression, type SqlBool } from "kysely";
import { hashPassword } from "~/auth/password.server";
import { nowIso, type Db } from "~/db/connection.server";
import type { EducationLevel, EnrolmentStatus, Gender, Participant } from "~/db/schema";
import {
  PARTICIPANT_MESSAGES,
  type EndParticipationInput,
  type ParticipantInput,
  type ParticipantStatusFilter,
} from "~/schemas/participants";
import { educationLabels, genderLabels } from "~/ui/labels";
import { toCsv } from "~/utils/csv.server";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, denied, notFound, requireGrant, type Ctx } from "./context.server";
import { formatPersonnummer, maskPersonnummer } from "./personnummer";

export const PAGE_SIZE = 25;


export interface ParticipantListFilter {
  q?: string;
  status?: ParticipantStatusFilter;
  page?: number;
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
  filter: { q: string; status: ParticipantStatusFilter };
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

export type ParticipantWriteResult =
  | { ok: true; id: number }
  | { ok: false; fieldErrors: Partial<Record<keyof ParticipantInput, string[]>> };

export type GiveLoginResult = { kind: "created"; email: string; oneTimePassword: string } | { kind: "refused"; message: string };

/**
 * The municipality whose participants the caller coordinates. Anyone without a
 * coordinator grant is refused (403, audited). A person coordinating several
 * municipalities works with the first; the portal has no such user today.
 */
export async function requireOwnMunicipality(ctx: Ctx, permission: "participants:read" | "participants:write"): Promise<number> {
  const [municipalityId] = coordinatedMunicipalityIds(ctx);
  if (municipalityId === undefined) return denied(ctx, permission, { entity: "participant" });
  await requireGrant(ctx, permission, { municipalityId });
  return municipalityId;
}

/**
 * Loads a participant the caller may see. A participant of another
 * municipality is answered exactly like one that does not exist (404), and
 * the attempt is audited.
 */
async function loadOwnParticipant(
  ctx: Ctx,
  participantId: number,
  permission: "participants:read" | "participants:write",
): Promise<Participant> {
  if (!coordinatedMunicipalityIds(ctx).length) return denied(ctx, permission, { entity: "participant", entityId: participantId });
  const row = await ctx.db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirst();
  if (!row) throw notFound();
  await requireGrant(
    ctx,
    permission,
    { municipalityId: row.municipality_id },
    { entity: "participant", entityId: participantId },
  );
  // Anonymisation is final: nobody may write a name (or a login) back onto the row.
  if (permission === "participants:write" && row.anonymised_at) {
    throw new Response("Deltagaren är anonymiserad. Uppgifterna kan inte ändras.", { status: 409 });
  }
  return row;
}

/** For actions: refuses (404 and audited) before any input is looked at. */
export async function requireEditableParticipant(ctx: Ctx, participantId: number): Promise<void> {
  await loadOwnParticipant(ctx, participantId, "participants:write");
}

// ---------------------------------------------------------------- reading

export async function listParticipants(ctx: Ctx, filter: ParticipantListFilter = {}): Promise<ParticipantList> {
  const municipalityId = await requireOwnMunicipality(ctx, "participants:read");
  const q = (filter.q ?? "").trim().slice(0, 100);
  const status = filter.status ?? "active";

  const base = filteredQuery(ctx.db, municipalityId, q, status);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filter.page ?? 1)), pageCount);
  const rows = await base
    .leftJoin("participant_identities as i", "i.participant_id", "p.id")
    .select(["p.id", "p.first_name", "p.last_name", "p.email", "p.department", "p.title", "p.ended_on", "i.personnummer"])
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
    filter: { q, status },
  };
}

function filteredQuery(db: Db, municipalityId: number, q: string, status: ParticipantStatusFilter) {
  let query = db.selectFrom("participants as p").where("p.municipality_id", "=", municipalityId);
  if (status === "active") query = query.where("p.ended_on", "is", null);
  if (status === "ended") query = query.where("p.ended_on", "is not", null);
  if (q) {
    const patterns = caseVariants(q).map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    query = query.where((eb) =>
      eb.or(
        patterns.flatMap((pattern) =>
          [
            eb.ref("p.first_name"),
            eb.ref("p.last_name"),
            sql<string>`p.first_name || ' ' || p.last_name`,
            eb.ref("p.email"),
            eb.ref("p.department"),
          ].map((column): Expression<SqlBool> => sql<SqlBool>`${column} like ${pattern} escape '\\'`),
        ),
      ),
    );
  }
  return query;
}

/**
 * SQLite's LIKE ignores case for A–Z only, so "åsa" would not find "Åsa".
 * Searching for the common spellings of the term covers what people type.
 */
function caseVariants(term: string): string[] {
  const lower = term.toLocaleLowerCase("sv");
  const capitalised = lower.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase("sv"));
  return [...new Set([term, lower, capitalised, term.toLocaleUpperCase("sv")])];
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
    id: p.id,
    municipalityName: municipality.name,
    firstName: p.first_name,
    lastName: p.last_name,
    email: p.email,
    department: p.department,
    title: p.title,
    gender: p.gender,
    birthYear: p.birth_year,
    educationLevel: p.education_level,
    salaryGroup: p.salary_group,
    personnummerMasked: personnummer ? maskPersonnummer(personnummer) : null,
    endedOn: p.ended_on,
    endReason: p.end_reason,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    anonymisedAt: p.anonymised_at,
    enrolments,
    loginEmail: login?.email ?? null,
  };
}

/** The edit form's starting values: the one place the full personnummer is shown. */
export async function getParticipantForEdit(
  ctx: Ctx,
  participantId: number,
): Promise<{ id: number; firstName: string; lastName: string; values: Record<keyof ParticipantInput, string> }> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  const personnummer = await personnummerOf(ctx.db, p);
  return {
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
  };
}

// ---------------------------------------------------------------- writing

/** The participants columns a form or import row sets. */
export function participantColumns(input: ParticipantInput) {
  return {
    first_name: input.firstName,
    last_name: input.lastName,
    email: input.email.toLowerCase(),
    department: input.department,
    title: input.title ?? "",
    gender: input.gender,
    birth_year: input.birthYear,
    education_level: input.educationLevel ?? null,
    salary_group: input.salaryGroup,
    manager_name: input.managerName || null,
    manager_email: input.managerEmail || null,
  };
}

export type ParticipantColumns = ReturnType<typeof participantColumns>;

/** Maps column names back to the form's field names, for audit entries. */
const FIELD_OF_COLUMN: Record<keyof ParticipantColumns, keyof ParticipantInput> = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  department: "department",
  title: "title",
  gender: "gender",
  birth_year: "birthYear",
  education_level: "educationLevel",
  salary_group: "salaryGroup",
  manager_name: "managerName",
  manager_email: "managerEmail",
};

export function changedFields(before: ParticipantColumns, after: Partial<ParticipantColumns>): (keyof ParticipantInput)[] {
  return (Object.keys(after) as (keyof ParticipantColumns)[])
    .filter((column) => after[column] !== before[column])
    .map((column) => FIELD_OF_COLUMN[column]);
}

export function columnsOf(p: Participant): ParticipantColumns {
  return {
    first_name: p.first_name,
    last_name: p.last_name,
    email: p.email,
    department: p.department,
    title: p.title,
    gender: p.gender,
    birth_year: p.birth_year,
    education_level: p.education_level,
    salary_group: p.salary_group,
    manager_name: p.manager_name,
    manager_email: p.manager_email,
  };
}

/** A participant's personnummer (canonical 12 digits), or null; read only where the full number is needed. */
export async function personnummerOf(db: Db, p: { id: number; municipality_id: number }): Promise<string | null> {
  const identity = await db
    .selectFrom("participant_identities")
    .select("personnummer")
    .where("participant_id", "=", p.id)
    .where("municipality_id", "=", p.municipality_id)
    .executeTakeFirst();
  return identity?.personnummer ?? null;
}

/** Stores, replaces or (with null) removes a participant's personnummer. */
export async function setPersonnummer(db: Db, municipalityId: number, participantId: number, personnummer: string | null) {
  if (personnummer === null) {
    await db
      .deleteFrom("participant_identities")
      .where("participant_id", "=", participantId)
      .where("municipality_id", "=", municipalityId)
      .execute();
    return;
  }
  await db
    .insertInto("participant_identities")
    .values({ participant_id: participantId, municipality_id: municipalityId, personnummer })
    .onConflict((oc) => oc.column("participant_id").doUpdateSet({ personnummer }))
    .execute();
}

async function emailTaken(db: Db, municipalityId: number, email: string, exceptId?: number): Promise<boolean> {
  let query = db
    .selectFrom("participants")
    .select("id")
    .where("municipality_id", "=", municipalityId)
    .where(sql<string>`lower(email)`, "=", email.toLowerCase());
  if (exceptId !== undefined) query = query.where("id", "!=", exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE";
}

const EMAIL_TAKEN: ParticipantWriteResult = { ok: false, fieldErrors: { email: [PARTICIPANT_MESSAGES.emailTaken] } };

export async function createParticipant(ctx: Ctx, input: ParticipantInput): Promise<ParticipantWriteResult> {
  const municipalityId = await requireOwnMunicipality(ctx, "participants:write");
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
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error)) return EMAIL_TAKEN;
    throw error;
  }
}

function filledFields(input: ParticipantInput): (keyof ParticipantInput)[] {
  return (Object.keys(input) as (keyof ParticipantInput)[]).filter((k) => input[k] !== undefined && input[k] !== "");
}

export async function updateParticipant(ctx: Ctx, participantId: number, input: ParticipantInput): Promise<ParticipantWriteResult> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  if (await emailTaken(ctx.db, p.municipality_id, input.email, p.id)) return EMAIL_TAKEN;
  const stored = await personnummerOf(ctx.db, p);
  const columns = participantColumns(input);
  const fields: string[] = changedFields(columnsOf(p), columns);
  const personnummer = input.personnummer ?? null;
  const personnummerChanged = stored !== personnummer;
  if (personnummerChanged) fields.push("personnummer");
  if (!fields.length) return { ok: true, id: p.id };
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
    if (isUniqueViolation(error)) return EMAIL_TAKEN;
    throw error;
  }
  return { ok: true, id: p.id };
}

/** Ends the participation; enrolments are left to the nomination rules. */
export async function endParticipation(ctx: Ctx, participantId: number, input: Omit<EndParticipationInput, "intent">): Promise<void> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  if (input.endedOn > stockholmToday()) throw new Response("Slutdatumet kan inte ligga i framtiden.", { status: 400 });
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
}

/** Undoes an ending made by mistake. */
export async function reopenParticipation(ctx: Ctx, participantId: number): Promise<void> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  if (p.ended_on === null) return;
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
}

// ---------------------------------------------------------------- login

// No 0/O, 1/l/I: the password is read off a screen and typed in by hand.
const PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const ONE_TIME_PASSWORD_LENGTH = 16;

export function generateOneTimePassword(length = ONE_TIME_PASSWORD_LENGTH): string {
  let password = "";
  for (let i = 0; i < length; i++) password += PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)];
  return password;
}

/**
 * The one answer when a login cannot be made with the participant's address,
 * whatever the reason (an account has it, or a participant registered earlier
 * in another municipality has it): the coordinator learns neither which nor
 * whether an account exists.
 */
export const LOGIN_ADDRESS_UNAVAILABLE =
  "Inloggningen kan inte skapas med den här e-postadressen. Ett konto hör till en enda person: kontrollera att adressen är deltagarens egen arbetsadress, ändra den under Ändra uppgifter och försök igen.";

/**
 * Gives the participant a login (role Deltagare): always a new account of
 * their own, with a one-time password returned once for the coordinator to
 * pass on. An existing account is never given the grant, whoever holds it:
 * an account belongs to one person, and a grant must never join one person's
 * data (sessions, notices, e-mail, audit trail) to another's register.
 */
export async function giveLogin(ctx: Ctx, participantId: number): Promise<GiveLoginResult> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  if (p.ended_on) return { kind: "refused", message: "Deltagaren är avslutad och kan inte få någon inloggning." };
  const existingGrant = await ctx.db
    .selectFrom("role_grants")
    .select("id")
    .where("role", "=", "participant")
    .where("participant_id", "=", p.id)
    .executeTakeFirst();
  if (existingGrant) return { kind: "refused", message: "Deltagaren har redan en inloggning." };

  const email = p.email.toLowerCase();
  const unavailable: GiveLoginResult = { kind: "refused", message: LOGIN_ADDRESS_UNAVAILABLE };
  if (await loginAddressInUse(ctx.db, p, email)) return unavailable;

  const oneTimePassword = generateOneTimePassword();
  // Hashing takes a while; inside the transaction it would hold the database lock.
  const passwordHash = await hashPassword(oneTimePassword);
  const userId = await ctx.db.transaction().execute(async (trx) => {
    if (await loginAddressInUse(trx, p, email)) return null;
    const user = await trx
      .insertInto("users")
      .values({ email, name: `${p.first_name} ${p.last_name}`, password_hash: passwordHash, disabled_at: null, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await insertGrant(trx, ctx, p, user.id, "participant.login_created");
    return user.id;
  });
  if (userId === null) return unavailable;
  return { kind: "created", email, oneTimePassword };
}

/**
 * Whether the address is taken for a login: by any account, or by a
 * participant of another municipality registered before this one (who has
 * the better claim to it; the later one is most likely a typing mistake or
 * worse). Participants' own e-mail stays unique within a municipality only,
 * so a municipality's register never tells it who is in another's.
 */
async function loginAddressInUse(db: Db, p: Participant, email: string): Promise<boolean> {
  const account = await db.selectFrom("users").select("id").where(sql<string>`lower(email)`, "=", email).executeTakeFirst();
  if (account) return true;
  const earlier = await db
    .selectFrom("participants")
    .select("id")
    .where(sql<string>`lower(email)`, "=", email)
    .where("municipality_id", "!=", p.municipality_id)
    .where("id", "<", p.id)
    .where("anonymised_at", "is", null)
    .executeTakeFirst();
  return earlier !== undefined;
}

async function insertGrant(db: Db, ctx: Ctx, p: Participant, userId: number, action: string) {
  await db
    .insertInto("role_grants")
    .values({
      user_id: userId,
      role: "participant",
      municipality_id: p.municipality_id,
      programme_id: null,
      participant_id: p.id,
      created_at: nowIso(),
      created_by: ctx.user.id,
    })
    .execute();
  await writeAudit(db, {
    actorUserId: ctx.user.id,
    municipalityId: p.municipality_id,
    action,
    entity: "participant",
    entityId: p.id,
    detail: { userId, role: "participant" },
  });
}

// ---------------------------------------------------------------- export

export const EXPORT_HEADER = [
  "Förnamn",
  "Efternamn",
  "E-post",
  "Förvaltning",
  "Befattning",
  "Kön",
  "Födelseår",
  "Personnummer",
  "Utbildningsnivå",
  "Lönegrupp",
  "Status",
  "Slutdatum",
  "Orsak till avslut",
];

/** The filtered list, every page, as CSV; the personnummer masked. */
export async function exportParticipants(ctx: Ctx, filter: Omit<ParticipantListFilter, "page"> = {}): Promise<{ filename: string; csv: string }> {
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
  const csv = toCsv(
    EXPORT_HEADER,
    rows.map((r) => [
      r.first_name,
      r.last_name,
      r.email,
      r.department,
      r.title,
      genderLabels[r.gender],
      r.birth_year,
      r.personnummer ? maskPersonnummer(r.personnummer) : "",
      r.education_level ? educationLabels[r.education_level] : "",
      r.salary_group,
      r.ended_on ? "Avslutad" : "Aktiv",
      r.ended_on ?? "",
      r.end_reason ?? "",
    ]),
  );
  return { filename: `deltagare-${municipality.slug}-${stockholmToday()}.csv`, csv };
}

/** The id in /deltagare/:participantId; anything but a positive integer is a page that does not exist. */
export function participantIdFrom(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d{1,12}$/.test(value) || !Number.isSafeInteger(id) || id < 1) throw notFound();
  return id;
}
