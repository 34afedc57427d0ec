/**
 * Anonymisation after the retention period. The participant's row stays, so
 * every count, sum and split in the statistics stays the same, but nothing
 * in the database can be tied to the person any more: name, e-mail, title,
 * department and free text are replaced, the personnummer is deleted, and
 * the trainee's login, grant, sessions, calendar feeds, notices and e-mails
 * are removed. Rows are found by the person's ids, never by searching text.
 * Irreversible, in one transaction, audited with ids only.
 */
import type { Transaction } from "kysely";
import { nowIso } from "~/db/connection.server";
import type { Database } from "~/db/schema";
import { removeMailCopies } from "~/mail/transport.server";
import { formatDate, stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";
import { loadOwnParticipant } from "./internal/participant-access.server";
import { INPUT_REFUSED, ok, refuse, type Checked, type Refusal, type Result } from "./result";
import { loginsOf, personnummerOf } from "./internal/participant-records.server";
import { retentionStatusOf, type RetentionStatus } from "./internal/retention-rule.server";

export const ANONYMISED_FIRST_NAME = "Anonymiserad";
export const ANONYMISED_LAST_NAME = "deltagare";
export const ANONYMISED_TEXT = "Anonymiserad";
export const anonymisedEmail = (participantId: number) => `anonymiserad-${participantId}@invalid`;
export const anonymisedUserEmail = (userId: number) => `anonymiserad-anvandare-${userId}@invalid`;

/**
 * What happens to every table when a participant is anonymised, and whether
 * the registerutdrag includes it. Keyed by the Database interface, so a new
 * table does not compile until someone decides; a test checks the live
 * database has no table missing here.
 */
export const PERSONAL_DATA_HANDLING: Record<keyof Database, string> = {
  municipalities: "Inga personuppgifter.",
  users: "Deltagarens eget konto: namn och e-post ersätts, lösenordet tas bort och kontot spärras (utdrag: ja).",
  role_grants: "Deltagarrollen tas bort (utdrag: ja).",
  login_sessions: "Alla inloggningar avslutas (utdrag: tider, aldrig nyckeln).",
  programmes: "Inga personuppgifter.",
  programme_partners: "Inga personuppgifter.",
  cohorts: "Inga personuppgifter.",
  cohort_seats: "Inga personuppgifter.",
  seat_transfers: "Inga personuppgifter (personal som flyttat platser anges med id).",
  sessions: "Inga personuppgifter om deltagare.",
  session_changes: "Inga personuppgifter om deltagare (ändringar av träffar).",
  participants:
    "Namn, e-post, förvaltning, befattning, närmaste chef och orsak till avslut ersätts eller tas bort; kommun, kön, födelseår, utbildningsnivå, lönegrupp och datum behålls för statistiken (utdrag: ja).",
  participant_identities: "Personnumret raderas (utdrag: ja).",
  enrolments: "Status och datum behålls; orsak till avbrott tas bort (utdrag: ja).",
  enrolment_events: "Status och datum behålls; orsaken tas bort (utdrag: ja).",
  audit_log: "Innehåller bara id-nummer och behålls (utdrag: ja).",
  programme_settings: "Inga personuppgifter.",
  unit_costs: "Inga personuppgifter.",
  attendance: "Status och minuter behålls (utdrag: ja).",
  attendance_corrections: "Ändringarna behålls; orsaken tas bort (utdrag: ja).",
  own_activities: "Slag, datum, minuter och status behålls; beskrivning och motivering tas bort (utdrag: ja).",
  time_reports:
    "Attesterad tid, timkostnad och värde behålls; fritexten i attesterade rader och chefens namn i attesten tas bort (utdrag: ja, med timkostnad, värde och attest).",
  time_report_events: "Händelserna behålls; orsaken tas bort (utdrag: ja).",
  calendar_feeds: "Deltagarens kalenderadresser raderas (utdrag: ja, utan adress).",
  notifications: "Notiser till deltagarens eget konto raderas; andras notiser rörs inte (utdrag: ja).",
  mail_outbox: "E-post till deltagarens eget konto och påminnelser till deltagaren raderas, liksom deras .eml-kopior; annan e-post rörs inte (utdrag: ja).",
  session_reminders: "Raderas (utdrag: ja).",
  outcomes: "Behålls för statistiken (utdrag: ja).",
  scb_reports: "Inga personuppgifter (bara antal och kontrollsumma).",
  programme_retention: "Inga personuppgifter.",
  portal_settings: "Inga personuppgifter.",
  rate_limits: "Bara räknare under en kontrollsumma av adress och e-post, borta inom ett dygn (utdrag: nej).",
};

export interface AnonymisationView {
  participant: { id: number; firstName: string; lastName: string; endedOn: string | null };
  status: RetentionStatus;
  /** Why the button is disabled, in Swedish; null when it is enabled. */
  explanation: string | null;
}

export function explainBlock(status: RetentionStatus): string | null {
  switch (status.block) {
    case null:
      return null;
    case "anonymised":
      return "Deltagaren är redan anonymiserad.";
    case "not_ended":
      return "Deltagaren är inte avslutad. Avsluta deltagandet först; sedan räknas gallringsfristen.";
    case "open_enrolments":
      return `Deltagaren har ${status.openEnrolments === 1 ? "en pågående anmälan" : `${status.openEnrolments} pågående anmälningar`} (anmäld, antagen, på väntelista eller aktiv). Anmälningarna måste vara avslutade eller avbrutna först.`;
    case "retention":
      return `Gallringsfristen har inte gått ut. Deltagaren kan anonymiseras från och med ${formatDate(status.anonymisableFrom!)}.`;
  }
}

/** The confirm page: who, the retention per programme, and whether it may be done today. */
export async function getAnonymisationView(ctx: Ctx, participantId: number, today: string = stockholmToday()): Promise<AnonymisationView> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  const status = await retentionStatusOf(ctx.db, p, today);
  return {
    participant: { id: p.id, firstName: p.first_name, lastName: p.last_name, endedOn: p.ended_on },
    status,
    explanation: explainBlock(status),
  };
}

