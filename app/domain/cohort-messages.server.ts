/**
 * Messages to a cohort (issue 15): the programme lead writes to everyone who
 * has a place in the cohort, a coordinator to their own municipality's
 * participants in it, to all of them or to the ones they pick. Each
 * participant gets an e-mail at their own address (login or not) and, with a
 * login, a notice on their start page; the cohort page keeps the history
 * (who sent what, when, to how many). All or nothing, audited, and a form
 * sent twice (its one-time key) sends once.
 */
import crypto from "node:crypto";
import type { Transaction } from "kysely";
import type { Database } from "~/db/schema";
import { dialectOf } from "~/db/dialect.server";
import type { CohortMessageInput } from "~/schemas/messages";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, type Ctx } from "./context.server";
import { participantRecipients, tellParticipants } from "./internal/notices.server";
import { INPUT_REFUSED, ok, refuse, type Checked, type Result } from "./result";

/** Who has a place in the cohort, and so hears from it. */
const RECIPIENT_STATUSES = ["accepted", "active"] as const;

interface MessagingScope {
  cohort: { id: number; name: string; programmeId: number; programmeName: string };
  /** null: the programme lead, the whole cohort; otherwise the coordinator's municipalities. */
  municipalityIds: number[] | null;
}

async function requireMessagingScope(ctx: Ctx, cohortId: number): Promise<MessagingScope> {
  const cohort = await ctx.db
    .selectFrom("cohorts as c")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["c.id", "c.name", "c.programme_id as programmeId", "p.name as programmeName"])
    .where("c.id", "=", cohortId)
    .executeTakeFirst();
  if (!cohort) return denied(ctx, "messages:send", { entity: "cohort", entityId: cohortId });
  if (can(ctx, "messages:send", { programmeId: cohort.programmeId })) return { cohort, municipalityIds: null };
  const seats = await ctx.db.selectFrom("cohort_seats").select("municipality_id").where("cohort_id", "=", cohortId).execute();
  const own = coordinatedMunicipalityIds(ctx).filter((m) => seats.some((s) => s.municipality_id === m));
  if (!own.length) return denied(ctx, "messages:send", { entity: "cohort", entityId: cohortId });
  return { cohort, municipalityIds: own };
}

function recipientQuery(ctx: Ctx | { db: Transaction<Database> }, scope: MessagingScope) {
  return ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .where("e.cohort_id", "=", scope.cohort.id)
    .where("e.status", "in", RECIPIENT_STATUSES)
    .where("p.anonymised_at", "is", null)
    .$if(scope.municipalityIds !== null, (q) => q.where("e.municipality_id", "in", scope.municipalityIds ?? []));
}

export interface MessageRecipient {
  participantId: number;
  firstName: string;
  lastName: string;
  municipality: string;
  hasLogin: boolean;
}

export interface SentMessage {
  id: number;
  subject: string;
  body: string;
  senderName: string;
  /** The coordinator's municipality; null when the programme lead wrote. */
  municipality: string | null;
  recipientCount: number;
  createdAt: string;
}

export interface CohortMessagesPage {
  cohort: MessagingScope["cohort"];
  /** True for the programme lead (the whole cohort), false for a coordinator (their own participants). */
  wholeCohort: boolean;
  recipients: MessageRecipient[];
  history: SentMessage[];
  /** A new one-time key for the form. */
  formKey: string;
}

/** The message form's data and the history the caller may see: the lead all of the cohort's, a coordinator their municipality's and the lead's. */
export async function cohortMessagesPage(ctx: Ctx, cohortId: number): Promise<CohortMessagesPage> {
  const scope = await requireMessagingScope(ctx, cohortId);
  const rows = await recipientQuery(ctx, scope)
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .select((eb) => [
      "p.id as participantId",
      "p.first_name as firstName",
      "p.last_name as lastName",
      "m.name as municipality",
      eb
        .exists(eb.selectFrom("role_grants as g").select("g.id").whereRef("g.participant_id", "=", "p.id").where("g.role", "=", "participant"))
        .as("hasLogin"),
    ])
    .orderBy("p.last_name")
    .orderBy("p.first_name")
    .orderBy("p.id")
    .execute();
  const history = await ctx.db
    .selectFrom("cohort_messages as cm")
    .innerJoin("users as u", "u.id", "cm.sender_user_id")
    .leftJoin("municipalities as m", "m.id", "cm.municipality_id")
    .select([
      "cm.id",
      "cm.subject",
      "cm.body",
      "u.name as senderName",
      "m.name as municipality",
      "cm.recipient_count as recipientCount",
      "cm.created_at as createdAt",
    ])
    .where("cm.cohort_id", "=", cohortId)
    .$if(scope.municipalityIds !== null, (q) =>
      q.where((eb) => eb.or([eb("cm.municipality_id", "is", null), eb("cm.municipality_id", "in", scope.municipalityIds ?? [])])),
    )
    .orderBy("cm.created_at", "desc")
    .orderBy("cm.id", "desc")
    .limit(100)
    .execute();
  return {
    cohort: scope.cohort,
    wholeCohort: scope.municipalityIds === null,
    recipients: rows.map((r) => ({ ...r, hasLogin: Boolean(r.hasLogin) })),
    history,
    formKey: crypto.randomBytes(18).toString("base64url"),
  };
}

