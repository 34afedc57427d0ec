/**
 * The one description of the database. Every table the portal stores is here,
 * in the shape Kysely reads and writes it. Timestamps are ISO 8601 strings in
 * UTC; calendar dates are `YYYY-MM-DD` strings.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export type Role = "admin" | "programme_lead" | "coordinator" | "participant" | "funder" | "coach";
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
  /** The employer's organisation number (NNNNNN-NNNN) for the ESF certificate; empty until the municipality enters it. */
  org_number: string | null;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  disabled_at: string | null;
  created_at: string;
  /** 1 while the password is a one-time password someone else gave; new rows default to 1. */
  password_change_required: Generated<number>;
  /** SHA-256 (hex) of the random part of the account's one live reset link. */
  password_reset_hash: string | null;
  password_reset_expires_at: string | null;
  /** Base32 TOTP secret; two-factor is on only once `totp_enabled_at` is set. */
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  /** JSON array of SHA-256 (hex) hashes of the unused recovery codes. */
  recovery_code_hashes: string | null;
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
  /** SHA-256 (hex) of the random id in the cookie: a copy of the database opens no session. */
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /** When the person last proved who they are (login, "Bekräfta att det är du"). */
  authenticated_at: string;
  /** The identity provider this login came through (RP-initiated logout), null for a password login. */
  identity_provider_id: number | null;
  /** A SAML login's NameID, its format and the IdP's SessionIndex: what single logout names. */
  saml_name_id: string | null;
  saml_name_id_format: string | null;
  saml_session_index: string | null;
}

export type IdentityProtocol = "oidc" | "saml";

