import { sql, type Kysely } from "kysely";
import { autoId, isPostgres } from "./portable";

/**
 * Session evaluations (utvärdering), anonymous by construction
 * (docs/decisions/020-anonymous-session-evaluations.md): who was asked and
 * whether they answered lives in evaluation_invitations; the answers live in
 * evaluation_responses with nothing that links them back: no person, no time,
 * and a random key in a table without rowid (SQLite), so neither order nor id says who.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("evaluation_settings")
    .addColumn("programme_id", "integer", (c) => c.primaryKey().references("programmes.id").onDelete("cascade"))
    .addColumn("min_answers", "integer", (c) => c.notNull().defaultTo(3).check(sql`min_answers >= 3 AND min_answers <= 50`))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("evaluation_statements")
    .addColumn("id", "integer", autoId(db))
    .addColumn("programme_id", "integer", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull().check(sql`length(text) BETWEEN 1 AND 300`))
    .execute();
  await db.schema.createIndex("evaluation_statements_programme_idx").on("evaluation_statements").columns(["programme_id", "position"]).execute();

  await db.schema
    .createTable("evaluation_invitations")
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    // The login the invitation and reminder went to; null once that login is gone (the answer flag stays).
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("invited_at", "text", (c) => c.notNull())
    .addColumn("reminded_at", "text")
    // Whether, never when: a time here could be matched with an answer.
    .addColumn("answered", "integer", (c) => c.notNull().defaultTo(0).check(sql`answered IN (0, 1)`))
    .addPrimaryKeyConstraint("evaluation_invitations_pk", ["session_id", "participant_id"])
    .addForeignKeyConstraint("evaluation_invitations_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"])
    .execute();
  await db.schema.createIndex("evaluation_invitations_user_idx").on("evaluation_invitations").columns(["user_id", "answered"]).execute();

  await db.schema
    .createTable("evaluation_responses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo("").check(sql`length(comment) <= 2000`))
    .$call((t) => (isPostgres(db) ? t : t.modifyEnd(sql`without rowid`)))
    .execute();
  await db.schema.createIndex("evaluation_responses_session_idx").on("evaluation_responses").column("session_id").execute();

  await db.schema
    .createTable("evaluation_scores")
    .addColumn("response_id", "text", (c) => c.notNull().references("evaluation_responses.id").onDelete("cascade"))
    .addColumn("statement_id", "integer", (c) => c.notNull().references("evaluation_statements.id"))
    .addColumn("score", "integer", (c) => c.notNull().check(sql`score BETWEEN 1 AND 5`))
    .addPrimaryKeyConstraint("evaluation_scores_pk", ["response_id", "statement_id"])
    .$call((t) => (isPostgres(db) ? t : t.modifyEnd(sql`without rowid`)))
    .execute();
  await db.schema.createIndex("evaluation_scores_statement_idx").on("evaluation_scores").column("statement_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["evaluation_scores", "evaluation_responses", "evaluation_invitations", "evaluation_statements", "evaluation_settings"]) {
    await db.schema.dropTable(table).execute();
  }
}
