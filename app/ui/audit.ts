/**
 * How the audit log reads: the Swedish name of every event code the code
 * writes (audit.test.ts collects the codes from the source, so a new code
 * without a name here fails), what an entry concerns, and its details as a
 * short Swedish line instead of the stored JSON.
 */

export const auditEventLabels: Record<string, string> = {
  "account.password_change_failed": "Byte av lösenord misslyckades",
  "account.password_changed": "Bytte lösenord",
  "account.two_factor_disabled": "Stängde av tvåstegsverifiering",
  "account.two_factor_enabled": "Slog på tvåstegsverifiering",
  "action_plan.goal_removed": "Tog bort ett mål i handlingsplanen",
  "action_plan.goal_saved": "Sparade ett mål i handlingsplanen",
  "action_plan.progress": "Markerade läget i handlingsplanen",
  "action_plan.shared": "Delade handlingsplanen med chefen",
  "action_plan.unshared": "Slutade dela handlingsplanen med chefen",
  "attendance.corrected": "Rättade närvaro",
  "attendance.exported": "Hämtade närvarorapport",
  "attendance.recorded": "Registrerade närvaro",
  "auth.login": "Loggade in",
  "auth.login_failed": "Misslyckad inloggning",
  "auth.logout": "Loggade ut",
  "auth.password_accepted": "Lösenord godkänt, väntar på tvåstegskod",
  "auth.password_reset": "Återställde lösenord",
  "auth.password_reset_requested": "Bad om länk för nytt lösenord",
  "auth.password_reset_unknown_address": "Bad om nytt lösenord för okänd adress",
  "auth.reauthenticated": "Bekräftade sitt lösenord igen",
  "auth.reauthentication_failed": "Fel lösenord vid ny bekräftelse",
  "auth.recovery_code_used": "Loggade in med reservkod",
  "auth.second_factor_failed": "Fel tvåstegskod",
  "auth.sso_linked": "Kopplade kontot till kommunens inloggning",
  "auth.sso_logout": "Utloggad av kommunens inloggning",
  "auth.sso_logout_refused": "Utloggningsbegäran från kommunens inloggning nekades",
  "auth.sso_refused": "Inloggning via kommunen nekades",
  "authz.denied": "Nekad åtkomst",
  "calendar_feed.created": "Skapade kalenderprenumeration",
  "calendar_feed.renewed": "Bytte kalenderadress",
  "cofinancing.exported": "Hämtade medfinansiering",
  "cohort.created": "Skapade omgång",
  "cohort.seats_moved": "Flyttade platser",
  "cohort.updated": "Ändrade omgång",
  "cohort_message.sent": "Skickade meddelande till omgången",
  "enrolment.accepted": "Antog deltagare",
  "enrolment.nominated": "Anmälde deltagare",
  "enrolment.seat_offered": "Erbjöd plats från väntelistan",
  "enrolment.status_changed": "Ändrade status på anmälan",
  "enrolment.withdrawn": "Drog tillbaka anmälan",
  "evaluation.answered": "Svarade på utvärdering",
  "evaluation.setup_saved": "Ändrade utvärderingens frågor",
  "feedback.rater_revoked": "Återkallade en 360-inbjudan",
  "feedback.raters_invited": "Bjöd in till 360-återkoppling",
  "feedback.raters_reminded": "Påminde om 360-återkoppling",
  "feedback.self_answered": "Svarade på egen 360-återkoppling",
  "feedback_instrument.saved": "Ändrade 360-frågorna",
  "feedback_report.shared": "Delade 360-rapport",
  "feedback_report.unshared": "Slutade dela 360-rapport",
  "feedback_report.viewed": "Läste delad 360-rapport",
  "feedback_round.closed": "Stängde 360-runda",
  "feedback_round.opened": "Öppnade 360-runda",
  "grant.added": "Gav behörighet",
  "grant.removed": "Tog bort behörighet",
  "identity_provider.certificate_added": "Nytt certifikat för en inloggningstjänst",
  "identity_provider.certificate_removed": "Certifikat för en inloggningstjänst togs bort",
  "identity_provider.created": "Lade till en inloggningstjänst",
  "identity_provider.metadata_refresh_failed": "Inloggningstjänstens metadata gick inte att hämta",
  "identity_provider.updated": "Ändrade en inloggningstjänst",
  "municipality.org_number_set": "Angav organisationsnummer",
  "outcome.corrected": "Rättade uppföljning",
  "outcome.recorded": "Registrerade uppföljning",
  "own_activity.approved": "Godkände egen aktivitet",
  "own_activity.recorded": "Rapporterade egen aktivitet",
  "own_activity.rejected": "Avslog egen aktivitet",
  "participant.anonymised": "Anonymiserade deltagare",
  "participant.created": "Lade till deltagare",
  "participant.ended": "Avslutade deltagare",
  "participant.exported": "Hämtade deltagarlista",
  "participant.imported": "Läste in deltagare från fil",
  "participant.login_created": "Skapade inloggning åt deltagare",
  "participant.register_extract": "Tog ut registerutdrag",
  "participant.reopened": "Återaktiverade deltagare",
  "participant.updated": "Ändrade deltagare",
  "programme.created": "Skapade program",
  "programme.retention_set": "Ändrade gallringsfrist",
  "programme.updated": "Ändrade program",
  "programme_goals.saved": "Ändrade programmets mål",
  "programme_settings.updated": "Ändrade programmets inställningar",
  "reminders.opted_in": "Slog på påminnelser",
  "reminders.opted_out": "Stängde av påminnelser",
  "reminders.opted_out_by_link": "Stängde av påminnelser via länken i e-posten",
  "roster.exported": "Hämtade deltagarlista för omgång",
  "scb.corrected": "Rättade SCB-uppgifter",
  "scb.exported": "Hämtade SCB-underlag",
  "scb.reported": "Registrerade SCB-uppgifter",
  "self_rating.saved": "Skattade sig själv mot programmets mål",
  "session.cancelled": "Ställde in träff",
  "session.created": "Lade till träff",
  "session.edited": "Ändrade träff",
  "session.moved": "Flyttade träff",
  "session.reinstated": "Återinsatte träff",
  "session_material.added": "Lade till material till en träff",
  "session_material.removed": "Tog bort material från en träff",
  "statistics.exported": "Hämtade statistik",
  "time_report.certificate_shown": "Visade intyg för tidrapport",
  "time_report.certified": "Attesterade tidrapport",
  "time_report.confirmed": "Bekräftade tidrapport",
  "time_report.reopened": "Öppnade tidrapport för rättelse",
  "time_report.reviewed": "Granskade tidrapport",
  "unit_cost.set": "Ändrade timkostnad",
  "user.created": "Skapade användare",
  "user.disabled": "Inaktiverade användare",
  "user.enabled": "Aktiverade användare igen",
  "user.password_reset_sent": "Skickade länk för nytt lösenord",
};

