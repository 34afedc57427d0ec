import { sql, type Kysely } from "kysely";
import { autoId } from "./portable";

/**
 * A session's material: links and uploaded files. A file's bytes live outside
 * the database, in MATERIAL_DIR under `file_key` (a random id, never the name
 * the uploader gave); the row keeps the cleaned-up name for downloads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("session_materials")
    .addColumn("id", "integer", autoId(db))
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("file_key", "text", (c) => c.unique())
    .addColumn("file_name", "text")
    .addColumn("content_type", "text")
    .addColumn("size_bytes", "integer")
    .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint(
      "session_materials_kind_check",
      sql`(kind = 'link' AND url IS NOT NULL AND file_key IS NULL)
       OR (kind = 'file' AND url IS NULL AND file_key IS NOT NULL AND file_name IS NOT NULL AND content_type IS NOT NULL AND size_bytes IS NOT NULL)`,
    )
    .execute();
  await db.schema.createIndex("session_materials_session_idx").on("session_materials").columns(["session_id", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("session_materials").execute();
}
