/**
 * The personal-data registry's entries for messages and reminder settings
 * (issue 15): who got which cohort message, the opt-out from reminders and
 * the opt-out links. Part of PERSONAL_DATA_HANDLING (personal-data.server.ts).
 */
import type { Database } from "~/db/schema";
import type { NoPersonalData, PersonalTable } from "./personal-data.server";

export const MESSAGE_TABLES_WITHOUT_PERSONAL_DATA = {
  cohort_messages: {
    handling: "Meddelanden till en grupp deltagare: rubrik, text, avsändare (personal) och antal mottagare; vem som fick dem står i cohort_message_recipients.",
    personalData: false,
  },
} satisfies Partial<Record<keyof Database, NoPersonalData>>;

export const MESSAGE_TABLES = {
  cohort_message_recipients: {
    handling: "Raderas; meddelandet och antalet mottagare finns kvar (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db
        .selectFrom("cohort_message_recipients as r")
        .innerJoin("cohort_messages as m", "m.id", "r.message_id")
        .innerJoin("cohorts as c", "c.id", "m.cohort_id")
        .select(["c.name as cohort", "m.subject", "m.body", "m.created_at as sentAt"])
        .where("r.participant_id", "=", p.id)
        .orderBy("m.created_at")
        .execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("cohort_message_recipients").where("participant_id", "=", p.id).execute();
    },
  },
  reminder_opt_outs: {
    handling: "Raderas (utdrag: ja).",
    extract: (db, { participant: p }) =>
      db.selectFrom("reminder_opt_outs").select(["opted_out_at as optedOutAt"]).where("participant_id", "=", p.id).execute(),
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("reminder_opt_outs").where("participant_id", "=", p.id).execute();
    },
  },
  reminder_opt_out_links: {
    handling: "Bara kontrollsummor av länkarna i påminnelser; raderas (utdrag: nej, de säger inget om deltagaren).",
    extract: "not-extracted",
    anonymise: async (trx, { participant: p }) => {
      await trx.deleteFrom("reminder_opt_out_links").where("participant_id", "=", p.id).execute();
    },
  },
} satisfies Partial<Record<keyof Database, PersonalTable>>;