/** An event code without a name (written by old code, say) still reads as something. */
export function auditEventLabel(code: string): string {
  return auditEventLabels[code] ?? `Annan händelse (${code})`;
}

/** The event filter's choices, alphabetical by their Swedish name. */
export const auditEventChoices = Object.entries(auditEventLabels)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label, "sv"));

export const auditEntityLabels: Record<string, string> = {
  action_plan: "Handlingsplan",
  calendar_feed: "Kalenderprenumeration",
  cohort: "Omgång",
  enrolment: "Anmälan",
  identity_provider: "Inloggningstjänst",
  feedback_round: "360-runda",
  feedback_subject: "360-återkoppling",
  municipality: "Kommun",
  own_activity: "Egen aktivitet",
  participant: "Deltagare",
  programme: "Program",
  role_grant: "Behörighet",
  schedule: "Schema",
  self_rating: "Självskattning",
  session: "Träff",
  time_report: "Tidrapport",
  user: "Användare",
};

/** "Deltagare nr 12": what an entry concerns, when no name can be shown. */
export function auditEntityText(entity: string | null, entityId: string | null): string | null {
  if (!entity) return null;
  const name = auditEntityLabels[entity] ?? entity;
  return entityId ? `${name} nr ${entityId}` : name;
}

const detailKeyLabels: Record<string, string> = {
  cohortId: "omgång nr",
  participantId: "deltagare nr",
  programmeId: "program nr",
  userId: "användare nr",
  transferId: "flytt nr",
  fromMunicipalityId: "från kommun nr",
  toMunicipalityId: "till kommun nr",
  partnerMunicipalityIds: "partnerkommuner nr",
  partnersAdded: "partnerkommuner tillagda",
  partnersRemoved: "partnerkommuner borttagna",
  recordedParticipantIds: "registrerade deltagare nr",
  correctedParticipantIds: "rättade deltagare nr",
  flaggedReportIds: "markerade tidrapporter nr",
  flaggedLaterMonths: "senare månader markerade",
  fields: "fält",
  from: "från",
  to: "till",
  status: "status",
  waitlistPosition: "plats i kön",
  format: "format",
  via: "av",
  scope: "omfattning",
  rows: "rader",
  fullRows: "rader med alla uppgifter",
  count: "antal",
  created: "nya",
  updated: "ändrade",
  unchanged: "oförändrade",
  month: "månad",
  fromMonth: "från månad",
  toMonth: "till månad",
  year: "år",
  kind: "slag",
  subjects: "deltagare",
  group: "grupp",
  checkpoint: "tidpunkt",
  permission: "behörighet som krävdes",
  role: "roll",
  seats: "platser",
  source: "källa",
  version: "version",
  secondFactor: "tvåstegskod",
  replaced: "ersatte tidigare",
  coordinatorsPlanSessions: "samordnare planerar träffar",
  fingerprint: "fingeravtryck (SHA-256)",
  validTo: "giltigt till",
};

