/**
 * Opening the database DATABASE_URL names, on the backend of this vitest
 * project (TEST_DB): the same code gets the same kinds of values from both.
 */
import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { blankDb, emptyDb, TEST_BACKEND } from "../../tests/support/db";
import { isPostgresUrl, migrateToLatest, openDatabase } from "./connection.server";
import { dialectOf } from "./dialect.server";

describe(`the database connection (${TEST_BACKEND})`, () => {
  it("opens PostgreSQL for postgres:// and postgresql:// addresses, SQLite for everything else", () => {
    expect(isPostgresUrl("postgres://portal:secret@db.kommun.se:5432/portal")).toBe(true);
    expect(isPostgresUrl("postgresql://db/portal?sslmode=require")).toBe(true);
    for (const url of ["file:db/data/portal.sqlite", ":memory:", "db/postgres.sqlite", "file:postgres://x"]) expect(isPostgresUrl(url), url).toBe(false);
  });

  it(`opens the ${TEST_BACKEND} database its URL names`, async () => {
    const { url } = await blankDb();
    const db = openDatabase(url);
    expect(dialectOf(db).name).toBe(TEST_BACKEND);
    await db.destroy();
  });

  it("reads counts, sums and averages as numbers, as SQLite gives them", async () => {
    const db = await emptyDb();
    await db.insertInto("audit_log").values([
      { at: "2026-11-26T10:00:00.000Z", action: "a", entity_id: "1" },
      { at: "2026-11-26T11:00:00.000Z", action: "b", entity_id: "2" },
    ]).execute();
    const row = await db
      .selectFrom("audit_log")
      .select((eb) => [
        eb.fn.countAll<number>().as("n"),
        eb.fn.sum<number>("id").as("sum"),
        eb.fn.max<number>("id").as("max"),
        sql<number>`avg(length(action))`.as("avg"),
        sql<number>`sum(cast(entity_id as integer))`.as("castSum"),
      ])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ n: 2, sum: expect.any(Number), max: expect.any(Number), avg: 1, castSum: 3 });
    expect(typeof (await db.selectFrom("audit_log").select("id").executeTakeFirstOrThrow()).id).toBe("number");
  });

  it.runIf(TEST_BACKEND === "postgres")("runs each PostgreSQL session in UTC with the pool's statement limit and a name the DBA can see", async () => {
    const { url } = await blankDb();
    const db = openDatabase(url, { max: 2, idleTimeoutMs: 1_000, connectionTimeoutMs: 5_000, statementTimeoutMs: 1_500 });
    const { rows } = await sql<{ zone: string; timeout: string; app: string }>`
      select current_setting('TimeZone') as zone, current_setting('statement_timeout') as timeout, current_setting('application_name') as app`.execute(db);
    expect(rows[0]).toEqual({ zone: "UTC", timeout: "1500ms", app: "programportalen" });
    await expect(sql`select pg_sleep(5)`.execute(db)).rejects.toThrow(/statement timeout/);
    await db.destroy();
  });

  it.runIf(TEST_BACKEND === "postgres")("survives the server closing its idle connections (a restart or failover) and reconnects", async () => {
    const { url } = await blankDb();
    const db = openDatabase(url);
    await migrateToLatest(db);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const admin = openDatabase(url);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(admin);
      await admin.destroy();
      await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining("an idle connection was closed")));
      expect(await db.selectFrom("municipalities").selectAll().execute()).toEqual([]);
    } finally {
      warn.mockRestore();
      await db.destroy();
    }
  });
});