/** What anonymising removed outside the database: copies of the person's e-mail written as .eml files. */
export interface AnonymisationResult {
  removedMail: { id: number; createdAt: string }[];
}

/**
 * Anonymises the participant once the confirmation passed its schema, or
 * refuses (400 with the reason) when they have
 * not left or the retention of a programme they took part in has not passed.
 *
 * Everything is found by identity, never by searching text: rows that carry
 * the participant's id, and the accounts that are theirs alone (an account
 * whose only grant is this participant's). Free text that could hold their
 * name (reasons, descriptions, their notices and e-mail) is emptied or the
 * row removed; nobody else's rows are touched, whatever they contain. After
 * the transaction, the .eml copies of the removed e-mail are deleted from
 * `mailOutboxDir` (see docs/email.md).
 */
export async function anonymiseParticipant(
  ctx: Ctx,
  participantId: number,
  confirmation: Checked<unknown>,
  options: { today?: string; mailOutboxDir?: string | null } = {},
): Promise<Result<AnonymisationResult>> {
  const today = options.today ?? stockholmToday();
  const loaded = await loadOwnParticipant(ctx, participantId, "participants:write");
  if (confirmation.status !== "success") return INPUT_REFUSED;
  const now = nowIso();
  const removedMail = await ctx.db.transaction().execute(async (trx): Promise<AnonymisationResult["removedMail"] | Refusal> => {
    // Read again inside the transaction: an enrolment may have been added since the page was shown.
    const p = await trx.selectFrom("participants").selectAll().where("id", "=", loaded.id).executeTakeFirstOrThrow();
    const status = await retentionStatusOf(trx, p, today);
    const refusal = explainBlock(status);
    if (refusal) return refuse(refusal);

    const personnummer = await personnummerOf(trx, p);
    const { grants, ownUserIds, sharedUserIds } = await loginsOf(trx, p);
    const enrolmentIds = trx.selectFrom("enrolments").select("id").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id);

    const counts = {
      identity: personnummer ? 1 : 0,
      grants: grants.length,
      users: 0,
      loginSessions: 0,
      calendarFeeds: 0,
      notifications: 0,
      emails: 0,
      sessionReminders: 0,
    };

    await trx
      .updateTable("participants")
      .set({
        first_name: ANONYMISED_FIRST_NAME,
        last_name: ANONYMISED_LAST_NAME,
        email: anonymisedEmail(p.id),
        department: "",
        title: "",
        manager_name: null,
        manager_email: null,
        end_reason: null,
        anonymised_at: now,
        updated_at: now,
      })
      .where("id", "=", p.id)
      .where("municipality_id", "=", p.municipality_id)
      .execute();
    await trx.deleteFrom("participant_identities").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();

    await trx.updateTable("enrolments").set({ drop_reason: null }).where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    await trx.updateTable("enrolment_events").set({ reason: null }).where("enrolment_id", "in", enrolmentIds).execute();
    await trx.updateTable("attendance_corrections").set({ reason: null }).where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id).execute();
    await trx
      .updateTable("own_activities")
      .set({ description: ANONYMISED_TEXT, reason: null })
      .where("participant_id", "=", p.id)
      .where("municipality_id", "=", p.municipality_id)
      .execute();
    await scrubCertifiedLines(trx, p);
    await trx
      .updateTable("time_report_events")
      .set({ reason: null })
      .where("time_report_id", "in", trx.selectFrom("time_reports").select("id").where("participant_id", "=", p.id).where("municipality_id", "=", p.municipality_id))
      .execute();

    // E-mail to the person: to their own accounts, and the reminders queued for them. Found before
    // the reminders (which point at some of it) are deleted.
    const reminderMail = trx.selectFrom("session_reminders").select("mail_id").where("participant_id", "=", p.id);
    const mails = await trx
      .selectFrom("mail_outbox")
      .select(["id", "created_at"])
      .where((eb) => eb.or([eb("id", "in", reminderMail), ...(ownUserIds.length ? [eb("recipient_user_id", "in", ownUserIds)] : [])]))
      .execute();
    counts.sessionReminders = del(await trx.deleteFrom("session_reminders").where("participant_id", "=", p.id).executeTakeFirst());
    if (mails.length) {
      const mailIds = mails.map((m) => m.id);
      await trx.deleteFrom("session_reminders").where("mail_id", "in", mailIds).execute();
      counts.emails = del(await trx.deleteFrom("mail_outbox").where("id", "in", mailIds).executeTakeFirst());
    }

    // The trainee's login. An account that also holds other grants (made before accounts were
    // one person's each) keeps its row and everything of the other roles: only what is this
    // participant's goes.
    await trx.deleteFrom("role_grants").where("role", "=", "participant").where("participant_id", "=", p.id).execute();
    if (sharedUserIds.length) {
      counts.calendarFeeds += del(
        await trx.deleteFrom("calendar_feeds").where("user_id", "in", sharedUserIds).where("scope", "=", "participant").executeTakeFirst(),
      );
      counts.notifications += del(
        await trx.deleteFrom("notifications").where("user_id", "in", sharedUserIds).where("enrolment_id", "in", enrolmentIds).executeTakeFirst(),
      );
    }
    for (const userId of ownUserIds) {
      counts.loginSessions += del(await trx.deleteFrom("login_sessions").where("user_id", "=", userId).executeTakeFirst());
      counts.calendarFeeds += del(await trx.deleteFrom("calendar_feeds").where("user_id", "=", userId).executeTakeFirst());
      counts.notifications += del(await trx.deleteFrom("notifications").where("user_id", "=", userId).executeTakeFirst());
      await trx
        .updateTable("users")
        .set({ email: anonymisedUserEmail(userId), name: ANONYMISED_TEXT, password_hash: null, disabled_at: now })
        .where("id", "=", userId)
        .execute();
      counts.users++;
    }

    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: p.municipality_id,
      action: "participant.anonymised",
      entity: "participant",
      entityId: p.id,
      detail: {
        fields: ["firstName", "lastName", "email", "department", "title", "endReason", "personnummer", "freeText"],
        userIds: [...ownUserIds, ...sharedUserIds],
        deleted: counts,
      },
    });
    return mails.map((m) => ({ id: m.id, createdAt: m.created_at }));
  });
  if (!Array.isArray(removedMail)) return removedMail;
  // File I/O after the commit, never inside the transaction.
  if (options.mailOutboxDir) await removeMailCopies(options.mailOutboxDir, removedMail);
  return ok({ removedMail });
}