const ALREADY_SENT_ELSEWHERE = "Formuläret är redan använt. Ladda om sidan och skriv igen.";

/**
 * Sends a message to the cohort's participants the caller may write to (all,
 * or the chosen ones, each of whom must be among them). Returns how many got
 * it; the same form sent again returns the first sending.
 */
export async function sendCohortMessage(
  ctx: Ctx,
  cohortId: number,
  submitted: Checked<CohortMessageInput>,
): Promise<Result<{ messageId: number; recipients: number; repeated: boolean }>> {
  const scope = await requireMessagingScope(ctx, cohortId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const earlier = async () => {
    const sent = await ctx.db
      .selectFrom("cohort_messages")
      .select(["id", "cohort_id", "sender_user_id", "recipient_count"])
      .where("idempotency_key", "=", input.key)
      .executeTakeFirst();
    if (!sent) return null;
    if (sent.cohort_id !== cohortId || sent.sender_user_id !== ctx.user.id) return refuse(ALREADY_SENT_ELSEWHERE, 409);
    return ok({ messageId: sent.id, recipients: sent.recipient_count, repeated: true });
  };
  const before = await earlier();
  if (before) return before;

  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const rows = await recipientQuery({ db: trx }, scope).select(["p.id", "e.municipality_id as municipalityId"]).execute();
      const municipalityOf = new Map(rows.map((r) => [r.id, r.municipalityId]));
      const eligible = rows.map((r) => r.id);
      let chosen = eligible;
      if (input.to === "selected") {
        const wanted = [...new Set(input.participantIds)];
        // A participant outside the caller's reach reads exactly like one that does not exist.
        if (wanted.some((id) => !eligible.includes(id))) return refuse("Välj deltagare ur listan.");
        chosen = wanted;
      }
      if (!chosen.length) return refuse("Det finns ingen deltagare att skicka till.");
      const now = new Date();
      const recipients = await participantRecipients(trx, chosen);
      const sender = await trx.selectFrom("users").select("name").where("id", "=", ctx.user.id).executeTakeFirstOrThrow();
      const message = await trx
        .insertInto("cohort_messages")
        .values({
          cohort_id: cohortId,
          sender_user_id: ctx.user.id,
          municipality_id: scope.municipalityIds === null ? null : scope.municipalityIds.length === 1 ? scope.municipalityIds[0] : null,
          subject: input.subject,
          body: input.body,
          recipient_count: recipients.length,
          idempotency_key: input.key,
          created_at: now.toISOString(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("cohort_message_recipients")
        .values(recipients.map((r) => ({ message_id: message.id, participant_id: r.participantId, municipality_id: municipalityOf.get(r.participantId)! })))
        .execute();
      await tellParticipants(
        trx,
        recipients,
        {
          kind: "cohort_message",
          cohortMessageId: message.id,
          message: input.body,
          subject: input.subject,
          mailText: `Meddelande från ${sender.name} till deltagarna i ${scope.cohort.programmeName}, ${scope.cohort.name}:\n\n${input.subject}\n\n${input.body}`,
          linkPath: "/",
        },
        now,
      );
      await writeAudit(trx, {
        actorUserId: ctx.user.id,
        municipalityId: scope.municipalityIds?.[0] ?? null,
        action: "cohort_message.sent",
        entity: "cohort",
        entityId: cohortId,
        detail: { messageId: message.id, recipients: recipients.length },
      });
      return ok({ messageId: message.id, recipients: recipients.length, repeated: false });
    });
  } catch (error) {
    // The same form sent twice at once: the second insert meets the first's key.
    if (!dialectOf(ctx.db).isUniqueViolation(error)) throw error;
    const after = await earlier();
    if (after) return after;
    throw error;
  }
}
