import type { Migration } from "kysely";
import * as initial from "./2026-11-26T2000_initial";
import * as scheduleFeedsMail from "./2026-11-26T2130_schedule_feeds_mail";
import * as attendanceTimeReports from "./2026-11-26T2140_attendance_time_reports";
import * as statisticsOutcomes from "./2026-11-26T2150_statistics_outcomes";
import * as privacyRetention from "./2026-11-26T2160_privacy_retention";
import * as tenancyIdentity from "./2026-11-28T1300_tenancy_identity";
import * as certifiedSnapshots from "./2026-11-28T1400_certified_snapshots";
import * as loginLimitsHashedKeys from "./2026-11-28T1500_login_limits_hashed_keys";
import * as passwordResetTwoFactor from "./2026-11-28T1600_password_reset_two_factor";
import * as sessionEvaluations from "./2026-11-28T1620_session_evaluations";
import * as feedback360 from "./2026-11-28T1700_feedback_360";
import * as actionPlans from "./2026-11-28T1710_action_plans";
import * as participantMailMessages from "./2026-11-29T0120_participant_mail_messages";
import * as sessionMaterial from "./2026-11-29T0130_session_material";
import * as selfRatings from "./2026-11-29T0160_self_ratings";
import * as identityProviders from "./2026-11-29T0170_identity_providers";
import * as rowLevelSecurity from "./2026-11-29T0180_row_level_security";
import * as rowLevelSecurityTimeReports from "./2026-11-29T0500_row_level_security_time_reports";
import * as coachRole from "./2026-11-29T0510_coach_role";
import * as samlLogoutCertificates from "./2026-11-29T0520_saml_logout_certificates";
import * as startAndEffectPageIndexes from "./2026-11-29T0600_start_and_effect_page_indexes";

/**
 * Every migration, by name. Listed here (not read from the folder at run time)
 * so the same list works in scripts, tests and the bundled server.
 * Names sort by date; a landed migration is never edited, only followed.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-26T2000_initial": initial,
  "2026-11-26T2130_schedule_feeds_mail": scheduleFeedsMail,
  "2026-11-26T2140_attendance_time_reports": attendanceTimeReports,
  "2026-11-26T2150_statistics_outcomes": statisticsOutcomes,
  "2026-11-26T2160_privacy_retention": privacyRetention,
  "2026-11-28T1300_tenancy_identity": tenancyIdentity,
  "2026-11-28T1400_certified_snapshots": certifiedSnapshots,
  "2026-11-28T1500_login_limits_hashed_keys": loginLimitsHashedKeys,
  "2026-11-28T1600_password_reset_two_factor": passwordResetTwoFactor,
  "2026-11-28T1620_session_evaluations": sessionEvaluations,
  "2026-11-28T1700_feedback_360": feedback360,
  "2026-11-28T1710_action_plans": actionPlans,
  "2026-11-29T0120_participant_mail_messages": participantMailMessages,
  "2026-11-29T0130_session_material": sessionMaterial,
  "2026-11-29T0160_self_ratings": selfRatings,
  "2026-11-29T0170_identity_providers": identityProviders,
  "2026-11-29T0180_row_level_security": rowLevelSecurity,
  "2026-11-29T0500_row_level_security_time_reports": rowLevelSecurityTimeReports,
  "2026-11-29T0510_coach_role": coachRole,
  "2026-11-29T0520_saml_logout_certificates": samlLogoutCertificates,
  "2026-11-29T0600_start_and_effect_page_indexes": startAndEffectPageIndexes,
};
