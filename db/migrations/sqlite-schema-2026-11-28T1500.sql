-- table kysely_migration on kysely_migration
CREATE TABLE "kysely_migration" ("name" varchar(255) not null primary key, "timestamp" varchar(255) not null);
-- index sqlite_autoindex_kysely_migration_1 on kysely_migration
(automatic);
-- table kysely_migration_lock on kysely_migration_lock
CREATE TABLE "kysely_migration_lock" ("id" varchar(255) not null primary key, "is_locked" integer default 0 not null);
-- index sqlite_autoindex_kysely_migration_lock_1 on kysely_migration_lock
(automatic);
-- table municipalities on municipalities
CREATE TABLE "municipalities" ("id" integer primary key autoincrement, "name" text not null unique, "slug" text not null unique, "county" text not null, "created_at" text not null, "org_number" text);
-- index sqlite_autoindex_municipalities_1 on municipalities
(automatic);
-- index sqlite_autoindex_municipalities_2 on municipalities
(automatic);
-- table sqlite_sequence on sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);
-- table users on users
CREATE TABLE "users" ("id" integer primary key autoincrement, "email" text not null unique, "name" text not null, "password_hash" text, "disabled_at" text, "created_at" text not null);
-- index sqlite_autoindex_users_1 on users
(automatic);
-- table programmes on programmes
CREATE TABLE "programmes" ("id" integer primary key autoincrement, "name" text not null, "kind" text not null, "funding" text not null, "owner_municipality_id" integer not null references "municipalities" ("id"), "esf_project_number" text, "starts_on" text not null, "ends_on" text not null, "description" text default '' not null, "created_at" text not null, "updated_at" text not null, "version" integer default 1 not null);
-- table programme_partners on programme_partners
CREATE TABLE "programme_partners" ("programme_id" integer not null references "programmes" ("id") on delete cascade, "municipality_id" integer not null references "municipalities" ("id"), constraint "programme_partners_pk" primary key ("programme_id", "municipality_id"));
-- index sqlite_autoindex_programme_partners_1 on programme_partners
(automatic);
-- table participants on participants
CREATE TABLE "participants" ("id" integer primary key autoincrement, "municipality_id" integer not null references "municipalities" ("id"), "first_name" text not null, "last_name" text not null, "email" text not null, "department" text default '' not null, "title" text default '' not null, "gender" text not null, "birth_year" integer not null, "education_level" text, "salary_group" text default '' not null, "ended_on" text, "end_reason" text, "created_at" text not null, "updated_at" text not null, "anonymised_at" text, "manager_name" text, "manager_email" text, constraint "participants_municipality_id_id_key" unique ("municipality_id", "id"), constraint "participants_municipality_email_key" unique ("municipality_id", "email"));
-- index sqlite_autoindex_participants_1 on participants
(automatic);
-- index sqlite_autoindex_participants_2 on participants
(automatic);
-- index participants_municipality_name_idx on participants
CREATE INDEX "participants_municipality_name_idx" on "participants" ("municipality_id", "last_name", "first_name");
-- table participant_identities on participant_identities
CREATE TABLE "participant_identities" ("participant_id" integer primary key, "municipality_id" integer not null, "personnummer" text not null, constraint "participant_identities_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id") on delete cascade);
-- table role_grants on role_grants
CREATE TABLE "role_grants" ("id" integer primary key autoincrement, "user_id" integer not null references "users" ("id") on delete cascade, "role" text not null, "municipality_id" integer references "municipalities" ("id"), "programme_id" integer references "programmes" ("id") on delete cascade, "participant_id" integer, "created_at" text not null, "created_by" integer references "users" ("id"), constraint "role_grants_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id") on delete cascade, constraint "role_grants_scope_check" check ((role = 'admin' AND municipality_id IS NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role = 'coordinator' AND municipality_id IS NOT NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role IN ('programme_lead', 'funder') AND programme_id IS NOT NULL AND municipality_id IS NULL AND participant_id IS NULL)
       OR (role = 'participant' AND municipality_id IS NOT NULL AND participant_id IS NOT NULL AND programme_id IS NULL)));
