/**
 * How a registerutdrag reads: each extracted table's section (title, what it
 * is and why it is kept, field names, values in Swedish), in the order shown,
 * and the JSON file. The domain (register-extract.server.ts) returns raw rows
 * per table; a table the registry extracts without a section here does not
 * compile.
 */
import type { ExtractedTable, RawRegisterExtract } from "~/domain/register-extract.server";
import { formatPersonnummer } from "~/domain/personnummer";
import type {
  AttendanceStatus,
  CertifiedAs,
  EducationLevel,
  EnrolmentStatus,
  Gender,
  OutcomeCheckpoint,
  OutcomeResult,
  OwnActivityKind,
  NotificationKind,
  OwnActivityStatus,
  Role,
  TimeReportStatus,
} from "~/db/schema";
import {
  attendanceStatusLabels,
  certifiedAsLabels,
  educationLabels,
  enrolmentStatusLabels,
  genderLabels,
  ownActivityKindLabels,
  ownActivityStatusLabels,
  reportLineActivity,
  timeReportStatusLabels,
} from "~/ui/labels";
import { goalStatusLabels, roundKindLabels } from "~/ui/feedback";
import { roleLabels } from "~/ui/roles";
import { auditEntityLabels, auditEventLabel as auditEventName } from "~/ui/audit";
import { formatDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { retentionPeriod } from "~/ui/labels";
import { outcomeCheckpointLabels, outcomeResultLabels } from "~/ui/statistics";

export type ExtractValue = string | number | null;

/**
 * How a field reads on the page (the JSON file keeps the stored value): an
 * internal id is left off the page, minutes read as hours ("7,5 tim"), öre as
 * kronor, a month as "oktober 2026".
 */
export type ExtractFormat = "id" | "minutes" | "ore" | "month";

/** What the sections are grouped under on the page, in this order. */
export const EXTRACT_GROUPS = {
  contact: "Kontaktuppgifter och grunduppgifter",
  participation: "Deltagande i program",
  attendance: "Närvaro",
  time: "Tidrapporter och egna aktiviteter",
  development: "Utvärderingar, 360-återkoppling och handlingsplan",
  notices: "Notiser och e-post",
  logins: "Inloggning och behörighet",
  retention: "Hur länge uppgifterna sparas",
} as const;
export type ExtractGroup = keyof typeof EXTRACT_GROUPS;

export interface ExtractSection {
  key: string;
  group: ExtractGroup;
  title: string;
  /** What the section is and why it is kept, in plain Swedish. */
  description: string;
  columns: { key: string; label: string; format?: ExtractFormat }[];
  rows: Record<string, ExtractValue>[];
  /** One record (shown as a list of facts) rather than a table. */
  single?: boolean;
}

export interface RegisterExtract {
  participantId: number;
  participantName: string;
  municipalityName: string;
  generatedAt: string;
  sections: ExtractSection[];
}

type Row = Record<string, unknown>;
/** A field: its key, its Swedish name, and how its raw value reads (default: as stored). */
type Column = [key: string, label: string, show?: ((value: unknown, row: Row) => ExtractValue) | null, format?: ExtractFormat];

interface SectionText {
  key: string;
  group: ExtractGroup;
  title: string;
  description: string;
  columns: Column[];
  single?: boolean;
}

const labelOf =
  <K extends string>(labels: Record<K, string>) =>
  (value: unknown): ExtractValue =>
    value == null ? null : (labels[value as K] ?? (value as string));
const auditEventLabel = (v: unknown): ExtractValue => (v == null ? null : auditEventName(v as string));
const enrolmentName = (_: unknown, row: Row) => `${row.programme as string}, ${row.cohort as string}`;

const reportEventLabels: Record<string, string> = {
  confirmed: "Bekräftad av deltagaren",
  certified: "Attesterad",
  reopened: "Öppnad för rättelse",
  returned_to_draft: "Återställd till utkast",
  flagged_for_review: "Markerad för granskning",
  reviewed: "Granskad",
};

const noticeKindLabels: Record<NotificationKind, string> = {
  session_moved: "Träff flyttad",
  session_cancelled: "Träff inställd",
  session_reinstated: "Träff återinsatt",
  session_changed: "Träff ändrad",
  enrolment_changed: "Anmälan ändrad",
  cohort_message: "Meddelande till omgången",
};

const mailKindLabels: Record<string, string> = {
  ...noticeKindLabels,
  password_reset: "Nytt lösenord",
  session_reminder: "Påminnelse om träff",
  evaluation_invitation: "Inbjudan att utvärdera",
  evaluation_reminder: "Påminnelse om utvärdering",
  feedback_invitation: "Inbjudan till 360-återkoppling",
  feedback_reminder: "Påminnelse om 360-återkoppling",
};

function linesText(json: unknown): string | null {
  if (typeof json !== "string" || !json) return null;
  try {
    const lines = JSON.parse(json) as { date?: string; source?: "session" | "own_activity"; kind?: string | null; title?: string; minutes?: number }[];
    return lines
      .map(
        (l) =>
          `${l.date ? formatDate(l.date) : ""} ${reportLineActivity({ source: l.source ?? "session", kind: l.kind ?? null, title: l.title ?? "" })} (${formatHours(l.minutes ?? 0)} tim)`,
      )
      .join("; ");
  } catch {
    return json;
  }
}

/** The sections in the order a reader meets them. */
const SECTIONS: Record<ExtractedTable, SectionText> = {
  participants: {
    group: "contact",
    key: "participant",
    title: "Uppgifter om deltagaren",
    description:
      "Grunduppgifterna som kommunens samordnare har registrerat. Kön, födelseår och utbildningsnivå används bara till sammanställd statistik; lönegruppen till beräkning av medfinansiering.",
    single: true,
    columns: [
      ["id", "Deltagar-id", null, "id"],
      ["municipality", "Kommun"],
      ["firstName", "Förnamn"],
      ["lastName", "Efternamn"],
      ["email", "E-post"],
      ["department", "Förvaltning"],
      ["title", "Befattning"],
      ["gender", "Kön", (v) => genderLabels[v as Gender]],
      ["birthYear", "Födelseår"],
      ["educationLevel", "Utbildningsnivå", labelOf<EducationLevel>(educationLabels)],
      ["salaryGroup", "Lönegrupp"],
      ["managerName", "Närmaste chef"],
      ["managerEmail", "Närmaste chefens e-post"],
      ["endedOn", "Avslutad"],
      ["endReason", "Orsak till avslut"],
      ["createdAt", "Registrerad"],
      ["updatedAt", "Senast ändrad"],
      ["anonymisedAt", "Anonymiserad"],
    ],
  },
  participant_identities: {
    group: "contact",
    key: "identity",
    title: "Personnummer",
    description: "Personnumret lagras bara när ett ESF-projekt måste rapportera deltagare till SCB, skilt från övriga uppgifter.",
    single: true,
    columns: [["personnummer", "Personnummer", (v) => formatPersonnummer(v as string)]],
  },
  enrolments: {
    group: "participation",
    key: "enrolments",
    title: "Anmälningar till omgångar",
    description: "Vilka programomgångar deltagaren har anmälts till, status och datum. Start- och slutdatum behövs för redovisningen till finansiären.",
    columns: [
      ["id", "Anmälan", null, "id"],
      ["programme", "Program"],
      ["cohort", "Omgång"],
      ["status", "Status", (v) => enrolmentStatusLabels[v as EnrolmentStatus]],
      ["nominatedAt", "Anmäld"],
      ["waitlistPosition", "Plats i kön"],
      ["statusChangedAt", "Status ändrad"],
      ["startedOn", "Startade"],
      ["endedOn", "Slutade"],
      ["dropReason", "Orsak till avbrott"],
    ],
  },
  enrolment_events: {
    group: "participation",
    key: "enrolmentEvents",
    title: "Händelser i anmälningarna",
    description: "Varje statusändring i anmälningarna, med datum.",
    columns: [
      ["id", "Händelse", null, "id"],
      ["enrolment", "Program och omgång", enrolmentName],
      ["status", "Ny status", (v) => enrolmentStatusLabels[v as EnrolmentStatus]],
      ["occurredOn", "Datum"],
      ["recordedAt", "Registrerad"],
      ["reason", "Orsak"],
    ],
  },
  attendance: {
    group: "attendance",
    key: "attendance",
    title: "Närvaro",
    description: "Närvaro och närvarotid per träff, för att intyga deltagandet och redovisa medfinansiering.",
    columns: [
      ["id", "Post", null, "id"],
      ["sessionStartsAt", "Träffen började"],
      ["session", "Träff"],
      ["status", "Närvaro", (v) => attendanceStatusLabels[v as AttendanceStatus]],
      ["minutes", "Tid", null, "minutes"],
      ["recordedAt", "Registrerad"],
    ],
  },
  attendance_corrections: {
    group: "attendance",
    key: "attendanceCorrections",
    title: "Rättelser av närvaro",
    description: "Ändringar av redan registrerad närvaro, med spårbarhet.",
    columns: [
      ["id", "Rättelse", null, "id"],
      ["attendanceId", "Närvaropost", null, "id"],
      ["fromStatus", "Från", (v) => attendanceStatusLabels[v as AttendanceStatus]],
      ["toStatus", "Till", (v) => attendanceStatusLabels[v as AttendanceStatus]],
      ["fromMinutes", "Tid före", null, "minutes"],
      ["toMinutes", "Tid efter", null, "minutes"],
      ["reason", "Orsak"],
      ["changedAt", "Ändrad"],
    ],
  },
  own_activities: {
    group: "time",
    key: "ownActivities",
    title: "Egna aktiviteter",
    description: "Skuggning, egen studietid och hemuppgifter som deltagaren har rapporterat.",
    columns: [
      ["id", "Aktivitet", null, "id"],
      ["programme", "Program"],
      ["kind", "Typ", (v) => ownActivityKindLabels[v as OwnActivityKind]],
      ["activityOn", "Datum"],
      ["minutes", "Tid", null, "minutes"],
      ["description", "Beskrivning"],
      ["status", "Status", (v) => ownActivityStatusLabels[v as OwnActivityStatus]],
      ["createdAt", "Rapporterad"],
      ["decidedAt", "Beslutad"],
      ["reason", "Motivering"],
    ],
  },
  time_reports: {
    group: "time",
    key: "timeReports",
    title: "Tidredovisningar",
    description: "Månadens redovisade tid. Attesterad tid är underlag för medfinansieringen och sparas som den attesterades.",
    columns: [
      ["id", "Tidrapport", null, "id"],
      ["programme", "Program"],
      ["month", "Månad", null, "month"],
      ["status", "Status", (v) => timeReportStatusLabels[v as TimeReportStatus]],
      ["confirmedAt", "Bekräftad"],
      ["certifiedAt", "Attesterad"],
      ["certifiedMinutes", "Attesterad tid", null, "minutes"],
      ["certifiedSalaryGroup", "Lönegrupp vid attest"],
      ["certifiedLines", "Attesterade rader", linesText],
      ["certifiedCost", "Timkostnad vid attest", null, "ore"],
      ["certifiedValue", "Värde vid attest", null, "ore"],
      ["certifiedAs", "Attest", (v) => (v ? certifiedAsLabels[v as CertifiedAs] : null)],
      ["certifiedManager", "Närmaste chef vid attest"],
      ["needsReview", "Behöver granskas", (v) => (v ? "Ja" : "Nej")],
      ["createdAt", "Skapad"],
      ["updatedAt", "Senast ändrad"],
    ],
  },
  time_report_events: {
    group: "time",
    key: "timeReportEvents",
    title: "Händelser i tidredovisningarna",
    description: "Bekräftelser, attester och rättelser av tidrapporterna.",
    columns: [
      ["id", "Händelse", null, "id"],
      ["timeReportId", "Tidrapport", null, "id"],
      ["kind", "Händelse", labelOf(reportEventLabels)],
      ["at", "Tidpunkt"],
      ["reason", "Orsak"],
    ],
  },
  outcomes: {
    group: "participation",
    key: "outcomes",
    title: "Uppföljning",
    description: "Resultat efter avslutat deltagande (ESF:s resultatindikatorer), mätt efter 4 veckor och 6 månader.",
    columns: [
      ["id", "Uppföljning", null, "id"],
      ["enrolment", "Program och omgång", enrolmentName],
      ["checkpoint", "Tidpunkt", (v) => outcomeCheckpointLabels[v as OutcomeCheckpoint]],
      ["result", "Resultat", (v) => outcomeResultLabels[v as OutcomeResult]],
      ["recordedAt", "Registrerad"],
    ],
  },
  users: {
    group: "logins",
    key: "logins",
    title: "Inloggning",
    description: "Användarkontot som deltagaren loggar in med. Lösenordet lagras bara som en kontrollsumma och lämnas inte ut.",
    columns: [
      ["id", "Användar-id", null, "id"],
      ["email", "E-post"],
      ["name", "Namn"],
      ["password", "Lösenord", (hasPassword) => (hasPassword ? "Lagrat som kontrollsumma" : "Inget")],
      ["disabledAt", "Inaktiverad"],
      ["createdAt", "Skapad"],
    ],
  },
  role_grants: {
    group: "logins",
    key: "roleGrants",
    title: "Behörigheter",
    description: "Rollen som ger deltagaren tillgång till sina egna uppgifter.",
    columns: [
      ["id", "Behörighet", null, "id"],
      ["role", "Roll", labelOf<Role>(roleLabels)],
      ["createdAt", "Given"],
    ],
  },
  login_sessions: {
    group: "logins",
    key: "loginSessions",
    title: "Pågående inloggningar",
    description: "Inloggningar som ännu inte har gått ut. Sessionens nyckel lämnas inte ut.",
    columns: [
      ["createdAt", "Inloggad"],
      ["lastSeenAt", "Senast aktiv"],
      ["expiresAt", "Går ut"],
    ],
  },
  linked_identities: {
    group: "logins",
    key: "linkedIdentities",
    title: "Inloggning via kommunen",
    description: "Kopplingen mellan kontot och din identitet hos kommunens inloggningstjänst.",
    columns: [
      ["issuer", "Inloggningstjänst"],
      ["subject", "Identitet hos tjänsten"],
      ["createdAt", "Kopplad"],
      ["lastLoginAt", "Senast inloggad"],
    ],
  },
  calendar_feeds: {
    group: "logins",
    key: "calendarFeeds",
    title: "Kalenderprenumerationer",
    description: "Personliga kalenderadresser för schemat. Adressen lagras bara som en kontrollsumma.",
    columns: [
      ["id", "Prenumeration", null, "id"],
      ["scope", "Gäller", (v) => (v === "participant" ? "Eget schema" : "Personalens schema")],
      ["createdAt", "Skapad"],
    ],
  },
  notifications: {
    group: "notices",
    key: "notifications",
    title: "Notiser",
    description: "Meddelanden som visats på startsidan, till exempel om en träff flyttats.",
    columns: [
      ["id", "Notis", null, "id"],
      ["kind", "Typ", labelOf(noticeKindLabels)],
      ["message", "Meddelande"],
      ["createdAt", "Skapad"],
      ["seenAt", "Läst"],
    ],
  },
  mail_outbox: {
    group: "notices",
    key: "emails",
    title: "E-post",
    description: "E-postmeddelanden till deltagarens adress, skickade eller i kö.",
    columns: [
      ["id", "Meddelande", null, "id"],
      ["kind", "Typ", labelOf(mailKindLabels)],
      ["toAddress", "Till"],
      ["subject", "Ämne"],
      ["body", "Text"],
      ["createdAt", "Skapat"],
      ["sentAt", "Skickat"],
    ],
  },
  session_reminders: {
    group: "notices",
    key: "sessionReminders",
    title: "Påminnelser om träffar",
    description: "Vilka träffar deltagaren har fått en påminnelse om, så att ingen skickas två gånger.",
    columns: [
      ["sessionId", "Träff-id", null, "id"],
      ["session", "Träff"],
      ["sessionStartsAt", "Träffen började"],
      ["queuedAt", "Påminnelse skapad"],
    ],
  },
  evaluation_invitations: {
    group: "development",
    key: "evaluationInvitations",
    title: "Utvärderingar av träffar",
    description: "Vilka träffar deltagaren ombetts utvärdera och om hen har svarat. Själva svaren sparas utan koppling till någon och finns därför inte här.",
    columns: [
      ["sessionId", "Träff-id", null, "id"],
      ["session", "Träff"],
      ["sessionStartsAt", "Träffen började"],
      ["invitedAt", "Tillfrågad"],
      ["remindedAt", "Påmind"],
      ["answered", "Har svarat", (v) => (v ? "Ja" : "Nej")],
    ],
  },
  self_ratings: {
    key: "selfRatings",
    group: "development",
    title: "Självskattning",
    description: "Hur du skattade dig själv (1–5) mot programmets mål vid start och slut av omgången. Bara du ser dina skattningar; programmet ser bara sammanställningar för grupper om minst 5.",
    columns: [
      ["cohort", "Omgång"],
      ["phase", "Tillfälle", (v) => (v === "start" ? "Vid start" : "Vid slut")],
      ["goal", "Mål"],
      ["score", "Skattning (1–5)"],
      ["ratedAt", "Skattad"],
    ],
  },
  feedback_subjects: {
    group: "development",
    key: "feedback360",
    title: "360-återkoppling",
    description:
      "Rundor du har deltagit i och hur många i varje grupp som bjöds in och svarade. Vem som har svarat sparas inte med svaren och lämnas inte ut.",
    columns: [
      ["id", "Runda", null, "id"],
      ["enrolment", "Program och omgång", enrolmentName],
      ["kind", "Typ", labelOf(roundKindLabels)],
      ["closesOn", "Sista svarsdag"],
      ["selfAnsweredAt", "Eget svar"],
      ["manager", "Chef: svar av inbjudna"],
      ["colleagues", "Kollegor: svar av inbjudna"],
      ["reports", "Medarbetare: svar av inbjudna"],
    ],
  },
  feedback_responses: {
    group: "development",
    key: "feedback360OwnAnswers",
    title: "Egna svar i 360-återkopplingen",
    description: "Dina egna svar per påstående (1–5; tomt betyder ”kan inte bedöma”). Andras svar om dig finns i din 360-rapport, sammanslagna enligt reglerna för anonymitet.",
    columns: [
      ["round", "Runda", null, "id"],
      ["scores", "Svar per påstående"],
    ],
  },
  feedback_comments: {
    group: "development",
    key: "feedback360Comments",
    title: "Fritextsvar i 360-återkopplingen",
    description: "Det du själv och andra har skrivit med egna ord, utan vem som skrev det.",
    columns: [
      ["round", "Runda", null, "id"],
      ["question", "Fråga"],
      ["fromSelf", "Från dig själv", (v) => (v ? "Ja" : "Nej")],
      ["text", "Text"],
    ],
  },
  feedback_shares: {
    group: "development",
    key: "feedback360Shares",
    title: "Delade 360-rapporter",
    description: "Vem du har delat din rapport med och när.",
    columns: [
      ["round", "Runda", null, "id"],
      ["sharedWith", "Delad med"],
      ["userId", "Användar-id", null, "id"],
      ["sharedAt", "Delad"],
      ["revokedAt", "Slutade delas"],
    ],
  },
  action_plans: {
    group: "development",
    key: "actionPlan",
    title: "Handlingsplan",
    description: "Din handlingsplan per omgång, och om din chef har en länk till den.",
    columns: [
      ["cohort", "Omgång"],
      ["updatedAt", "Senast ändrad"],
      ["sharedWithManager", "Delad med chefen", (v) => (v ? "Ja" : "Nej")],
    ],
  },
  action_plan_goals: {
    group: "development",
    key: "actionPlanGoals",
    title: "Mål i handlingsplanen",
    description: "Dina mål med aktiviteter, stöd från chefen, datum, läge och reflektioner.",
    columns: [
      ["title", "Mål"],
      ["linkedTo", "Hör till"],
      ["actions", "Aktiviteter"],
      ["managerSupport", "Stöd från chefen"],
      ["startsOn", "Start"],
      ["dueOn", "Klart"],
      ["status", "Läge", labelOf(goalStatusLabels)],
      ["reflection", "Reflektion"],
    ],
  },
  cohort_message_recipients: {
    group: "notices",
    key: "cohortMessages",
    title: "Meddelanden till omgången",
    description: "Meddelanden som programledaren eller samordnaren skickat till deltagaren som en av deltagarna i en omgång.",
    columns: [
      ["cohort", "Omgång"],
      ["subject", "Rubrik"],
      ["body", "Text"],
      ["sentAt", "Skickat"],
    ],
  },
  reminder_opt_outs: {
    group: "notices",
    key: "reminderOptOut",
    title: "Påminnelser avstängda",
    description: "Deltagaren har bett att inte få påminnelser före träffar. Ändringar och inställda träffar meddelas ändå.",
    columns: [["optedOutAt", "Avstängda sedan"]],
  },
  audit_log: {
    group: "logins",
    key: "auditLog",
    title: "Händelselogg",
    description:
      "Vad som har gjorts med uppgifterna och när (till exempel ändringar och registerutdrag) och deltagarens egna inloggningar. Loggen pekar ut dig med nummer, inte med namn eller andra uppgifter.",
    columns: [
      ["at", "Tidpunkt"],
      ["action", "Händelse", auditEventLabel],
      ["entity", "Gäller", (v) => (v == null ? null : (auditEntityLabels[v as string] ?? (v as string)))],
      ["entityId", "Id", null, "id"],
    ],
  },
  programme_retention: {
    group: "retention",
    key: "retention",
    title: "Gallring",
    description:
      "Hur länge uppgifterna sparas. Efter gallringsfristen anonymiseras deltagaren: namn, kontaktuppgifter, personnummer och fritext tas bort, medan uppgifterna till statistiken finns kvar utan koppling till personen.",
    single: true,
    columns: [
      [
        "programmes",
        "Gallringsfrist per program",
        (v) =>
          (v as { programmeName: string; months: number; lastEndedOn: string | null }[])
            .map((x) => `${x.programmeName}: ${retentionPeriod(x.months)} efter ${x.lastEndedOn ? formatDate(x.lastEndedOn) : "avslutat deltagande"}`)
            .join("; ") || "Inget program",
      ],
      ["anonymisableFrom", "Kan anonymiseras från", (v) => (v ? formatDate(v as string) : "När deltagandet har avslutats")],
    ],
  },
};

/** The extract as people read it: the page, the printout and the JSON file show the same. */
export function presentExtract(raw: RawRegisterExtract): RegisterExtract {
  const sections = (Object.entries(SECTIONS) as [ExtractedTable, SectionText][]).map(([table, text]): ExtractSection => ({
    key: text.key,
    group: text.group,
    title: text.title,
    description: text.description,
    columns: text.columns.map(([key, label, , format]) => (format ? { key, label, format } : { key, label })),
    rows: raw.tables[table].map((row) =>
      Object.fromEntries(text.columns.map(([key, , show]) => [key, show ? show(row[key], row) : ((row[key] ?? null) as ExtractValue)])),
    ),
    single: text.single ?? false,
  }));
  const groupOrder = Object.keys(EXTRACT_GROUPS);
  sections.sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group));
  return { participantId: raw.participantId, participantName: raw.participantName, municipalityName: raw.municipalityName, generatedAt: raw.generatedAt, sections };
}