export interface IdentityProviderTable {
  id: Generated<number>;
  name: string;
  protocol: IdentityProtocol;
  /** OIDC issuer URL, or the SAML IdP's entity id. */
  issuer: string;
  client_id: string | null;
  /** AES-256-GCM (app/auth/secret-box.server.ts); never shown again. */
  client_secret_encrypted: string | null;
  saml_sso_url: string | null;
  /** PEM of the certificates the SAML IdP signs with (several during a roll-over). */
  saml_certificate: string | null;
  /** The IdP's metadata address, fetched again daily and when a signature fails (ADR 037). */
  saml_metadata_url: string | null;
  saml_metadata_checked_at: string | null;
  /** The IdP's SingleLogoutService (HTTP-Redirect), from its metadata. */
  saml_slo_url: string | null;
  password_login_allowed: Generated<number>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface IdentityProviderDomainTable {
  domain: string;
  identity_provider_id: number;
}

export interface IdentityProviderMunicipalityTable {
  identity_provider_id: number;
  municipality_id: number;
}

export interface LinkedIdentityTable {
  id: Generated<number>;
  identity_provider_id: number;
  issuer: string;
  subject: string;
  user_id: number;
  created_at: string;
  last_login_at: string | null;
}

export interface SamlAssertionIdTable {
  id: string;
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
  /** Raised on every edit; an edit form that loaded an older version may not overwrite it. */
  version: Generated<number>;
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
  kind: SessionChangeKind;
}

/** Material of a session: a link (`url`) or an uploaded file (`file_key`: its name in MATERIAL_DIR). */
export interface SessionMaterialTable {
  id: Generated<number>;
  session_id: number;
  kind: SessionMaterialKind;
  title: string;
  url: string | null;
  file_key: string | null;
  /** The uploader's file name, cleaned up (what a download is called). */
  file_name: string | null;
  /** Detected from the file's content, never taken from the upload's headers. */
  content_type: string | null;
  size_bytes: number | null;
  created_by: number;
  created_at: string;
}

export type SessionMaterialKind = "link" | "file";

export type SessionChangeKind = "edited" | "moved" | "cancelled" | "reinstated";

/** session_changes.changes: column name -> { from, to }. */
export type SessionFieldChanges = Record<string, { from: string | number | null; to: string | number | null }>;

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
  /** The nearest manager (närmaste chef), who certifies the monthly time report. */
  manager_name: string | null;
  manager_email: string | null;
  ended_on: string | null;
  end_reason: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the participant was anonymised after the retention period; the row then holds no personal data. */
  anonymised_at: string | null;
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
  identity_providers: IdentityProviderTable;
  identity_provider_domains: IdentityProviderDomainTable;
  identity_provider_municipalities: IdentityProviderMunicipalityTable;
  linked_identities: LinkedIdentityTable;
  saml_assertion_ids: SamlAssertionIdTable;
  programmes: ProgrammeTable;
  programme_partners: ProgrammePartnerTable;
  cohorts: CohortTable;
  cohort_seats: CohortSeatTable;
  seat_transfers: SeatTransferTable;
  sessions: SessionTable;
  session_changes: SessionChangeTable;
  session_materials: SessionMaterialTable;
  participants: ParticipantTable;
  participant_identities: ParticipantIdentityTable;
  enrolments: EnrolmentTable;
  enrolment_events: EnrolmentEventTable;
  audit_log: AuditLogTable;
  programme_settings: ProgrammeSettingsTable;
  unit_costs: UnitCostTable;
  attendance: AttendanceTable;
  attendance_corrections: AttendanceCorrectionTable;
  own_activities: OwnActivityTable;
  time_reports: TimeReportTable;
  time_report_events: TimeReportEventTable;
  calendar_feeds: CalendarFeedTable;
  notifications: NotificationTable;
  mail_outbox: MailOutboxTable;
  session_reminders: SessionReminderTable;
  reminder_opt_outs: ReminderOptOutTable;
  reminder_opt_out_links: ReminderOptOutLinkTable;
  cohort_messages: CohortMessageTable;
  cohort_message_recipients: CohortMessageRecipientTable;
  outcomes: OutcomeTable;
  scb_reports: ScbReportTable;
  programme_retention: ProgrammeRetentionTable;
  rate_limits: RateLimitTable;
  evaluation_settings: EvaluationSettingsTable;
  evaluation_statements: EvaluationStatementTable;
  evaluation_invitations: EvaluationInvitationTable;
  evaluation_responses: EvaluationResponseTable;
  evaluation_scores: EvaluationScoreTable;
  portal_settings: PortalSettingsTable;
  feedback_instruments: FeedbackInstrumentTable;
  feedback_rounds: FeedbackRoundTable;
  feedback_subjects: FeedbackSubjectTable;
  feedback_raters: FeedbackRaterTable;
  feedback_rater_links: FeedbackRaterLinkTable;
  feedback_responses: FeedbackResponseTable;
  feedback_comments: FeedbackCommentTable;
  feedback_shares: FeedbackShareTable;
  action_plans: ActionPlanTable;
  action_plan_goals: ActionPlanGoalTable;
  programme_goals: ProgrammeGoalTable;
  self_ratings: SelfRatingTable;
}

/** One row (id 1): settings of the whole installation. */
export interface PortalSettingsTable {
  id: number;
  /** 1: administrators and programme leads with a password must use two-factor (ADR 024). */
  two_factor_required: Generated<number>;
  /** The portal's SAML signing key (sealed like client secrets) and its self-signed certificate, made at first need. */
  saml_sp_private_key_encrypted: string | null;
  saml_sp_certificate: string | null;
}

