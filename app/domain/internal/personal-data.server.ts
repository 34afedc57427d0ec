/**
 * The personal-data registry: for every table, what it holds about a
 * participant, what the registerutdrag shows of it and what anonymisation
 * does to it. Keyed by the Database interface, so a new table does not
 * compile until someone decides; app/domain/privacy.test.ts checks that the
 * live database has no table missing here and that every extracted table has
 * its section text in app/ui/register-extract.ts.
 *
 * The extract (register-extract.server.ts) and anonymisation
 * (anonymisation.server.ts) both walk this registry and nothing else, so
 * neither can forget a table the other knows. Rows are found by the person's
 * identity (the Subject, loaded once), never by searching text. No grant
 * check here: callers load the participant through one.
 */
import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database, Participant } from "~/db/schema";
import { EFFECT_TABLES, EFFECT_TABLES_WITHOUT_PERSONAL_DATA } from "./personal-data-effects.server";
import { FEEDBACK_TABLES } from "./personal-data-feedback.server";
import { LOGIN_TABLES } from "./personal-data-logins.server";
import { MESSAGE_TABLES, MESSAGE_TABLES_WITHOUT_PERSONAL_DATA } from "./personal-data-messages.server";
import { RECORD_TABLES } from "./personal-data-records.server";
import { loginsOf } from "./participant-records.server";

type Conn = Db | Transaction<Database>;

/** Who the rows are about, found by identity once for the extract and for anonymisation. */
export interface Subject {
  participant: Participant;
  enrolmentIds: number[];
  /** The participant-role grants of the person. */
  grants: Awaited<ReturnType<typeof loginsOf>>["grants"];
  /** Accounts that are the person's alone: everything on them is theirs. */
  ownUserIds: number[];
  /** Accounts that also hold another role (older data): only what concerns the participant is theirs. */
  sharedUserIds: number[];
  /** E-mail addressed to the person: to them as a participant, to their own accounts, and the reminders queued for them. */
  mailIds: number[];
}

export async function loadSubject(db: Conn, participant: Participant): Promise<Subject> {
  const { grants, ownUserIds, sharedUserIds } = await loginsOf(db, participant);
  const enrolments = await db
    .selectFrom("enrolments")
    .select("id")
    .where("participant_id", "=", participant.id)
    .where("municipality_id", "=", participant.municipality_id)
    .execute();
  const mails = await db
    .selectFrom("mail_outbox")
    .select("id")
    .where((eb) =>
      eb.or([
        eb("id", "in", eb.selectFrom("session_reminders").select("mail_id").where("participant_id", "=", participant.id)),
        eb("recipient_participant_id", "=", participant.id),
        ...(ownUserIds.length ? [eb("recipient_user_id", "in", ownUserIds)] : []),
      ]),
    )
    .execute();
  return { participant, enrolmentIds: enrolments.map((e) => e.id), grants, ownUserIds, sharedUserIds, mailIds: mails.map((m) => m.id) };
}

/** One row of a section: raw values and enums (labels and formats in app/ui/register-extract.ts). */
export type ExtractRow = Record<string, unknown>;

/** What anonymisation removed, by kind (the audit entry's `deleted`). */
export interface AnonymisedCounts {
  identity: number;
  grants: number;
  users: number;
  loginSessions: number;
  linkedIdentities: number;
  calendarFeeds: number;
  notifications: number;
  emails: number;
  sessionReminders: number;
}

export interface AnonymiseContext {
  now: string;
  /** Removed e-mail, whose .eml copies are deleted after the commit. */
  removedMail: { id: number; createdAt: string }[];
}

/** A table that holds something about the participant: both the extract and anonymisation must say what they do with it. */
export interface PersonalTable {
  /** In Swedish: what anonymisation does to the rows and whether the extract shows them. */
  handling: string;
  /** The person's rows as the registerutdrag shows them, or "not-extracted" (say why in `handling`). */
  extract: ((db: Db, s: Subject, today: string) => Promise<ExtractRow[]>) | "not-extracted";
  /** Empties or removes what ties the rows to the person, or "kept" (say why in `handling`). */
  anonymise: ((trx: Transaction<Database>, s: Subject, c: AnonymiseContext) => Promise<Partial<AnonymisedCounts> | void>) | "kept";
}

export interface NoPersonalData {
  handling: string;
  personalData: false;
}

export type TableHandling = PersonalTable | NoPersonalData;

