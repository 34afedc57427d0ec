/**
 * Storage of a participant's row, personnummer and logins, shared by the
 * form, the import, the extract and anonymisation. Takes a bare handle and
 * checks nothing: callers load the participant through participant-access.
 */
import type { Db } from "~/db/connection.server";
import type { Participant } from "~/db/schema";
import type { ParticipantInput } from "~/schemas/participants";

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

/** A participant's stored fields in the domain's names, as the participant page and the register extract hand them on. */
export function participantFields(p: Participant) {
  return {
    id: p.id,
    firstName: p.first_name,
    lastName: p.last_name,
    email: p.email,
    department: p.department,
    title: p.title,
    gender: p.gender,
    birthYear: p.birth_year,
    educationLevel: p.education_level,
    salaryGroup: p.salary_group,
    endedOn: p.ended_on,
    endReason: p.end_reason,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    anonymisedAt: p.anonymised_at,
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

/**
 * The participant's logins: the accounts holding their participant grant,
 * split into those that are theirs alone and those that also hold another
 * grant (which "give login" no longer makes, but older data may have).
 */
export async function loginsOf(db: Db, p: { id: number; municipality_id: number }) {
  const grants = await db
    .selectFrom("role_grants")
    .select(["id", "user_id", "role", "created_at"])
    .where("role", "=", "participant")
    .where("participant_id", "=", p.id)
    .where("municipality_id", "=", p.municipality_id)
    .execute();
  const userIds = [...new Set(grants.map((g) => g.user_id))];
  const others = userIds.length
    ? await db
        .selectFrom("role_grants")
        .select("user_id")
        .where("user_id", "in", userIds)
        .where((eb) => eb.or([eb("role", "!=", "participant"), eb("participant_id", "!=", p.id)]))
        .execute()
    : [];
  const shared = new Set(others.map((o) => o.user_id));
  return { grants, ownUserIds: userIds.filter((id) => !shared.has(id)), sharedUserIds: userIds.filter((id) => shared.has(id)) };
}

export type Logins = Awaited<ReturnType<typeof loginsOf>>;