function del(result: { numDeletedRows: bigint }): number {
  return Number(result.numDeletedRows);
}

/** Certified lines keep date, source, kind and minutes; an own activity's description and the certifying manager's name go. */
async function scrubCertifiedLines(trx: Transaction<Database>, p: { id: number; municipality_id: number }): Promise<void> {
  const reports = await trx
    .selectFrom("time_reports")
    .select(["id", "certified_lines"])
    .where("participant_id", "=", p.id)
    .where("municipality_id", "=", p.municipality_id)
    .where("certified_lines", "is not", null)
    .execute();
  const kinds = await trx.selectFrom("own_activities").select(["id", "kind"]).where("participant_id", "=", p.id).execute();
  const kindOf = new Map(kinds.map((k) => [k.id, k.kind]));
  for (const r of reports) {
    let lines: { source?: string; sourceId?: number; kind?: string | null; title?: string; activity?: string }[];
    try {
      lines = JSON.parse(r.certified_lines!);
    } catch {
      continue;
    }
    if (!Array.isArray(lines)) continue;
    // An own activity's line keeps its kind; the description (in `title`, or in the text of lines written before 2026-11-28) goes.
    const cleaned = lines.map((l) =>
      l.source === "own_activity" ? { ...l, activity: undefined, kind: l.kind ?? kindOf.get(l.sourceId ?? 0) ?? null, title: ANONYMISED_TEXT } : l,
    );
    await trx
      .updateTable("time_reports")
      .set({ certified_lines: JSON.stringify(cleaned), certified_manager_name: null })
      .where("id", "=", r.id)
      .execute();
  }
}