export const EXTRACT_README =
  "Registerutdrag från Programportalen. Filen innehåller alla uppgifter som portalen lagrar om en deltagare, " +
  "ordnade i avsnitt. Varje avsnitt har en rubrik, en beskrivning och fältens namn på svenska under \"avsnitt\". " +
  "Datum är ÅÅÅÅ-MM-DD, tidpunkter är ISO 8601 i UTC (svensk tid är en eller två timmar senare), tid anges i minuter. " +
  "Lösenord lagras bara som en kontrollsumma och kalenderadresser bara som en kontrollsumma; de lämnas därför inte ut. " +
  "Personuppgiftsansvarig är kommunen som deltagaren tillhör. Frågor: kontakta kommunens samordnare eller dataskyddsombud.";

/** The JSON file: machine-readable, with a Swedish read-me and field names. */
export function extractAsJson(extract: RegisterExtract): string {
  const body: Record<string, unknown> = {
    readme: EXTRACT_README,
    generatedAt: extract.generatedAt,
    participantId: extract.participantId,
    municipality: extract.municipalityName,
    avsnitt: Object.fromEntries(
      extract.sections.map((s) => [
        s.key,
        { rubrik: s.title, beskrivning: s.description, falt: Object.fromEntries(s.columns.map((c) => [c.key, c.label])) },
      ]),
    ),
  };
  for (const s of extract.sections) body[s.key] = s.single ? (s.rows[0] ?? null) : s.rows;
  return JSON.stringify(body, null, 2);
}

export function extractFilename(extract: { participantId: number; generatedAt: string }): string {
  return `registerutdrag-deltagare-${extract.participantId}-${extract.generatedAt.slice(0, 10)}.json`;
}