-- index role_grants_user_idx on role_grants
CREATE INDEX "role_grants_user_idx" on "role_grants" ("user_id");
-- index role_grants_participant_idx on role_grants
CREATE INDEX "role_grants_participant_idx" on "role_grants" ("participant_id");
-- table login_sessions on login_sessions
CREATE TABLE "login_sessions" ("id" text primary key, "user_id" integer not null references "users" ("id") on delete cascade, "created_at" text not null, "last_seen_at" text not null, "expires_at" text not null);
-- index sqlite_autoindex_login_sessions_1 on login_sessions
(automatic);
-- index login_sessions_user_idx on login_sessions
CREATE INDEX "login_sessions_user_idx" on "login_sessions" ("user_id");
-- table cohorts on cohorts
CREATE TABLE "cohorts" ("id" integer primary key autoincrement, "programme_id" integer not null references "programmes" ("id") on delete cascade, "name" text not null, "starts_on" text not null, "ends_on" text not null, "capacity" integer not null, "created_at" text not null, "updated_at" text not null, constraint "cohorts_id_programme_key" unique ("id", "programme_id"));
-- index sqlite_autoindex_cohorts_1 on cohorts
(automatic);
-- index cohorts_programme_idx on cohorts
CREATE INDEX "cohorts_programme_idx" on "cohorts" ("programme_id");
-- table cohort_seats on cohort_seats
CREATE TABLE "cohort_seats" ("cohort_id" integer not null, "programme_id" integer not null, "municipality_id" integer not null, "seats" integer not null check (seats >= 0), constraint "cohort_seats_pk" primary key ("cohort_id", "municipality_id"), constraint "cohort_seats_cohort_fk" foreign key ("cohort_id", "programme_id") references "cohorts" ("id", "programme_id") on delete cascade, constraint "cohort_seats_partner_fk" foreign key ("programme_id", "municipality_id") references "programme_partners" ("programme_id", "municipality_id"));
-- index sqlite_autoindex_cohort_seats_1 on cohort_seats
(automatic);
-- table seat_transfers on seat_transfers
CREATE TABLE "seat_transfers" ("id" integer primary key autoincrement, "cohort_id" integer not null references "cohorts" ("id") on delete cascade, "from_municipality_id" integer not null references "municipalities" ("id"), "to_municipality_id" integer not null references "municipalities" ("id"), "seats" integer not null check (seats > 0), "moved_by" integer not null references "users" ("id"), "moved_at" text not null);
-- table sessions on sessions
CREATE TABLE "sessions" ("id" integer primary key autoincrement, "cohort_id" integer not null references "cohorts" ("id") on delete cascade, "title" text not null, "kind" text not null, "starts_at" text not null, "ends_at" text not null, "host_municipality_id" integer not null references "municipalities" ("id"), "venue" text default '' not null, "address" text default '' not null, "meeting_url" text default '' not null, "facilitator" text default '' not null, "description" text default '' not null, "status" text default 'planned' not null, "sequence" integer default 0 not null, "created_at" text not null, "updated_at" text not null, constraint "sessions_time_check" check (ends_at > starts_at));
-- index sessions_cohort_start_idx on sessions
CREATE INDEX "sessions_cohort_start_idx" on "sessions" ("cohort_id", "starts_at");
-- table session_changes on session_changes
CREATE TABLE "session_changes" ("id" integer primary key autoincrement, "session_id" integer not null references "sessions" ("id") on delete cascade, "changed_by" integer not null references "users" ("id"), "changed_at" text not null, "kind" text not null, "changes" text not null);
-- index session_changes_session_idx on session_changes
CREATE INDEX "session_changes_session_idx" on "session_changes" ("session_id", "changed_at");
-- table enrolments on enrolments
CREATE TABLE "enrolments" ("id" integer primary key autoincrement, "cohort_id" integer not null, "municipality_id" integer not null, "participant_id" integer not null, "status" text not null, "nominated_at" text not null, "waitlist_position" integer, "status_changed_at" text not null, "started_on" text, "ended_on" text, "drop_reason" text, constraint "enrolments_cohort_participant_key" unique ("cohort_id", "participant_id"), constraint "enrolments_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id"), constraint "enrolments_seat_fk" foreign key ("cohort_id", "municipality_id") references "cohort_seats" ("cohort_id", "municipality_id"));
-- index sqlite_autoindex_enrolments_1 on enrolments
(automatic);
-- index enrolments_cohort_municipality_idx on enrolments
CREATE INDEX "enrolments_cohort_municipality_idx" on "enrolments" ("cohort_id", "municipality_id", "status");
-- index enrolments_participant_idx on enrolments
CREATE INDEX "enrolments_participant_idx" on "enrolments" ("participant_id");
-- table enrolment_events on enrolment_events
CREATE TABLE "enrolment_events" ("id" integer primary key autoincrement, "enrolment_id" integer not null references "enrolments" ("id") on delete cascade, "status" text not null, "occurred_on" text not null, "recorded_at" text not null, "recorded_by" integer references "users" ("id"), "reason" text);
-- index enrolment_events_enrolment_idx on enrolment_events
CREATE INDEX "enrolment_events_enrolment_idx" on "enrolment_events" ("enrolment_id");
-- table audit_log on audit_log
CREATE TABLE "audit_log" ("id" integer primary key autoincrement, "at" text not null, "actor_user_id" integer, "municipality_id" integer, "action" text not null, "entity" text, "entity_id" text, "detail" text);
-- index audit_log_at_idx on audit_log
CREATE INDEX "audit_log_at_idx" on "audit_log" ("at");
-- index audit_log_action_idx on audit_log
CREATE INDEX "audit_log_action_idx" on "audit_log" ("action", "at");
-- trigger audit_log_no_update on audit_log
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- trigger audit_log_no_delete on audit_log
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- table calendar_feeds on calendar_feeds
CREATE TABLE "calendar_feeds" ("id" integer primary key autoincrement, "user_id" integer not null references "users" ("id") on delete cascade, "scope" text not null check (scope IN ('participant', 'staff')), "token_hash" text not null unique, "created_at" text not null, constraint "calendar_feeds_user_scope_key" unique ("user_id", "scope"));
-- index sqlite_autoindex_calendar_feeds_1 on calendar_feeds
(automatic);
-- index sqlite_autoindex_calendar_feeds_2 on calendar_feeds
(automatic);
-- table notifications on notifications
CREATE TABLE "notifications" ("id" integer primary key autoincrement, "user_id" integer not null references "users" ("id") on delete cascade, "kind" text not null, "session_id" integer references "sessions" ("id") on delete cascade, "enrolment_id" integer references "enrolments" ("id") on delete cascade, "message" text not null, "created_at" text not null, "seen_at" text);
-- index notifications_user_unseen_idx on notifications
CREATE INDEX "notifications_user_unseen_idx" on "notifications" ("user_id", "seen_at");
-- table mail_outbox on mail_outbox
CREATE TABLE "mail_outbox" ("id" integer primary key autoincrement, "kind" text not null, "to_address" text not null, "subject" text not null, "body_text" text not null, "created_at" text not null, "attempts" integer default 0 not null, "next_attempt_at" text not null, "sent_at" text, "last_error" text, "link_path" text, "recipient_user_id" integer references "users" ("id"));
-- index mail_outbox_due_idx on mail_outbox
CREATE INDEX "mail_outbox_due_idx" on "mail_outbox" ("sent_at", "next_attempt_at");
-- table session_reminders on session_reminders
CREATE TABLE "session_reminders" ("session_id" integer not null references "sessions" ("id") on delete cascade, "participant_id" integer not null references "participants" ("id") on delete cascade, "mail_id" integer not null references "mail_outbox" ("id"), "queued_at" text not null, constraint "session_reminders_pk" primary key ("session_id", "participant_id"));
-- index sqlite_autoindex_session_reminders_1 on session_reminders
(automatic);
-- table programme_settings on programme_settings
CREATE TABLE "programme_settings" ("programme_id" integer primary key references "programmes" ("id") on delete cascade, "completion_percent" integer default 80 not null check (completion_percent BETWEEN 0 AND 100), "rounding" text default 'hour_down' not null check (rounding IN ('hour_down', 'half_hour_down', 'quarter_down')), "updated_by" integer references "users" ("id"), "updated_at" text not null, "coordinators_plan_sessions" integer default 0 not null check (coordinators_plan_sessions IN (0, 1)), "on_behalf_allowed" integer default 0 not null check (on_behalf_allowed IN (0, 1)));
-- table unit_costs on unit_costs
CREATE TABLE "unit_costs" ("id" integer primary key autoincrement, "programme_id" integer not null references "programmes" ("id") on delete cascade, "salary_group" text not null, "year" integer not null check (year BETWEEN 2000 AND 2100), "hourly_cost_ore" integer not null check (hourly_cost_ore >= 0), "updated_by" integer references "users" ("id"), "updated_at" text not null, constraint "unit_costs_programme_group_year_key" unique ("programme_id", "salary_group", "year"));
-- index sqlite_autoindex_unit_costs_1 on unit_costs
(automatic);
-- table attendance on attendance
CREATE TABLE "attendance" ("id" integer primary key autoincrement, "session_id" integer not null references "sessions" ("id") on delete cascade, "participant_id" integer not null, "municipality_id" integer not null, "status" text not null check (status IN ('narvarande', 'sen_ankomst', 'giltig_franvaro', 'franvarande')), "minutes" integer not null check (minutes >= 0), "recorded_by" integer references "users" ("id"), "recorded_at" text not null, "version" integer default 1 not null, constraint "attendance_session_participant_key" unique ("session_id", "participant_id"), constraint "attendance_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id"), constraint "attendance_absent_no_minutes" check (status IN ('narvarande', 'sen_ankomst') OR minutes = 0));
-- index sqlite_autoindex_attendance_1 on attendance
(automatic);
-- index attendance_participant_idx on attendance
CREATE INDEX "attendance_participant_idx" on "attendance" ("participant_id", "session_id");
-- table attendance_corrections on attendance_corrections
CREATE TABLE "attendance_corrections" ("id" integer primary key autoincrement, "attendance_id" integer not null references "attendance" ("id") on delete cascade, "session_id" integer not null, "participant_id" integer not null, "municipality_id" integer not null, "from_status" text not null, "to_status" text not null, "from_minutes" integer not null, "to_minutes" integer not null, "reason" text, "changed_by" integer references "users" ("id"), "changed_at" text not null, constraint "attendance_corrections_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id"));
-- index attendance_corrections_attendance_idx on attendance_corrections
CREATE INDEX "attendance_corrections_attendance_idx" on "attendance_corrections" ("attendance_id");
-- table own_activities on own_activities
CREATE TABLE "own_activities" ("id" integer primary key autoincrement, "participant_id" integer not null, "municipality_id" integer not null, "programme_id" integer not null references "programmes" ("id") on delete cascade, "kind" text not null check (kind IN ('skuggning', 'egen_studietid', 'hemuppgift')), "activity_on" text not null, "minutes" integer not null check (minutes > 0 AND minutes <= 1440), "description" text not null, "status" text default 'pending' not null check (status IN ('pending', 'approved', 'rejected')), "created_by" integer references "users" ("id"), "created_at" text not null, "decided_by" integer references "users" ("id"), "decided_at" text, "reason" text, constraint "own_activities_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id"));
-- index own_activities_participant_idx on own_activities
CREATE INDEX "own_activities_participant_idx" on "own_activities" ("participant_id", "activity_on");
-- index own_activities_municipality_status_idx on own_activities
CREATE INDEX "own_activities_municipality_status_idx" on "own_activities" ("municipality_id", "status");
-- table time_reports on time_reports
CREATE TABLE "time_reports" ("id" integer primary key autoincrement, "participant_id" integer not null, "municipality_id" integer not null, "programme_id" integer not null references "programmes" ("id") on delete cascade, "month" text not null check (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'), "status" text default 'draft' not null check (status IN ('draft', 'confirmed', 'certified', 'reopened')), "confirmed_by" integer references "users" ("id"), "confirmed_at" text, "certified_by" integer references "users" ("id"), "certified_at" text, "needs_review" integer default 0 not null, "rounding" text, "certified_raw_minutes" integer, "certified_minutes" integer, "certified_salary_group" text, "certified_lines" text, "version" integer default 1 not null, "created_at" text not null, "updated_at" text not null, "certified_hourly_cost_ore" integer, "certified_value_ore" integer, "certified_as" text check (certified_as IN ('manager', 'on_behalf')), "certified_manager_name" text, constraint "time_reports_participant_programme_month_key" unique ("participant_id", "programme_id", "month"), constraint "time_reports_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id"), constraint "time_reports_certified_snapshot" check (status <> 'certified' OR (certified_at IS NOT NULL AND certified_minutes IS NOT NULL AND certified_lines IS NOT NULL)));
-- index sqlite_autoindex_time_reports_1 on time_reports
(automatic);
-- index time_reports_municipality_month_idx on time_reports
CREATE INDEX "time_reports_municipality_month_idx" on "time_reports" ("municipality_id", "month", "status");
-- index time_reports_programme_month_idx on time_reports
CREATE INDEX "time_reports_programme_month_idx" on "time_reports" ("programme_id", "month");
-- table time_report_events on time_report_events
CREATE TABLE "time_report_events" ("id" integer primary key autoincrement, "time_report_id" integer not null references "time_reports" ("id") on delete cascade, "kind" text not null, "actor_user_id" integer references "users" ("id"), "at" text not null, "reason" text);
-- index time_report_events_report_idx on time_report_events
CREATE INDEX "time_report_events_report_idx" on "time_report_events" ("time_report_id");
-- table outcomes on outcomes
CREATE TABLE "outcomes" ("id" integer primary key autoincrement, "enrolment_id" integer not null references "enrolments" ("id") on delete cascade, "participant_id" integer not null, "municipality_id" integer not null, "checkpoint" text not null check (checkpoint IN ('4_weeks', '6_months')), "result" text not null check (result IN ('same_role', 'new_role', 'became_manager', 'studying', 'left_municipality', 'unknown')), "recorded_by" integer references "users" ("id"), "recorded_at" text not null, constraint "outcomes_enrolment_checkpoint_key" unique ("enrolment_id", "checkpoint"), constraint "outcomes_participant_fk" foreign key ("municipality_id", "participant_id") references "participants" ("municipality_id", "id"));
-- index sqlite_autoindex_outcomes_1 on outcomes
(automatic);
-- index outcomes_municipality_idx on outcomes
CREATE INDEX "outcomes_municipality_idx" on "outcomes" ("municipality_id", "checkpoint");
-- table scb_reports on scb_reports
CREATE TABLE "scb_reports" ("id" integer primary key autoincrement, "programme_id" integer not null references "programmes" ("id") on delete cascade, "municipality_id" integer references "municipalities" ("id"), "month" text not null check (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'), "reported_at" text not null, "reported_by" integer references "users" ("id"), "row_count" integer not null, "fingerprint" text not null, "needs_rereport" integer default 0 not null, "flagged_at" text, "corrected_at" text);
-- index scb_reports_scope_month_key on scb_reports
CREATE UNIQUE INDEX scb_reports_scope_month_key ON scb_reports (programme_id, coalesce(municipality_id, 0), month);
-- index enrolments_cohort_status_dates_idx on enrolments
CREATE INDEX "enrolments_cohort_status_dates_idx" on "enrolments" ("cohort_id", "status", "started_on", "ended_on");
-- index participants_municipality_attributes_idx on participants
CREATE INDEX "participants_municipality_attributes_idx" on "participants" ("municipality_id", "gender", "birth_year", "education_level");
-- index attendance_session_status_idx on attendance
CREATE INDEX "attendance_session_status_idx" on "attendance" ("session_id", "status", "minutes");
-- table programme_retention on programme_retention
CREATE TABLE "programme_retention" ("programme_id" integer primary key references "programmes" ("id") on delete cascade, "months" integer not null check (months BETWEEN 1 AND 600), "updated_by" integer references "users" ("id"), "updated_at" text not null);
-- index mail_outbox_recipient_idx on mail_outbox
CREATE INDEX "mail_outbox_recipient_idx" on "mail_outbox" ("recipient_user_id");
-- table rate_limits on rate_limits
CREATE TABLE "rate_limits" ("key" text primary key, "failures" integer not null, "blocked_until" text, "expires_at" text not null);
-- index sqlite_autoindex_rate_limits_1 on rate_limits
(automatic);
-- index rate_limits_expires_idx on rate_limits
CREATE INDEX "rate_limits_expires_idx" on "rate_limits" ("expires_at");
