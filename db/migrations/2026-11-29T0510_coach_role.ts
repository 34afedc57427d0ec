import { sql, type Kysely } from "kysely";
import { autoId, isPostgres } from "./portable";

/**
 * The coach role (issue 16, docs/decisions/036-coach-role-and-published-effect-figures.md):
 * a grant per programme, like a programme lead's or a funder's, whose only use
 * is reading the 360 reports participants share with them. The scope CHECK of
 * role_grants names every role, so it learns one more.
 *
 * SQLite cannot change a CHECK in place: the table is made anew under the same
 * name with the same columns, keys and indexes, and its rows copied over
 * (nothing references role_grants, so dropping the old one is safe with
 * foreign keys on). PostgreSQL swaps the constraint.
 */
const SCOPE_BEFORE = sql`(role = 'admin' AND municipality_id IS NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role = 'coordinator' AND municipality_id IS NOT NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role IN ('programme_lead', 'funder') AND programme_id IS NOT NULL AND municipality_id IS NULL AND participant_id IS NULL)
       OR (role = 'participant' AND municipality_id IS NOT NULL AND participant_id IS NOT NULL AND programme_id IS NULL)`;
const SCOPE_WITH_COACH = sql`(role = 'admin' AND municipality_id IS NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role = 'coordinator' AND municipality_id IS NOT NULL AND programme_id IS NULL AND participant_id IS NULL)
       OR (role IN ('programme_lead', 'funder', 'coach') AND programme_id IS NOT NULL AND municipality_id IS NULL AND participant_id IS NULL)
       OR (role = 'participant' AND municipality_id IS NOT NULL AND participant_id IS NOT NULL AND programme_id IS NULL)`;

async function withScope(db: Kysely<unknown>, scope: typeof SCOPE_BEFORE): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table role_grants drop constraint role_grants_scope_check`.execute(db);
    await sql`alter table role_grants add constraint role_grants_scope_check check (${scope})`.execute(db);
    return;
  }
  await db.schema
    .createTable("role_grants_new")
    .addColumn("id", "integer", autoId(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.references("municipalities.id"))
    .addColumn("programme_id", "integer", (c) => c.references("programmes.id").onDelete("cascade"))
    .addColumn("participant_id", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addForeignKeyConstraint("role_grants_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"], (fk) => fk.onDelete("cascade"))
    .addCheckConstraint("role_grants_scope_check", scope)
    .execute();
  await sql`insert into role_grants_new (id, user_id, role, municipality_id, programme_id, participant_id, created_at, created_by)
    select id, user_id, role, municipality_id, programme_id, participant_id, created_at, created_by from role_grants`.execute(db);
  await db.schema.dropTable("role_grants").execute();
  await db.schema.alterTable("role_grants_new").renameTo("role_grants").execute();
  await db.schema.createIndex("role_grants_user_idx").on("role_grants").column("user_id").execute();
  await db.schema.createIndex("role_grants_participant_idx").on("role_grants").columns(["participant_id"]).execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await withScope(db, SCOPE_WITH_COACH);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from role_grants where role = 'coach'`.execute(db);
  await withScope(db, SCOPE_BEFORE);
}