const NO_PERSONAL_DATA = {
  municipalities: { handling: "Inga personuppgifter.", personalData: false },
  programmes: { handling: "Inga personuppgifter.", personalData: false },
  programme_partners: { handling: "Inga personuppgifter.", personalData: false },
  cohorts: { handling: "Inga personuppgifter.", personalData: false },
  cohort_seats: { handling: "Inga personuppgifter.", personalData: false },
  seat_transfers: { handling: "Inga personuppgifter (personal som flyttat platser anges med id).", personalData: false },
  sessions: { handling: "Inga personuppgifter om deltagare.", personalData: false },
  session_changes: { handling: "Inga personuppgifter om deltagare (ändringar av träffar).", personalData: false },
  session_materials: { handling: "Inga personuppgifter om deltagare (träffens länkar och filer; personalen som lade in dem anges med id).", personalData: false },
  programme_settings: { handling: "Inga personuppgifter.", personalData: false },
  unit_costs: { handling: "Inga personuppgifter.", personalData: false },
  scb_reports: { handling: "Inga personuppgifter (bara antal och kontrollsumma).", personalData: false },
  portal_settings: { handling: "Inga personuppgifter.", personalData: false },
  feedback_instruments: { handling: "Inga personuppgifter (programmets 360-formulär).", personalData: false },
  feedback_rounds: { handling: "Inga personuppgifter (en omgångs 360-rundor).", personalData: false },
  identity_providers: { handling: "Inga personuppgifter (kommunernas inloggningstjänster).", personalData: false },
  identity_provider_domains: { handling: "Inga personuppgifter (e-postdomäner).", personalData: false },
  identity_provider_municipalities: { handling: "Inga personuppgifter.", personalData: false },
  saml_assertion_ids: { handling: "Inga personuppgifter (id:n på använda SAML-intyg, tills de går ut).", personalData: false },
} satisfies Partial<Record<keyof Database, NoPersonalData>>;

/**
 * Every table, once. Anonymisation runs the tables in this order (a row is
 * removed before the row it points at); the extract's sections are ordered by
 * app/ui/register-extract.ts.
 */
export const PERSONAL_DATA_HANDLING = {
  ...NO_PERSONAL_DATA,
  ...EFFECT_TABLES_WITHOUT_PERSONAL_DATA,
  ...MESSAGE_TABLES_WITHOUT_PERSONAL_DATA,
  ...FEEDBACK_TABLES,
  ...RECORD_TABLES,
  ...EFFECT_TABLES,
  ...MESSAGE_TABLES,
  ...LOGIN_TABLES,
} satisfies Record<keyof Database, TableHandling>;

type Registry = typeof PERSONAL_DATA_HANDLING;

/** The tables the registerutdrag has a section for. */
export type ExtractedTable = { [T in keyof Registry]: Registry[T] extends { extract: (...args: never[]) => unknown } ? T : never }[keyof Registry];

const handlings = Object.entries(PERSONAL_DATA_HANDLING) as [keyof Registry, TableHandling][];

/** The registerutdrag's raw rows, per extracted table. */
export async function extractPersonalData(db: Db, s: Subject, today: string): Promise<Record<ExtractedTable, ExtractRow[]>> {
  const sections: Partial<Record<ExtractedTable, ExtractRow[]>> = {};
  for (const [table, h] of handlings) {
    if ("extract" in h && h.extract !== "not-extracted") sections[table as ExtractedTable] = await h.extract(db, s, today);
  }
  return sections as Record<ExtractedTable, ExtractRow[]>;
}

/** Runs every table's anonymisation inside the caller's transaction. */
export async function anonymisePersonalData(trx: Transaction<Database>, s: Subject, now: string) {
  const counts: AnonymisedCounts = {
    identity: 0,
    grants: s.grants.length,
    users: 0,
    loginSessions: 0,
    linkedIdentities: 0,
    calendarFeeds: 0,
    notifications: 0,
    emails: 0,
    sessionReminders: 0,
  };
  const c: AnonymiseContext = { now, removedMail: [] };
  for (const [, h] of handlings) {
    if (!("anonymise" in h) || h.anonymise === "kept") continue;
    const removed = await h.anonymise(trx, s, c);
    for (const [kind, n] of Object.entries(removed ?? {}) as [keyof AnonymisedCounts, number][]) counts[kind] += n;
  }
  return { counts, removedMail: c.removedMail };
}
