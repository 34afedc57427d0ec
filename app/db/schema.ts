/**
 * The one description of the database. Every table the portal stores is here,
 * in the shape Kysely reads and writes it. Timestamps are ISO 8601 strings in
 * UTC; calendar dates are `YYYY-MM-DD` strings.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export type Role = "admin" | "programme_lead" | "coordinator" | "participant" | "funder";
export type ProgrammeKind = "ledarutveckling" | "trainee" | "internutbildning";
export type Funding = "esf" | "regional" | "own";
export type SessionKind =
  | "utbildningsdag"
  | "workshop"
  | "skuggning"
  | "natverkstraff"
  | "studiebesok"
  | "digital";
export type SessionStatus = "planned" | "cancelled";
export type Gender = "kvinna" | "man" | "icke_binar" | "vill_ej_uppge";
export type EducationLevel = "isced_0_2" | "isced_3_4" | "isced_5_8";
export type EnrolmentStatus =
  | "nominated"
  | "accepted"
  | "waitlisted"
  | "active"
  | "completed"
  | "dropped";

export interface MunicipalityTable {
  id: Generated<number>;
  name: string;
  slug: string;
  county: string;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  disabled_at: string | null;
  created_at: string;
}

export interface RoleGrantTable {
  id: Generated<number>;
  user_id: number;
  role: Role;
  municipality_id: number | null;
  programme_id: number | null;
  participant_id: number | null;
  created_at: string;
  created_by: number | null;
}

export interface LoginSessionTable {
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ProgrammeTable {
  id: Generated<number>;
  name: string;
  kind: ProgrammeKind;
  funding: Funding;
  owner_municipality_id: number;
  esf_project_number: string | null;
  starts_on: string;
  ends_on: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface ProgrammePartnerTable {
  programme_id: number;
  municipality_id: number;
}

export interface CohortTable {
  id: Generated<number>;
  programme_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  capacity: number;
  created_at: string;
  updated_at: string;
}

export interface CohortSeatTable {
  cohort_id: number;
  programme_id: number;
  municipality_id: number;
  seats: number;
}

export interface SeatTransferTable {
  id: Generated<number>;
  cohort_id: number;
  from_municipality_id: number;
  to_municipality_id: number;
  seats: number;
  moved_by: number;
  moved_at: string;
}

export interface SessionTable {
  id: Generated<number>;
  cohort_id: number;
  title: string;
  kind: SessionKind;
  starts_at: string;
  ends_at: string;
  host_municipality_id: number;
  venue: string;
  address: string;
  meeting_url: string;
  facilitator: string;
  description: string;
  status: SessionStatus;
  /** Raised on every change; calendar feeds publish it as SEQUENCE. */
  sequence: number;
  created_at: string;
  updated_at: string;
}

export interface SessionChangeTable {
  id: Generated<number>;
  session_id: number;
  changed_by: number;
  changed_at: string;
  /** JSON: { field: { from, to } } for the fields that changed. */
  changes: string;
  kind: "edited" | "moved" | "cancelled" | "reinstated";
}

export interface ParticipantTable {
  id: Generated<number>;
  municipality_id: number;
  first_name: string;
  last_name: string;
  email: string;
  department: string;
  title: string;
  gender: Gender;
  birth_year: number;
  education_level: EducationLevel | null;
  salary_group: string;
  ended_on: string | null;
  end_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Kept apart from the display fields so that lists never select it by accident. */
export interface ParticipantIdentityTable {
  participant_id: number;
  municipality_id: number;
  personnummer: string;
}

export interface EnrolmentTable {
  id: Generated<number>;
  cohort_id: number;
  municipality_id: number;
  participant_id: number;
  status: EnrolmentStatus;
  nominated_at: string;
  /** Order on the municipality's waiting list; null when not waitlisted. */
  waitlist_position: number | null;
  status_changed_at: string;
  started_on: string | null;
  ended_on: string | null;
  drop_reason: string | null;
}

export interface EnrolmentEventTable {
  id: Generated<number>;
  enrolment_id: number;
  status: EnrolmentStatus;
  occurred_on: string;
  recorded_at: string;
  recorded_by: number | null;
  reason: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_user_id: number | null;
  municipality_id: number | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  /** JSON with ids and field names only, never personal data. */
  detail: string | null;
}

export interface Database {
  municipalities: MunicipalityTable;
  users: UserTable;
  role_grants: RoleGrantTable;
  login_sessions: LoginSessionTable;
  programmes: ProgrammeTable;
  programme_partners: ProgrammePartnerTable;
  cohorts: CohortTable;
  cohort_seats: CohortSeatTable;
  seat_transfers: SeatTransferTable;
  sessions: SessionTable;
  session_changes: SessionChangeTable;
  participants: ParticipantTable;
  participant_identities: ParticipantIdentityTable;
  enrolments: EnrolmentTable;
  enrolment_events: EnrolmentEventTable;
  audit_log: AuditLogTable;
}

export type Municipality = Selectable<MunicipalityTable>;
export type User = Selectable<UserTable>;
export type RoleGrant = Selectable<RoleGrantTable>;
export type Programme = Selectable<ProgrammeTable>;
export type Cohort = Selectable<CohortTable>;
export type Session = Selectable<SessionTable>;
export type Participant = Selectable<ParticipantTable>;
export type NewParticipant = Insertable<ParticipantTable>;
export type ParticipantUpdate = Updateable<ParticipantTable>;
export type Enrolment = Selectable<EnrolmentTable>;
