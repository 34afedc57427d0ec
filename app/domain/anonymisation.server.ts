/**
 * Anonymisation after the retention period. The participant's row stays, so
 * every count, sum and split in the statistics stays the same, but nothing
 * in the database can be tied to the person any more: name, e-mail, title,
 * department and free text are replaced, the personnummer is deleted, and
 * the trainee's login, grant, sessions, calendar feeds, notices and e-mails
 * are removed. Rows are found by the person's ids, never by searching text.
 * Irreversible, in one transaction, audited with ids only.
 */
import { nowIso } from "~/db/connection.server";
import { removeMailCopies } from "~/mail/transport.server";
import { formatDate, stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";
import { loadOwnParticipant } from "./internal/participant-access.server";
import { anonymisePersonalData, loadSubject } from "./internal/personal-data.server";
import { retentionStatusOf, type RetentionStatus } from "./internal/retention-rule.server";
import { INPUT_REFUSED, ok, refuse, type Checked, type Refusal, type Result } from "./result";

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

    const subject = await loadSubject(trx, p);
    const { counts, removedMail } = await anonymisePersonalData(trx, subject, now);

    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: p.municipality_id,
      action: "participant.anonymised",
      entity: "participant",
      entityId: p.id,
      detail: {
        fields: ["firstName", "lastName", "email", "department", "title", "endReason", "personnummer", "freeText"],
        userIds: [...subject.ownUserIds, ...subject.sharedUserIds],
        deleted: counts,
      },
    });
    return removedMail;
  });
  if (!Array.isArray(removedMail)) return removedMail;
  // File I/O after the commit, never inside the transaction.
  if (options.mailOutboxDir) await removeMailCopies(options.mailOutboxDir, removedMail);
  return ok({ removedMail });
}