const valueLabels: Record<string, string> = {
  self: "deltagaren själv",
  coordinator: "samordnaren",
  form: "formulär",
  import: "fil",
  html: "sida",
  json: "JSON-fil",
  csv: "CSV-fil",
  xlsx: "Excel-fil",
  nominated: "anmäld",
  accepted: "antagen",
  waitlisted: "på väntelista",
  active: "aktiv",
  completed: "avslutad",
  dropped: "avbruten",
  participant: "deltagare",
  programme_lead: "programledare",
  admin: "systemadministratör",
  funder: "finansiär",
  metadata: "identitetstjänstens metadata",
  administrator: "administratören",
};

const fieldLabels: Record<string, string> = {
  first_name: "förnamn",
  last_name: "efternamn",
  email: "e-post",
  department: "förvaltning",
  title: "befattning",
  gender: "kön",
  birth_year: "födelseår",
  personnummer: "personnummer",
  education_level: "utbildningsnivå",
  salary_group: "lönegrupp",
  manager_name: "närmaste chef",
  manager_email: "chefens e-post",
  ended_on: "avslutad",
  end_reason: "orsak till avslut",
  status: "status",
  reason: "orsak",
  minutes: "minuter",
  kind: "slag",
  activity_on: "datum",
  description: "beskrivning",
  result: "resultat",
  name: "namn",
  starts_at: "start",
  ends_at: "slut",
  starts_on: "startdatum",
  ends_on: "slutdatum",
  venue: "plats",
  address: "adress",
  facilitator: "kursledare",
  capacity: "antal platser",
  seats: "platser",
  org_number: "organisationsnummer",
  retention_months: "gallringsfrist",
  needs_review: "behöver granskas",
  completion_percent: "krav för att fullfölja",
  rounding: "avrundning",
  on_behalf_allowed: "attest på chefens vägnar",
  coordinators_plan_sessions: "samordnare planerar träffar",
  statements: "påståenden",
  min_answers: "minsta antal svar",
};

/** A stored field name in Swedish; "ended_on" and "endedOn" are the same field. */
function fieldWords(name: string): string {
  const snake = name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
  return fieldLabels[snake] ?? snake.replace(/_/g, " ");
}

function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "boolean") return value ? "ja" : "nej";
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(key, v)).join(", ") : "inga";
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${valueText(k, v)}`)
      .join(", ");
  }
  const text = String(value);
  if (key === "fields") return fieldWords(text);
  return valueLabels[text] ?? text;
}

/** The stored detail JSON as one Swedish line: "fält: first name, email; källa: formulär". */
export function auditDetailText(detail: string | null): string {
  if (!detail) return "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return String(parsed);
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${detailKeyLabels[k] ?? fieldWords(k)}: ${valueText(k, v)}`)
    .join("; ");
}
