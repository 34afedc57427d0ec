import { sql, type Kysely } from "kysely";

/**
 * Retention (gallring): how many months after a participant's last enrolment
 * in a programme their data is kept, and the mark left on a participant who
 * has been anonymised. A programme without a row keeps the default for its
 * funding (see docs/decisions/005-retention.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("programme_retention")
    .addColumn("programme_id", "integer", (c) => c.primaryKey().references("programmes.id").onDelete("cascade"))
    .addColumn("months", "integer", (c) => c.notNull().check(sql`months BETWEEN 1 AND 600`))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("participants").addColumn("anonymised_at", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("participants").dropColumn("anonymised_at").execute();
  await db.schema.dropTable("programme_retention").execute();
}
