/**
 * Moves an SQLite installation to PostgreSQL (`npm run db:copy`): every
 * table's rows with their ids, then each identity column continues after the
 * highest id, then each table is read back and compared (row count and a
 * checksum of its rows' SHA-256s). All in one PostgreSQL transaction: a
 * copy that fails or does not verify leaves the target without rows (its
 * schema migrated).
 *
 * The source is read in one transaction, so the copy is one point in time
 * even if the portal is still running; writes made after that point are not
 * in it, which is why the README says to stop the portal first.
 */
import crypto from "node:crypto";
import { sql, type Kysely } from "kysely";
import { migrations } from "../../db/migrations/index";
import { isPostgresUrl, migrateToLatest, openDatabase, type Db } from "./connection.server";
import { dialectOf } from "./dialect.server";

export interface CopiedTable {
  table: string;
  rows: number;
  sha256: string;
}

export class CopyRefused extends Error {}

const BATCH = 500;
/** Kysely's own bookkeeping: the target gets it from running the migrations. */
const MIGRATOR_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);

/** Tables whose rows a migration writes (the installation's one settings row): the source's replace them. */
const WRITTEN_BY_MIGRATIONS = new Set(["portal_settings"]);

// The copy reads and writes tables by name, whatever the Database type says.
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

export async function copyDatabase(fromUrl: string, toUrl: string, log: (line: string) => void = () => {}): Promise<CopiedTable[]> {
  if (!fromUrl.startsWith("file:")) throw new CopyRefused("--from must be an SQLite database, file:path/to/portal.sqlite");
  if (!isPostgresUrl(toUrl)) throw new CopyRefused("--to must be a PostgreSQL database, postgres://user:password@host:5432/portal");
  const source = openDatabase(fromUrl);
  const target = openDatabase(toUrl, { max: 2, idleTimeoutMs: 10_000, connectionTimeoutMs: 10_000, statementTimeoutMs: 0 });
  try {
    await requireCurrentSchema(source);
    await migrateToLatest(target);
    const tables = await tablesInCopyOrder(source);
    return await (source as unknown as AnyDb).transaction().execute(async (from) =>
      (target as unknown as AnyDb).transaction().execute(async (to) => {
        for (const table of tables) {
          if (WRITTEN_BY_MIGRATIONS.has(table)) {
            await to.deleteFrom(table).execute();
            continue;
          }
          const present = await to.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
          if (Number(present.n) > 0) throw new CopyRefused(`The target database is not empty (${table} has rows): copy only into a new database.`);
        }
        const copied: CopiedTable[] = [];
        for (const table of tables) {
          const key = await keyOf(from, table);
          let rows = 0;
          let sum = 0n;
          for await (const batch of batches(from, table, key)) {
            await to.insertInto(table).values(batch).execute();
            for (const row of batch) sum = (sum + rowHash(row)) % MODULUS;
            rows += batch.length;
          }
          await continueIdentity(to, table);
          const copy = await checksumOf(to, table, key);
          const sha256 = sum.toString(16).padStart(64, "0");
          if (copy.rows !== rows || copy.sha256 !== sha256) {
            throw new CopyRefused(`${table}: the copy differs from the source (${copy.rows} rows read back, ${rows} copied); nothing was kept.`);
          }
          log(`${table}: ${rows} rows, sha256 ${sha256.slice(0, 16)}…`);
          copied.push({ table, rows, sha256 });
        }
        return copied;
      }),
    );
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

/** Copying into a newer schema would need the migrations the source has not run: they run at the portal's start. */
async function requireCurrentSchema(source: Db): Promise<void> {
  const ran = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(source).catch(() => ({ rows: [] }));
  const expected = Object.keys(migrations).sort();
  const names = ran.rows.map((r) => r.name);
  if (names.join() !== expected.join()) {
    throw new CopyRefused("The source database is not at this version's schema: start this version of the portal on it once (it migrates at start), stop it, then copy.");
  }
}

/** Tables with those they point to first, so every foreign key finds its row. */
async function tablesInCopyOrder(source: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(source);
  const tables = rows.map((r) => r.name).filter((name) => !MIGRATOR_TABLES.has(name));
  const parents = new Map<string, string[]>();
  for (const table of tables) {
    const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${table})`.execute(source);
    parents.set(table, [...new Set(fks.rows.map((r) => r.table))].filter((p) => p !== table));
  }
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new Error(`Foreign keys form a cycle: ${[...path, table].join(" -> ")}`);
    for (const parent of parents.get(table) ?? []) visit(parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

interface Key {
  columns: string[];
  /** A one-column primary key: batches can start after the last one seen. */
  single: boolean;
}

/** The table's primary key (a table without one: all its columns). */
async function keyOf(from: AnyDb, table: string): Promise<Key> {
  const columns = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table}) order by pk, cid`.execute(from);
  const key = columns.rows.filter((c) => c.pk > 0).map((c) => c.name);
  return key.length ? { columns: key, single: key.length === 1 } : { columns: columns.rows.map((c) => c.name), single: false };
}

/** The table's rows in batches: after the last key seen when the key is one column (fast on big tables), else by offset. */
async function* batches(db: AnyDb, table: string, key: Key): AsyncGenerator<Record<string, unknown>[]> {
  let last: unknown = undefined;
  for (let offset = 0; ; offset += BATCH) {
    let query = db.selectFrom(table).selectAll().limit(BATCH);
    for (const column of key.columns) query = query.orderBy(column);
    if (!key.single) query = query.offset(offset);
    else if (last !== undefined) query = query.where(key.columns[0], ">", last);
    const batch = await query.execute();
    if (batch.length === 0) return;
    last = batch[batch.length - 1][key.columns[0]];
    yield batch;
  }
}
/** After rows were inserted with their ids, the next id PostgreSQL gives continues after the highest. */
async function continueIdentity(to: AnyDb, table: string): Promise<void> {
  if (dialectOf(to).name !== "postgres") return;
  const identity = await sql<{ column: string }>`select column_name as "column" from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and is_identity = 'YES'`.execute(to);
  for (const { column } of identity.rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(to);
  }
}

async function checksumOf(db: AnyDb, table: string, key: Key): Promise<{ rows: number; sha256: string }> {
  let rows = 0;
  let sum = 0n;
  for await (const batch of batches(db, table, key)) {
    for (const row of batch) sum = (sum + rowHash(row)) % MODULUS;
    rows += batch.length;
  }
  return { rows, sha256: sum.toString(16).padStart(64, "0") };
}

const MODULUS = 2n ** 256n;

/**
 * A row's SHA-256 as a number; a table's checksum is their sum modulo 2^256,
 * so it does not depend on the order the engines return rows in (their
 * collations may sort text keys differently), and a row copied twice or
 * lost changes it. Columns by name, numbers as numbers, so equal values
 * give equal text on both engines.
 */
function rowHash(row: Record<string, unknown>): bigint {
  const text = JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));
  return BigInt(`0x${crypto.createHash("sha256").update(text).digest("hex")}`);
}
