/**
 * Login provisioning: a coordinator gives a participant a login of their own
 * (role Deltagare) with a one-time password shown once.
 */
import crypto from "node:crypto";
import { sql } from "kysely";
import { hashPassword } from "~/auth/password.server";
import { nowIso, type Db } from "~/db/connection.server";
import type { Participant } from "~/db/schema";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";
import { loadOwnParticipant, refuseIfAnonymised } from "./internal/participant-access.server";
import { systemDb } from "./internal/system-handle.server";
import { ok, refuse, type Result } from "./result";

// No 0/O, 1/l/I: the password is read off a screen and typed in by hand.
const PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const ONE_TIME_PASSWORD_LENGTH = 16;

export function generateOneTimePassword(length = ONE_TIME_PASSWORD_LENGTH): string {
  let password = "";
  for (let i = 0; i < length; i++) password += PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)];
  return password;
}

/**
 * The one answer when a login cannot be made with the participant's address,
 * whatever the reason (an account has it, or a participant registered earlier
 * in another municipality has it): the coordinator learns neither which nor
 * whether an account exists.
 */
export const LOGIN_ADDRESS_UNAVAILABLE =
  "Inloggningen kan inte skapas med den här e-postadressen. Ett konto hör till en enda person: kontrollera att adressen är deltagarens egen arbetsadress, ändra den under Ändra uppgifter och försök igen.";

export interface CreatedLogin {
  email: string;
  oneTimePassword: string;
}

/**
 * Gives the participant a login (role Deltagare): always a new account of
 * their own, with a one-time password returned once for the coordinator to
 * pass on. An existing account is never given the grant, whoever holds it:
 * an account belongs to one person, and a grant must never join one person's
 * data (sessions, notices, e-mail, audit trail) to another's register.
 */
export async function giveLogin(ctx: Ctx, participantId: number): Promise<Result<CreatedLogin>> {
  const p = await loadOwnParticipant(ctx, participantId, "participants:write");
  const anonymised = refuseIfAnonymised(p);
  if (anonymised) return anonymised;
  if (p.ended_on) return refuse("Deltagaren är avslutad och kan inte få någon inloggning.");
  const existingGrant = await ctx.db
    .selectFrom("role_grants")
    .select("id")
    .where("role", "=", "participant")
    .where("participant_id", "=", p.id)
    .executeTakeFirst();
  if (existingGrant) return refuse("Deltagaren har redan en inloggning.");

  const email = p.email.toLowerCase();
  const unavailable = refuse(LOGIN_ADDRESS_UNAVAILABLE);
  // Crosses municipalities on purpose: an address another municipality's participant registered first is not
  // given out, so the check must see their register. The caller learns only "unavailable", with one answer
  // whatever the reason; the transaction writes only the login (users, role_grants, audit).
  const system = systemDb(ctx);
  if (await loginAddressInUse(system, p, email)) return unavailable;

  const oneTimePassword = generateOneTimePassword();
  // Hashing takes a while; inside the transaction it would hold the database lock.
  const passwordHash = await hashPassword(oneTimePassword);
  const userId = await system.transaction().execute(async (trx) => {
    if (await loginAddressInUse(trx, p, email)) return null;
    const user = await trx
      .insertInto("users")
      .values({ email, name: `${p.first_name} ${p.last_name}`, password_hash: passwordHash, disabled_at: null, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await insertGrant(trx, ctx, p, user.id);
    return user.id;
  });
  if (userId === null) return unavailable;
  return ok({ email, oneTimePassword });
}

/**
 * Whether the address is taken for a login: by any account, or by a
 * participant of another municipality registered before this one (who has
 * the better claim to it; the later one is most likely a typing mistake or
 * worse). Participants' own e-mail stays unique within a municipality only,
 * so a municipality's register never tells it who is in another's.
 */
async function loginAddressInUse(db: Db, p: Participant, email: string): Promise<boolean> {
  const account = await db.selectFrom("users").select("id").where(sql<string>`lower(email)`, "=", email).executeTakeFirst();
  if (account) return true;
  const earlier = await db
    .selectFrom("participants")
    .select("id")
    .where(sql<string>`lower(email)`, "=", email)
    .where("municipality_id", "!=", p.municipality_id)
    .where("id", "<", p.id)
    .where("anonymised_at", "is", null)
    .executeTakeFirst();
  return earlier !== undefined;
}

async function insertGrant(db: Db, ctx: Ctx, p: Participant, userId: number) {
  await db
    .insertInto("role_grants")
    .values({
      user_id: userId,
      role: "participant",
      municipality_id: p.municipality_id,
      programme_id: null,
      participant_id: p.id,
      created_at: nowIso(),
      created_by: ctx.user.id,
    })
    .execute();
  await writeAudit(db, {
    actorUserId: ctx.user.id,
    municipalityId: p.municipality_id,
    action: "participant.login_created",
    entity: "participant",
    entityId: p.id,
    detail: { userId, role: "participant" },
  });
}
