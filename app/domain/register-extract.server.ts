/**
 * Registerutdrag (GDPR art. 15): everything the portal stores about one
 * participant, as a readable page and as a JSON file. The owning
 * municipality's coordinator may take it out; so may the participant
 * themself. The same sections feed both forms, so they always agree.
 *
 * Nothing about other people goes in: rows are selected by the participant's
 * id or by their own login, and staff who handled the data appear only as
 * what they did, not by name. Secrets stay out (password hash, session ids,
 * calendar tokens). Every extract is audited with ids only.
 */
import type { AuditLogTable, Participant, Role } from "~/db/schema";
import {
  attendanceStatusLabels,
  educationLabels,
  enrolmentStatusLabels,
  genderLabels,
  ownActivityKindLabels,
  ownActivityStatusLabels,
  timeReportStatusLabels,
  certifiedAsLabels,
  reportLineActivity,
} from "~/ui/labels";
import { roleLabels } from "~/ui/roles";
import { outcomeCheckpointLabels, outcomeResultLabels } from "~/ui/statistics";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, denied, notFound, ownParticipantIds, requireGrant, type Ctx } from "./context.server";
import { loginsOf, personnummerOf } from "./internal/participant-records.server";
import { formatPersonnummer } from "./personnummer";
import { retentionStatusOf } from "./internal/retention-rule.server";

export type ExtractValue = string | number | null;

export interface ExtractSection {
  key: string;
  title: string;
  /** What the section is and why it is kept, in plain Swedish. */
  description: string;
  columns: { key: string; label: string }[];
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

export const EXTRACT_README =
  "Registerutdrag från Programportalen. Filen innehåller alla uppgifter som portalen lagrar om en deltagare, " +
  "ordnade i avsnitt. Varje avsnitt har en rubrik, en beskrivning och fältens namn på svenska under \"avsnitt\". " +
  "Datum är ÅÅÅÅ-MM-DD, tidpunkter är ISO 8601 i UTC (svensk tid är en eller två timmar senare), tid anges i minuter. " +
  "Lösenord lagras bara som en kontrollsumma och kalenderadresser bara som en kontrollsumma; de lämnas därför inte ut. " +
  "Personuppgiftsansvarig är kommunen som deltagaren tillhör. Frågor: kontakta kommunens samordnare eller dataskyddsombud.";

const reportEventLabels: Record<string, string> = {
  confirmed: "Bekräftad av deltagaren",
  certified: "Attesterad",
  reopened: "Öppnad för rättelse",
  returned_to_draft: "Återställd till utkast",
  flagged_for_review: "Markerad för granskning",
  reviewed: "Granskad",
};

const label = <K extends string>(labels: Record<K, string>, value: K | null): string | null => (value == null ? null : (labels[value] ?? value));

/** The coordinator's way in: another municipality's participant is a 404, audited. */
export async function getRegisterExtract(ctx: Ctx, participantId: number, format: "html" | "json"): Promise<RegisterExtract> {
  if (!coordinatedMunicipalityIds(ctx).length) return denied(ctx, "participants:read", { entity: "participant", entityId: participantId });
  const p = await ctx.db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirst();
  if (!p) throw notFound();
  await requireGrant(
    ctx,
    "participants:read",
    { municipalityId: p.municipality_id },
    { entity: "participant", entityId: participantId },
  );
  return buildAndAudit(ctx, p, format, "coordinator");
}

/** The participant's own extract (Mina uppgifter). */
export async function getOwnRegisterExtract(ctx: Ctx, format: "html" | "json"): Promise<RegisterExtract> {
  const [participantId] = ownParticipantIds(ctx);
  if (participantId === undefined) return denied(ctx, "self:read", { entity: "participant" });
  await requireGrant(ctx, "self:read", { participantId });
  const p = await ctx.db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirst();
  if (!p) throw notFound();
  return buildAndAudit(ctx, p, format, "self");
}

async function buildAndAudit(ctx: Ctx, p: Participant, format: "html" | "json", via: "coordinator" | "self"): Promise<RegisterExtract> {
  const extract = await buildExtract(ctx, p);
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: p.municipality_id,
    action: "participant.register_extract",
    entity: "participant",
    entityId: p.id,
    detail: { format, via },
  });
  return extract;
}

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

export function extractFilename(extract: RegisterExtract): string {
  return `registerutdrag-deltagare-${extract.participantId}-${extract.generatedAt.slice(0, 10)}.json`;
}