/** Failed password checks per client address, account and both (see app/auth/rate-limit.server.ts). */
export interface RateLimitTable {
  /** SHA-256 (hex) of what is limited, never the address or e-mail itself. */
  key: string;
  failures: number;
  blocked_until: string | null;
  expires_at: string;
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

// Attendance, own activities, monthly time reports and co-financing.
// Time is kept in whole minutes and money in whole öre.

export type AttendanceStatus = "narvarande" | "sen_ankomst" | "giltig_franvaro" | "franvarande";
export type OwnActivityKind = "skuggning" | "egen_studietid" | "hemuppgift";
export type OwnActivityStatus = "pending" | "approved" | "rejected";
export type TimeReportStatus = "draft" | "confirmed" | "certified" | "reopened";
export type CertifiedAs = "manager" | "on_behalf";
/** How a month's total is rounded, always downwards. */
export type RoundingRule = "hour_down" | "half_hour_down" | "quarter_down";

export interface ProgrammeSettingsTable {
  programme_id: number;
  completion_percent: number;
  rounding: RoundingRule;
  /** 1: coordinators may plan the sessions their municipality hosts; 0 (default): only the programme lead. */
  coordinators_plan_sessions: Generated<number>;
  /** 1: a coordinator may certify time reports on the nearest manager's behalf. */
  on_behalf_allowed: Generated<number>;
  updated_by: number | null;
  updated_at: string;
}

export interface UnitCostTable {
  id: Generated<number>;
  programme_id: number;
  salary_group: string;
  year: number;
  hourly_cost_ore: number;
  updated_by: number | null;
  updated_at: string;
}

export interface AttendanceTable {
  id: Generated<number>;
  session_id: number;
  participant_id: number;
  municipality_id: number;
  status: AttendanceStatus;
  minutes: number;
  recorded_by: number | null;
  recorded_at: string;
  /** Raised on every change; a form that loaded an older version may not overwrite it. */
  version: number;
}

export interface AttendanceCorrectionTable {
  id: Generated<number>;
  attendance_id: number;
  session_id: number;
  participant_id: number;
  municipality_id: number;
  from_status: AttendanceStatus;
  to_status: AttendanceStatus;
  from_minutes: number;
  to_minutes: number;
  reason: string | null;
  changed_by: number | null;
  changed_at: string;
}

export interface OwnActivityTable {
  id: Generated<number>;
  participant_id: number;
  municipality_id: number;
  programme_id: number;
  kind: OwnActivityKind;
  activity_on: string;
  minutes: number;
  description: string;
  status: OwnActivityStatus;
  created_by: number | null;
  created_at: string;
  decided_by: number | null;
  decided_at: string | null;
  reason: string | null;
}

export interface TimeReportTable {
  id: Generated<number>;
  participant_id: number;
  municipality_id: number;
  programme_id: number;
  /** Calendar month in Stockholm, YYYY-MM. */
  month: string;
  status: TimeReportStatus;
  confirmed_by: number | null;
  confirmed_at: string | null;
  certified_by: number | null;
  certified_at: string | null;
  /** 1 when an earlier month of the same participant was reopened after this one was certified. */
  needs_review: number;
  rounding: RoundingRule | null;
  certified_raw_minutes: number | null;
  certified_minutes: number | null;
  certified_salary_group: string | null;
  /** JSON snapshot of the lines as certified (CertifiedLine[]). */
  certified_lines: string | null;
  /** The unit cost and co-financing value as certified; null when the programme had no unit cost for the group and year then. */
  certified_hourly_cost_ore: number | null;
  certified_value_ore: number | null;
  /** Who certified: the nearest manager (recorded by the coordinator), or the coordinator on the manager's behalf. */
  certified_as: CertifiedAs | null;
  certified_manager_name: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TimeReportEventTable {
  id: Generated<number>;
  time_report_id: number;
  kind: "confirmed" | "certified" | "reopened" | "returned_to_draft" | "flagged_for_review" | "reviewed";
  actor_user_id: number | null;
  at: string;
  reason: string | null;
}

export type CalendarFeedScope = "participant" | "staff";

/** A personal calendar subscription; the token is only ever stored hashed (SHA-256, hex). */
export interface CalendarFeedTable {
  id: Generated<number>;
  user_id: number;
  scope: CalendarFeedScope;
  /** SHA-256 (hex) of the address's token; the address itself is shown once, when it is made. */
  token_hash: string;
  created_at: string;
}

export type NotificationKind = "session_moved" | "session_cancelled" | "session_reinstated" | "session_changed" | "enrolment_changed" | "cohort_message";

/** A notice shown on the user's start page until they mark it seen. */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  session_id: number | null;
  enrolment_id: number | null;
  message: string;
  created_at: string;
  seen_at: string | null;
  /** The cohort message this notice shows (kind cohort_message). */
  cohort_message_id: number | null;
}

/** E-mail waiting for (or done with) the mail worker. */
export interface MailOutboxTable {
  id: Generated<number>;
  kind: string;
  to_address: string;
  /** The account the message is for; extracts and anonymisation go by this, never by address. */
  recipient_user_id: number | null;
  subject: string;
  body_text: string;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  sent_at: string | null;
  last_error: string | null;
  /** Path inside the portal the message links to; PUBLIC_URL is put in front when sent. */
  link_path: string | null;
  /** The participant the message is for, with or without a login; extracts and anonymisation go by this too. */
  recipient_participant_id: number | null;
  /** JSON array of MailAttachment (app/mail/outbox.server.ts), or null. */
  attachments: string | null;
  /** A reminder's one-click opt-out path; PUBLIC_URL is put in front when sent. */
  unsubscribe_path: string | null;
}

/** A participant who wants no reminders (changes and cancellations still reach them). */
export interface ReminderOptOutTable {
  participant_id: number;
  municipality_id: number;
  opted_out_at: string;
}

/** One reminder's opt-out link: only the SHA-256 (hex) of its token is kept. */
export interface ReminderOptOutLinkTable {
  token_hash: string;
  participant_id: number;
  municipality_id: number;
  created_at: string;
}

/** What a programme lead or coordinator sent to a cohort's participants. */
export interface CohortMessageTable {
  id: Generated<number>;
  cohort_id: number;
  sender_user_id: number;
  /** The coordinator's municipality; null when the programme lead wrote. */
  municipality_id: number | null;
  subject: string;
  body: string;
  recipient_count: number;
  /** The form's one-time key: the same form sent twice sends once. */
  idempotency_key: string;
  created_at: string;
}

export interface CohortMessageRecipientTable {
  message_id: number;
  participant_id: number;
  municipality_id: number;
}

/** One reminder per session and participant, ever. */
export interface SessionReminderTable {
  session_id: number;
  participant_id: number;
  mail_id: number;
  queued_at: string;
}

// Outcome follow-up after leaving a cohort, and the months reported to SCB.

export type OutcomeCheckpoint = "4_weeks" | "6_months";
export type OutcomeResult = "same_role" | "new_role" | "became_manager" | "studying" | "left_municipality" | "unknown";

export interface OutcomeTable {
  id: Generated<number>;
  enrolment_id: number;
  participant_id: number;
  municipality_id: number;
  checkpoint: OutcomeCheckpoint;
  result: OutcomeResult;
  recorded_by: number | null;
  recorded_at: string;
}

export interface ScbReportTable {
  id: Generated<number>;
  programme_id: number;
  /** Null: the whole programme (its lead); otherwise one municipality's share (its coordinator). */
  municipality_id: number | null;
  /** YYYY-MM */
  month: string;
  reported_at: string;
  reported_by: number | null;
  row_count: number;
  /** SHA-256 of the list as reported. */
  fingerprint: string;
  /** 1 when an earlier month was corrected after this one was reported. */
  needs_rereport: number;
  flagged_at: string | null;
  corrected_at: string | null;
}

// Retention (gallring) per programme; without a row the funding's default applies.

export interface ProgrammeRetentionTable {
  programme_id: number;
  /** Months after a participant's last enrolment in the programme ended. */
  months: number;
  updated_by: number | null;
  updated_at: string;
}

// Effects (issue 16): session evaluations, anonymous (ADR 020).

export interface EvaluationSettingsTable {
  programme_id: number;
  /** Answers a session or cohort needs before its results are shown; never under 3. */
  min_answers: number;
  updated_by: number | null;
  updated_at: string;
}

export interface EvaluationStatementTable {
  id: Generated<number>;
  programme_id: number;
  position: number;
  text: string;
}

/** Who was asked to evaluate a session, and whether they answered (never when, never what). */
export interface EvaluationInvitationTable {
  session_id: number;
  participant_id: number;
  municipality_id: number;
  user_id: number | null;
  invited_at: string;
  reminded_at: string | null;
  answered: number;
}

/** An answer, with no link to who gave it: a random id, no time. */
export interface EvaluationResponseTable {
  id: string;
  session_id: number;
  comment: string;
}

export interface EvaluationScoreTable {
  response_id: string;
  statement_id: number;
  score: number;
}

export type FeedbackRoundKind = "first" | "follow_up";
export type RaterGroup = "manager" | "colleague" | "report";
export type FeedbackShownAs = "self" | "manager" | "colleague" | "report" | "other";
export type GoalStatus = "not_started" | "under_way" | "reached";

/** A programme's 360 questionnaire; a new version once the current one has answers (content is JSON). */
export interface FeedbackInstrumentTable {
  id: Generated<number>;
  programme_id: number;
  version: number;
  content: string;
  created_at: string;
}

export interface FeedbackRoundTable {
  id: Generated<number>;
  cohort_id: number;
  instrument_id: number;
  kind: FeedbackRoundKind;
  closes_on: string;
  opened_at: string;
  closed_at: string | null;
}

/** One participant in one round: the report is theirs. */
export interface FeedbackSubjectTable {
  id: Generated<number>;
  round_id: number;
  participant_id: number;
  municipality_id: number;
  self_answered_at: string | null;
}

export interface FeedbackRaterTable {
  id: Generated<number>;
  subject_id: number;
  rater_group: RaterGroup;
  /** Null once the round has closed. */
  email: string | null;
  shown_apart: Generated<number>;
  invited_at: string;
  reminded_at: string | null;
  answered_at: string | null;
  revoked_at: string | null;
}

/** A rater's link: only the SHA-256 of its token. */
export interface FeedbackRaterLinkTable {
  token_hash: string;
  rater_id: number;
  mail_id: number | null;
  created_at: string;
}

/** An answer, with no link to the rater who gave it. */
export interface FeedbackResponseTable {
  id: Generated<number>;
  subject_id: number;
  shown_as: FeedbackShownAs;
  scores: string;
}

export interface FeedbackCommentTable {
  id: Generated<number>;
  subject_id: number;
  question: number;
  is_self: number;
  text: string;
}

export interface FeedbackShareTable {
  id: Generated<number>;
  subject_id: number;
  user_id: number;
  shared_at: string;
  revoked_at: string | null;
}

export interface ActionPlanTable {
  id: Generated<number>;
  participant_id: number;
  municipality_id: number;
  cohort_id: number;
  manager_token_hash: string | null;
  updated_at: string;
  version: Generated<number>;
}

export interface ActionPlanGoalTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  title: string;
  linked_to: string;
  actions: string;
  manager_support: string;
  starts_on: string | null;
  due_on: string | null;
  status: Generated<GoalStatus>;
  reflection: Generated<string>;
  status_changed_at: string | null;
}

// Self-rating before and after (issue 16, learning; ADR 035).

/** A goal of the programme, written by its lead; fixed once someone has rated themself against it. */
export interface ProgrammeGoalTable {
  id: Generated<number>;
  programme_id: number;
  position: number;
  text: string;
}

export type SelfRatingPhase = "start" | "end";

/** A participant's 1-5 rating of themself against one goal, at the start or the end of a cohort. */
export interface SelfRatingTable {
  cohort_id: number;
  participant_id: number;
  municipality_id: number;
  phase: SelfRatingPhase;
  goal_id: number;
  score: number;
  rated_at: string;
}
