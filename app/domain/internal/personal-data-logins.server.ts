/**
 * The personal-data registry's entries for the participant's logins and what
 * reached them: the account, its grant, login sessions, calendar feeds,
 * notices, e-mail, reminders and the audit trail. Part of
 * PERSONAL_DATA_HANDLING (personal-data.server.ts).
 *
 * Of an account that also holds another grant (older data), only the grant
 * is the person's; its sessions, feeds, notices, e-mail and audit trail
 * belong to the other role and stay out of the extract and untouched.
 */
import type { Database } from "~/db/schema";
import type { PersonalTable } from "./personal-data.server";

const ANONYMISED_USER_NAME = "Anonymiserad";
const anonymisedUserEmail = (userId: number) => `anonymiserad-anvandare-${userId}@invalid`;

const deleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

export const LOGIN_TABLES = {
  // Before mail_outbox: a reminder points at its e-mail.
  session_reminders: {
    handling: "Raderas (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("session_reminders as r")
        .innerJoin("sessions as s", "s.id", "r.session_id")
        .select(["s.id as sessionId", "s.title as session", "s.starts_at as sessionStartsAt", "r.queued_at as queuedAt"])
        .where("r.participant_id", "=", p.id)
        .orderBy("r.queued_at")
        .execute(),
    anonymise: async (trx, { participant: p }) => ({
      sessionReminders: deleted(await trx.deleteFrom("session_reminders").where("participant_id", "=", p.id).executeTakeFirst()),
    }),
  },
  mail_outbox: {
    handling: "E-post till deltagarens eget konto och påminnelser till deltagaren raderas, liksom deras .eml-kopior; annan e-post rörs inte (utdrag: ja).",
    extract: async (db, s) =>
      s.mailIds.length
        ? await db
            .selectFrom("mail_outbox")
            .select(["id", "kind", "to_address as toAddress", "subject", "body_text as body", "created_at as createdAt", "sent_at as sentAt"])
            .where("id", "in", s.mailIds)
            .orderBy("created_at")
            .execute()
        : [],
    anonymise: async (trx, s, c) => {
      if (!s.mailIds.length) return;
      const mails = await trx.selectFrom("mail_outbox").select(["id", "created_at"]).where("id", "in", s.mailIds).execute();
      c.removedMail.push(...mails.map((m) => ({ id: m.id, createdAt: m.created_at })));
      await trx.deleteFrom("session_reminders").where("mail_id", "in", s.mailIds).execute();
      return { emails: deleted(await trx.deleteFrom("mail_outbox").where("id", "in", s.mailIds).executeTakeFirst()) };
    },
  },
  role_grants: {
    handling: "Deltagarrollen tas bort (utdrag: ja).",
    extract: async (_db, s) => s.grants.map((g) => ({ id: g.id, role: g.role, createdAt: g.created_at })),
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("role_grants").where("role", "=", "participant").where("participant_id", "=", p.id).execute();
    },
  },
  calendar_feeds: {
    handling: "Deltagarens kalenderadresser raderas (utdrag: ja, utan adress).",
    extract: async (db, s) =>
      s.ownUserIds.length
        ? await db.selectFrom("calendar_feeds").select(["id", "scope", "created_at as createdAt"]).where("user_id", "in", s.ownUserIds).execute()
        : [],
    anonymise: async (trx, s) => {
      let calendarFeeds = 0;
      if (s.sharedUserIds.length) {
        calendarFeeds += deleted(
          await trx.deleteFrom("calendar_feeds").where("user_id", "in", s.sharedUserIds).where("scope", "=", "participant").executeTakeFirst(),
        );
      }
      if (s.ownUserIds.length) calendarFeeds += deleted(await trx.deleteFrom("calendar_feeds").where("user_id", "in", s.ownUserIds).executeTakeFirst());
      return { calendarFeeds };
    },
  },
  notifications: {
    handling: "Notiser till deltagarens eget konto raderas; andras notiser rörs inte (utdrag: ja).",
    extract: async (db, s) => {
      const shared = s.sharedUserIds.length > 0 && s.enrolmentIds.length > 0;
      if (!s.ownUserIds.length && !shared) return [];
      return db
        .selectFrom("notifications")
        .select(["id", "kind", "message", "created_at as createdAt", "seen_at as seenAt"])
        .where((eb) =>
          eb.or([
            ...(s.ownUserIds.length ? [eb("user_id", "in", s.ownUserIds)] : []),
            ...(shared ? [eb.and([eb("user_id", "in", s.sharedUserIds), eb("enrolment_id", "in", s.enrolmentIds)])] : []),
          ]),
        )
        .orderBy("created_at")
        .execute();
    },
    anonymise: async (trx, s) => {
      let notifications = 0;
      if (s.sharedUserIds.length && s.enrolmentIds.length) {
        notifications += deleted(
          await trx.deleteFrom("notifications").where("user_id", "in", s.sharedUserIds).where("enrolment_id", "in", s.enrolmentIds).executeTakeFirst(),
        );
      }
      if (s.ownUserIds.length) notifications += deleted(await trx.deleteFrom("notifications").where("user_id", "in", s.ownUserIds).executeTakeFirst());
      return { notifications };
    },
  },
  login_sessions: {
    handling: "Alla inloggningar avslutas (utdrag: tider, aldrig nyckeln).",
    extract: async (db, s) =>
      s.ownUserIds.length
        ? await db
            .selectFrom("login_sessions")
            .select(["created_at as createdAt", "last_seen_at as lastSeenAt", "expires_at as expiresAt"])
            .where("user_id", "in", s.ownUserIds)
            .orderBy("created_at")
            .execute()
        : [],
    anonymise: async (trx, s) =>
      s.ownUserIds.length ? { loginSessions: deleted(await trx.deleteFrom("login_sessions").where("user_id", "in", s.ownUserIds).executeTakeFirst()) } : undefined,
  },
  linked_identities: {
    handling: "Kopplingen till kommunens inloggning tas bort (utdrag: vilken inloggning, identitet hos den och tider).",
    extract: async (db, s) =>
      s.ownUserIds.length
        ? await db
            .selectFrom("linked_identities")
            .select(["issuer", "subject", "created_at as createdAt", "last_login_at as lastLoginAt"])
            .where("user_id", "in", s.ownUserIds)
            .orderBy("created_at")
            .execute()
        : [],
    anonymise: async (trx, s) =>
      s.ownUserIds.length ? { linkedIdentities: deleted(await trx.deleteFrom("linked_identities").where("user_id", "in", s.ownUserIds).executeTakeFirst()) } : undefined,
  },
  users: {
    handling: "Deltagarens eget konto: namn och e-post ersätts, lösenord, återställningslänk, tvåstegsnyckel och reservkoder tas bort och kontot spärras (utdrag: ja).",
    extract: async (db, s) => {
      if (!s.ownUserIds.length) return [];
      const users = await db.selectFrom("users").select(["id", "email", "name", "password_hash", "disabled_at", "created_at"]).where("id", "in", s.ownUserIds).execute();
      return users.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        password: u.password_hash !== null,
        disabledAt: u.disabled_at,
        createdAt: u.created_at,
      }));
    },
    anonymise: async (trx, s, { now }) => {
      for (const userId of s.ownUserIds) {
        await trx
          .updateTable("users")
          .set({
            email: anonymisedUserEmail(userId),
            name: ANONYMISED_USER_NAME,
            password_hash: null,
            password_reset_hash: null,
            password_reset_expires_at: null,
            totp_secret: null,
            totp_enabled_at: null,
            totp_last_step: null,
            recovery_code_hashes: null,
            disabled_at: now,
          })
          .where("id", "=", userId)
          .execute();
      }
      return { users: s.ownUserIds.length };
    },
  },
  audit_log: {
    handling: "Innehåller bara id-nummer och behålls (utdrag: ja).",
    extract: (db, s) =>
      db
        .selectFrom("audit_log")
        .select(["at", "action", "entity", "entity_id as entityId"])
        .where((eb) => {
          const aboutParticipant = eb.and([eb("entity", "=", "participant"), eb("entity_id", "=", String(s.participant.id))]);
          return s.ownUserIds.length ? eb.or([aboutParticipant, eb("actor_user_id", "in", s.ownUserIds)]) : aboutParticipant;
        })
        .orderBy("at")
        .orderBy("id")
        .execute(),
    anonymise: "kept",
  },
  rate_limits: {
    handling: "Bara räknare under en kontrollsumma av adress och e-post, borta inom ett dygn (utdrag: nej).",
    extract: "not-extracted",
    anonymise: "kept",
  },
} satisfies Partial<Record<keyof Database, PersonalTable>>;