// ---------------------------------------------------------------- the sections

function section(
  key: string,
  title: string,
  description: string,
  columns: [string, string][],
  rows: Record<string, ExtractValue>[],
  single = false,
): ExtractSection {
  return { key, title, description, columns: columns.map(([k, l]) => ({ key: k, label: l })), rows, single };
}

async function buildExtract(ctx: Ctx, p: Participant): Promise<RegisterExtract> {
  const db = ctx.db;
  const municipality = await db.selectFrom("municipalities").select("name").where("id", "=", p.municipality_id).executeTakeFirstOrThrow();
  const personnummer = await personnummerOf(db, p);

  const enrolments = await db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as pr", "pr.id", "c.programme_id")
    .select([
      "e.id",
      "pr.name as programme",
      "c.name as cohort",
      "e.status",
      "e.nominated_at",
      "e.waitlist_position",
      "e.status_changed_at",
      "e.started_on",
      "e.ended_on",
      "e.drop_reason",
    ])
    .where("e.participant_id", "=", p.id)
    .where("e.municipality_id", "=", p.municipality_id)
    .orderBy("e.nominated_at")
    .execute();
  const enrolmentIds = enrolments.map((e) => e.id);
  const events = enrolmentIds.length
    ? await db.selectFrom("enrolment_events").selectAll().where("enrolment_id", "in", enrolmentIds).orderBy("recorded_at").orderBy("id").execute()
    : [];

  const attendance = await db
    .selectFrom("attendance as a")
    .innerJoin("sessions as s", "s.id", "a.session_id")
    .select(["a.id", "s.starts_at", "s.title", "a.status", "a.minutes", "a.recorded_at"])
    .where("a.participant_id", "=", p.id)
    .where("a.municipality_id", "=", p.municipality_id)
    .orderBy("s.starts_at")
    .execute();
  const corrections = await db
    .selectFrom("attendance_corrections")
    .selectAll()
    .where("participant_id", "=", p.id)
    .where("municipality_id", "=", p.municipality_id)
    .orderBy("changed_at")
    .execute();
  const activities = await db
    .selectFrom("own_activities as o")
    .innerJoin("programmes as pr", "pr.id", "o.programme_id")
    .select(["o.id", "pr.name as programme", "o.kind", "o.activity_on", "o.minutes", "o.description", "o.status", "o.created_at", "o.decided_at", "o.reason"])
    .where("o.participant_id", "=", p.id)
    .where("o.municipality_id", "=", p.municipality_id)
    .orderBy("o.activity_on")
    .execute();
  const reports = await db
    .selectFrom("time_reports as r")
    .innerJoin("programmes as pr", "pr.id", "r.programme_id")
    .select([
      "r.id",
      "pr.name as programme",
      "r.month",
      "r.status",
      "r.confirmed_at",
      "r.certified_at",
      "r.certified_minutes",
      "r.certified_salary_group",
      "r.certified_lines",
      "r.certified_hourly_cost_ore",
      "r.certified_value_ore",
      "r.certified_as",
      "r.certified_manager_name",
      "r.needs_review",
      "r.created_at",
      "r.updated_at",
    ])
    .where("r.participant_id", "=", p.id)
    .where("r.municipality_id", "=", p.municipality_id)
    .orderBy("r.month")
    .execute();
  const reportEvents = reports.length
    ? await db
        .selectFrom("time_report_events")
        .select(["id", "time_report_id", "kind", "at", "reason"])
        .where("time_report_id", "in", reports.map((r) => r.id))
        .orderBy("at")
        .orderBy("id")
        .execute()
    : [];
  const outcomes = await db
    .selectFrom("outcomes")
    .select(["id", "enrolment_id", "checkpoint", "result", "recorded_at"])
    .where("participant_id", "=", p.id)
    .where("municipality_id", "=", p.municipality_id)
    .orderBy("recorded_at")
    .execute();

  // The participant's own logins: the accounts holding their participant grant. Of an account that
  // also holds another grant (older data), only the grant is theirs; its sessions, feeds, notices,
  // e-mail and audit trail belong to the other role and stay out.
  const { grants, ownUserIds: userIds, sharedUserIds } = await loginsOf(db, p);
  const users = userIds.length
    ? await db.selectFrom("users").select(["id", "email", "name", "password_hash", "disabled_at", "created_at"]).where("id", "in", userIds).execute()
    : [];
  const sessions = userIds.length
    ? await db.selectFrom("login_sessions").select(["created_at", "last_seen_at", "expires_at"]).where("user_id", "in", userIds).orderBy("created_at").execute()
    : [];
  const feeds = userIds.length
    ? await db.selectFrom("calendar_feeds").select(["id", "scope", "created_at"]).where("user_id", "in", userIds).execute()
    : [];
  const notices =
    userIds.length || (sharedUserIds.length && enrolmentIds.length)
      ? await db
          .selectFrom("notifications")
          .select(["id", "kind", "message", "created_at", "seen_at"])
          .where((eb) =>
            eb.or([
              ...(userIds.length ? [eb("user_id", "in", userIds)] : []),
              ...(sharedUserIds.length && enrolmentIds.length ? [eb.and([eb("user_id", "in", sharedUserIds), eb("enrolment_id", "in", enrolmentIds)])] : []),
            ]),
          )
          .orderBy("created_at")
          .execute()
      : [];
  // E-mail by identity: to the person's own accounts, and the reminders queued for them.
  const mails = await db
    .selectFrom("mail_outbox")
    .select(["id", "kind", "to_address", "subject", "body_text", "created_at", "sent_at"])
    .where((eb) =>
      eb.or([
        eb("id", "in", eb.selectFrom("session_reminders").select("mail_id").where("participant_id", "=", p.id)),
        ...(userIds.length ? [eb("recipient_user_id", "in", userIds)] : []),
      ]),
    )
    .orderBy("created_at")
    .execute();
  const reminders = await db
    .selectFrom("session_reminders as r")
    .innerJoin("sessions as s", "s.id", "r.session_id")
    .select(["s.id as session_id", "s.title", "s.starts_at", "r.queued_at"])
    .where("r.participant_id", "=", p.id)
    .orderBy("r.queued_at")
    .execute();
  let auditQuery = db
    .selectFrom("audit_log")
    .select(["at", "action", "entity", "entity_id"])
    .where((eb) => {
      const aboutParticipant = eb.and([eb("entity", "=", "participant"), eb("entity_id", "=", String(p.id))]);
      return userIds.length ? eb.or([aboutParticipant, eb("actor_user_id", "in", userIds)]) : aboutParticipant;
    });
  auditQuery = auditQuery.orderBy("at").orderBy("id");
  const audit: Pick<AuditLogTable, "at" | "action" | "entity" | "entity_id">[] = await auditQuery.execute();
  const retention = await retentionStatusOf(db, p, stockholmToday());

  const programmeOfEnrolment = new Map(enrolments.map((e) => [e.id, `${e.programme}, ${e.cohort}`]));
  const sections: ExtractSection[] = [
    section(
      "participant",
      "Uppgifter om deltagaren",
      "Grunduppgifterna som kommunens samordnare har registrerat. Kön, födelseår och utbildningsnivå används bara till sammanställd statistik; lönegruppen till beräkning av medfinansiering.",
      [
        ["id", "Deltagar-id"],
        ["municipality", "Kommun"],
        ["firstName", "Förnamn"],
        ["lastName", "Efternamn"],
        ["email", "E-post"],
        ["department", "Förvaltning"],
        ["title", "Befattning"],
        ["gender", "Kön"],
        ["birthYear", "Födelseår"],
        ["educationLevel", "Utbildningsnivå"],
        ["salaryGroup", "Lönegrupp"],
        ["managerName", "Närmaste chef"],
        ["managerEmail", "Närmaste chefens e-post"],
        ["endedOn", "Avslutad"],
        ["endReason", "Orsak till avslut"],
        ["createdAt", "Registrerad"],
        ["updatedAt", "Senast ändrad"],
        ["anonymisedAt", "Anonymiserad"],
      ],
      [
        {
          id: p.id,
          municipality: municipality.name,
          firstName: p.first_name,
          lastName: p.last_name,
          email: p.email,
          department: p.department,
          title: p.title,
          gender: genderLabels[p.gender],
          birthYear: p.birth_year,
          educationLevel: label(educationLabels, p.education_level),
          salaryGroup: p.salary_group,
          managerName: p.manager_name,
          managerEmail: p.manager_email,
          endedOn: p.ended_on,
          endReason: p.end_reason,
          createdAt: p.created_at,
          updatedAt: p.updated_at,
          anonymisedAt: p.anonymised_at,
        },
      ],
      true,
    ),
    section(
      "identity",
      "Personnummer",
      "Personnumret lagras bara när ett ESF-projekt måste rapportera deltagare till SCB, skilt från övriga uppgifter.",
      [["personnummer", "Personnummer"]],
      personnummer ? [{ personnummer: formatPersonnummer(personnummer) }] : [],
      true,
    ),
    section(
      "enrolments",
      "Anmälningar till omgångar",
      "Vilka programomgångar deltagaren har anmälts till, status och datum. Start- och slutdatum behövs för redovisningen till finansiären.",
      [
        ["id", "Anmälan"],
        ["programme", "Program"],
        ["cohort", "Omgång"],
        ["status", "Status"],
        ["nominatedAt", "Anmäld"],
        ["waitlistPosition", "Plats i kön"],
        ["statusChangedAt", "Status ändrad"],
        ["startedOn", "Startade"],
        ["endedOn", "Slutade"],
        ["dropReason", "Orsak till avbrott"],
      ],
      enrolments.map((e) => ({
        id: e.id,
        programme: e.programme,
        cohort: e.cohort,
        status: enrolmentStatusLabels[e.status],
        nominatedAt: e.nominated_at,
        waitlistPosition: e.waitlist_position,
        statusChangedAt: e.status_changed_at,
        startedOn: e.started_on,
        endedOn: e.ended_on,
        dropReason: e.drop_reason,
      })),
    ),
    section(
      "enrolmentEvents",
      "Händelser i anmälningarna",
      "Varje statusändring i anmälningarna, med datum.",
      [
        ["id", "Händelse"],
        ["enrolment", "Program och omgång"],
        ["status", "Ny status"],
        ["occurredOn", "Datum"],
        ["recordedAt", "Registrerad"],
        ["reason", "Orsak"],
      ],
      events.map((e) => ({
        id: e.id,
        enrolment: programmeOfEnrolment.get(e.enrolment_id) ?? String(e.enrolment_id),
        status: enrolmentStatusLabels[e.status],
        occurredOn: e.occurred_on,
        recordedAt: e.recorded_at,
        reason: e.reason,
      })),
    ),
    section(
      "attendance",
      "Närvaro",
      "Närvaro och närvarotid per träff, för att intyga deltagandet och redovisa medfinansiering.",
      [
        ["id", "Post"],
        ["sessionStartsAt", "Träffen började"],
        ["session", "Träff"],
        ["status", "Närvaro"],
        ["minutes", "Minuter"],
        ["recordedAt", "Registrerad"],
      ],
      attendance.map((a) => ({
        id: a.id,
        sessionStartsAt: a.starts_at,
        session: a.title,
        status: attendanceStatusLabels[a.status],
        minutes: a.minutes,
        recordedAt: a.recorded_at,
      })),
    ),
    section(
      "attendanceCorrections",
      "Rättelser av närvaro",
      "Ändringar av redan registrerad närvaro, med spårbarhet.",
      [
        ["id", "Rättelse"],
        ["attendanceId", "Närvaropost"],
        ["fromStatus", "Från"],
        ["toStatus", "Till"],
        ["fromMinutes", "Från minuter"],
        ["toMinutes", "Till minuter"],
        ["reason", "Orsak"],
        ["changedAt", "Ändrad"],
      ],
      corrections.map((c) => ({
        id: c.id,
        attendanceId: c.attendance_id,
        fromStatus: attendanceStatusLabels[c.from_status],
        toStatus: attendanceStatusLabels[c.to_status],
        fromMinutes: c.from_minutes,
        toMinutes: c.to_minutes,
        reason: c.reason,
        changedAt: c.changed_at,
      })),
    ),
    section(
      "ownActivities",
      "Egna aktiviteter",
      "Skuggning, egen studietid och hemuppgifter som deltagaren har rapporterat.",
      [
        ["id", "Aktivitet"],
        ["programme", "Program"],
        ["kind", "Slag"],
        ["activityOn", "Datum"],
        ["minutes", "Minuter"],
        ["description", "Beskrivning"],
        ["status", "Status"],
        ["createdAt", "Rapporterad"],
        ["decidedAt", "Beslutad"],
        ["reason", "Motivering"],
      ],
      activities.map((o) => ({
        id: o.id,
        programme: o.programme,
        kind: ownActivityKindLabels[o.kind],
        activityOn: o.activity_on,
        minutes: o.minutes,
        description: o.description,
        status: ownActivityStatusLabels[o.status],
        createdAt: o.created_at,
        decidedAt: o.decided_at,
        reason: o.reason,
      })),
    ),
    section(
      "timeReports",
      "Tidredovisningar",
      "Månadens redovisade tid. Attesterad tid är underlag för medfinansieringen och sparas som den attesterades.",
      [
        ["id", "Tidrapport"],
        ["programme", "Program"],
        ["month", "Månad"],
        ["status", "Status"],
        ["confirmedAt", "Bekräftad"],
        ["certifiedAt", "Attesterad"],
        ["certifiedMinutes", "Attesterade minuter"],
        ["certifiedSalaryGroup", "Lönegrupp vid attest"],
        ["certifiedLines", "Attesterade rader"],
        ["certifiedCost", "Timkostnad vid attest (öre)"],
        ["certifiedValue", "Värde vid attest (öre)"],
        ["certifiedAs", "Attest"],
        ["certifiedManager", "Närmaste chef vid attest"],
        ["needsReview", "Behöver granskas"],
        ["createdAt", "Skapad"],
        ["updatedAt", "Senast ändrad"],
      ],
      reports.map((r) => ({
        id: r.id,
        programme: r.programme,
        month: r.month,
        status: timeReportStatusLabels[r.status],
        confirmedAt: r.confirmed_at,
        certifiedAt: r.certified_at,
        certifiedMinutes: r.certified_minutes,
        certifiedSalaryGroup: r.certified_salary_group,
        certifiedLines: linesText(r.certified_lines),
        certifiedCost: r.certified_hourly_cost_ore,
        certifiedValue: r.certified_value_ore,
        certifiedAs: r.certified_as ? certifiedAsLabels[r.certified_as] : null,
        certifiedManager: r.certified_manager_name,
        needsReview: r.needs_review ? "Ja" : "Nej",
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
    ),
    section(
      "timeReportEvents",
      "Händelser i tidredovisningarna",
      "Bekräftelser, attester och rättelser av tidrapporterna.",
      [
        ["id", "Händelse"],
        ["timeReportId", "Tidrapport"],
        ["kind", "Händelse"],
        ["at", "Tidpunkt"],
        ["reason", "Orsak"],
      ],
      reportEvents.map((e) => ({ id: e.id, timeReportId: e.time_report_id, kind: reportEventLabels[e.kind] ?? e.kind, at: e.at, reason: e.reason })),
    ),
    section(
      "outcomes",
      "Uppföljning",
      "Resultat efter avslutat deltagande (ESF:s resultatindikatorer), mätt efter 4 veckor och 6 månader.",
      [
        ["id", "Uppföljning"],
        ["enrolment", "Program och omgång"],
        ["checkpoint", "Tidpunkt"],
        ["result", "Resultat"],
        ["recordedAt", "Registrerad"],
      ],
      outcomes.map((o) => ({
        id: o.id,
        enrolment: programmeOfEnrolment.get(o.enrolment_id) ?? String(o.enrolment_id),
        checkpoint: outcomeCheckpointLabels[o.checkpoint],
        result: outcomeResultLabels[o.result],
        recordedAt: o.recorded_at,
      })),
    ),
    section(
      "logins",
      "Inloggning",
      "Användarkontot som deltagaren loggar in med. Lösenordet lagras bara som en kontrollsumma och lämnas inte ut.",
      [
        ["id", "Användar-id"],
        ["email", "E-post"],
        ["name", "Namn"],
        ["password", "Lösenord"],
        ["disabledAt", "Spärrad"],
        ["createdAt", "Skapad"],
      ],
      users.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        password: u.password_hash ? "Lagrat som kontrollsumma" : "Inget",
        disabledAt: u.disabled_at,
        createdAt: u.created_at,
      })),
    ),
    section(
      "roleGrants",
      "Behörigheter",
      "Rollen som ger deltagaren tillgång till sina egna uppgifter.",
      [
        ["id", "Behörighet"],
        ["role", "Roll"],
        ["createdAt", "Given"],
      ],
      grants.map((g) => ({ id: g.id, role: roleLabels[g.role as Role] ?? g.role, createdAt: g.created_at })),
    ),
    section(
      "loginSessions",
      "Pågående inloggningar",
      "Inloggningar som ännu inte har gått ut. Sessionens nyckel lämnas inte ut.",
      [
        ["createdAt", "Inloggad"],
        ["lastSeenAt", "Senast aktiv"],
        ["expiresAt", "Går ut"],
      ],
      sessions.map((s) => ({ createdAt: s.created_at, lastSeenAt: s.last_seen_at, expiresAt: s.expires_at })),
    ),
    section(
      "calendarFeeds",
      "Kalenderprenumerationer",
      "Personliga kalenderadresser för schemat. Adressen lagras bara som en kontrollsumma.",
      [
        ["id", "Prenumeration"],
        ["scope", "Gäller"],
        ["createdAt", "Skapad"],
      ],
      feeds.map((f) => ({ id: f.id, scope: f.scope === "participant" ? "Eget schema" : "Personalens schema", createdAt: f.created_at })),
    ),
    section(
      "notifications",
      "Notiser",
      "Meddelanden som visats på startsidan, till exempel om en träff flyttats.",
      [
        ["id", "Notis"],
        ["kind", "Slag"],
        ["message", "Meddelande"],
        ["createdAt", "Skapad"],
        ["seenAt", "Läst"],
      ],
      notices.map((n) => ({ id: n.id, kind: n.kind, message: n.message, createdAt: n.created_at, seenAt: n.seen_at })),
    ),
    section(
      "emails",
      "E-post",
      "E-postmeddelanden till deltagarens adress, skickade eller i kö.",
      [
        ["id", "Meddelande"],
        ["kind", "Slag"],
        ["toAddress", "Till"],
        ["subject", "Ämne"],
        ["body", "Text"],
        ["createdAt", "Skapat"],
        ["sentAt", "Skickat"],
      ],
      mails.map((m) => ({
        id: m.id,
        kind: m.kind,
        toAddress: m.to_address,
        subject: m.subject,
        body: m.body_text,
        createdAt: m.created_at,
        sentAt: m.sent_at,
      })),
    ),
    section(
      "sessionReminders",
      "Påminnelser om träffar",
      "Vilka träffar deltagaren har fått en påminnelse om, så att ingen skickas två gånger.",
      [
        ["sessionId", "Träff-id"],
        ["session", "Träff"],
        ["sessionStartsAt", "Träffen började"],
        ["queuedAt", "Påminnelse skapad"],
      ],
      reminders.map((r) => ({ sessionId: r.session_id, session: r.title, sessionStartsAt: r.starts_at, queuedAt: r.queued_at })),
    ),
    section(
      "auditLog",
      "Händelselogg",
      "Vad som har gjorts med uppgifterna och när (till exempel ändringar och registerutdrag) och deltagarens egna inloggningar. Loggen innehåller inga personuppgifter utöver id-nummer.",
      [
        ["at", "Tidpunkt"],
        ["action", "Händelse"],
        ["entity", "Gäller"],
        ["entityId", "Id"],
      ],
      audit.map((a) => ({ at: a.at, action: a.action, entity: a.entity, entityId: a.entity_id })),
    ),
    section(
      "retention",
      "Gallring",
      "Hur länge uppgifterna sparas. Efter gallringsfristen anonymiseras deltagaren: namn, kontaktuppgifter, personnummer och fritext tas bort, medan uppgifterna till statistiken finns kvar utan koppling till personen.",
      [
        ["programmes", "Gallringsfrist per program"],
        ["anonymisableFrom", "Kan anonymiseras från"],
      ],
      [
        {
          programmes:
            retention.programmes.map((x) => `${x.programmeName}: ${x.months} månader efter ${x.lastEndedOn ?? "avslutat deltagande"}`).join("; ") ||
            "Inget program",
          anonymisableFrom: retention.anonymisableFrom ?? "När deltagandet har avslutats",
        },
      ],
      true,
    ),
  ];

  return {
    participantId: p.id,
    participantName: `${p.first_name} ${p.last_name}`,
    municipalityName: municipality.name,
    generatedAt: new Date().toISOString(),
    sections,
  };
}

function linesText(json: string | null): string | null {
  if (!json) return null;
  try {
    const lines = JSON.parse(json) as { date?: string; source?: "session" | "own_activity"; kind?: string | null; title?: string; minutes?: number }[];
    return lines
      .map((l) => `${l.date ?? ""} ${reportLineActivity({ source: l.source ?? "session", kind: l.kind ?? null, title: l.title ?? "" })} (${l.minutes ?? 0} min)`)
      .join("; ");
  } catch {
    return json;
  }
}
