/**
 * The dialect helpers give the same answers on SQLite and PostgreSQL: this
 * file runs in both vitest projects (TEST_DB), and every expectation is the
 * same for both, except where a test says why.
 */
import fc from "fast-check";
import { sql, type Expression, type RawBuilder } from "kysely";
import pg from "pg";
import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { addDaysToDate, addMonthsToDate, utcIsoToStockholm } from "~/utils/time";
import { blankDb, emptyDb, TEST_BACKEND } from "../../tests/support/db";
import { migrateToLatest, openDatabase, type Db } from "./connection.server";
import { dialectOf, postgresDialect, sqliteDialect } from "./dialect.server";

const dialect = TEST_BACKEND === "postgres" ? postgresDialect : sqliteDialect;

async function value<T>(db: Db, expression: RawBuilder<T> | Expression<T>): Promise<T> {
  const { rows } = await sql<{ v: T }>`select ${expression} as v`.execute(db);
  return rows[0].v;
}

const text = (s: string) => sql<string>`cast(${s} as text)`;

const calendarDate = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe(`the ${TEST_BACKEND} dialect`, () => {
  it("is the one dialectOf finds, for a database and for a transaction in it", async () => {
    const db = await emptyDb();
    expect(dialectOf(db)).toBe(dialect);
    await db.transaction().execute(async (trx) => expect(dialectOf(trx)).toBe(dialect));
  });

  it("adds months as addMonthsToDate does: 31 August + 6 months is the last day of February", async () => {
    const db = await emptyDb();
    const cases: [string, number, string][] = [
      ["2026-08-31", 6, "2027-02-28"],
      ["2026-11-26", 6, "2027-05-26"],
      ["2026-01-31", 1, "2026-02-28"],
      ["2024-01-31", 1, "2024-02-29"],
      ["2026-03-31", -1, "2026-02-28"],
      ["2026-12-15", 1, "2027-01-15"],
      ["2026-05-10", 0, "2026-05-10"],
    ];
    for (const [date, months, expected] of cases) expect(await value(db, dialect.addMonths(text(date), months)), `${date} + ${months}`).toBe(expected);
    await fc.assert(
      fc.asyncProperty(calendarDate, fc.integer({ min: -24, max: 24 }), async (date, months) => {
        expect(await value(db, dialect.addMonths(text(date), months))).toBe(addMonthsToDate(date, months));
      }),
      { numRuns: 150 },
    );
  });

  it("adds and subtracts days across months, years and leap days", async () => {
    const db = await emptyDb();
    expect(await value(db, dialect.addDays(text("2026-12-20"), 28))).toBe("2027-01-17");
    expect(await value(db, dialect.addDays(text("2028-03-01"), -1))).toBe("2028-02-29");
    await fc.assert(
      fc.asyncProperty(calendarDate, fc.integer({ min: -400, max: 400 }), async (date, days) => {
        expect(await value(db, dialect.addDays(text(date), days))).toBe(addDaysToDate(date, days));
      }),
      { numRuns: 150 },
    );
  });

  it("works on columns too: each enrolment's follow-up date, in one query", async () => {
    const db = await emptyDb();
    await db.insertInto("audit_log").values([
      { at: "2026-08-31T10:00:00.000Z", action: "a", detail: "2026-08-31" },
      { at: "2026-10-31T23:30:00.000Z", action: "b", detail: "2026-02-28" },
    ]).execute();
    const rows = await db
      .selectFrom("audit_log")
      .select((eb) => [
        "action",
        dialect.addMonths(eb.ref("detail") as Expression<string>, 6).as("months"),
        dialect.addDays(eb.ref("detail") as Expression<string>, 28).as("days"),
        dialect.stockholmMonth(eb.ref("at")).as("month"),
      ])
      .orderBy("action")
      .execute();
    expect(rows).toEqual([
      { action: "a", months: "2027-02-28", days: "2026-09-28", month: "2026-08" },
      { action: "b", months: "2026-08-28", days: "2026-03-28", month: "2026-11" },
    ]);
  });

  it("finds text regardless of case, also å, ä and ö, and takes % and _ literally", async () => {
    const db = await emptyDb();
    const contains = (haystack: string, needle: string) => value(db, sql<boolean>`case when ${dialect.containsIgnoringCase(text(haystack), needle)} then 1 else 0 end`);
    const found: [string, string][] = [
      ["Åsa Öberg", "åsa"],
      ["Åsa Öberg", "ÅSA"],
      ["Åsa Öberg", "öberg"],
      ["Åsa Öberg", "sa öb"],
      ["ÄNGELHOLM", "ängel"],
      ["Anna Andersson", "ANNA A"],
      ["Kärlek", "KÄR"],
      ["anna.andersson@aneby.se", "ANDERSSON@"],
      ["100 % närvaro", "0 %"],
      ["per_ola", "r_o"],
      ["back\\slash", "k\\s"],
    ];
    const notFound: [string, string][] = [
      ["Åsa Öberg", "asa"],
      ["Anna", "anna b"],
      ["100 procent", "0 %"],
      ["perXola", "r_o"],
      ["back\\slash", "k\\\\s"],
    ];
    for (const [haystack, needle] of found) expect(await contains(haystack, needle), `${needle} in ${haystack}`).toBe(1);
    for (const [haystack, needle] of notFound) expect(await contains(haystack, needle), `${needle} not in ${haystack}`).toBe(0);
  });

  it("buckets a UTC timestamp into its Stockholm month, also in the hours around midnight at a month's turn", async () => {
    const db = await emptyDb();
    const cases: [string, string][] = [
      ["2026-10-31T22:59:59.999Z", "2026-10"], // 23:59 winter time (CET)
      ["2026-10-31T23:00:00.000Z", "2026-11"],
      ["2026-09-30T21:59:59.000Z", "2026-09"], // 23:59 summer time (CEST)
      ["2026-09-30T22:00:00.000Z", "2026-10"],
      ["2026-03-31T22:00:00.000Z", "2026-04"], // summer time has begun on the last Sunday of March
      ["2026-03-31T21:30:00.000Z", "2026-03"],
      ["2026-12-31T23:00:00.000Z", "2027-01"],
      ["2026-12-31T22:59:00.000Z", "2026-12"],
      ["2026-06-15T12:00:00Z", "2026-06"],
    ];
    for (const [iso, month] of cases) expect(await value(db, dialect.stockholmMonth(text(iso))), iso).toBe(month);
    // Instants within three hours of a Stockholm month's first midnight, from 1996 (today's EU rules) to 2099.
    const nearTurn = fc
      .record({ year: fc.integer({ min: 1996, max: 2099 }), month: fc.integer({ min: 0, max: 11 }), minutes: fc.integer({ min: -180, max: 180 }) })
      .map(({ year, month, minutes }) => new Date(Date.UTC(year, month, 1) - 2 * 3_600_000 + minutes * 60_000).toISOString());
    await fc.assert(
      fc.asyncProperty(nearTurn, async (iso) => {
        expect(await value(db, dialect.stockholmMonth(text(iso)))).toBe(utcIsoToStockholm(iso).date.slice(0, 7));
      }),
      { numRuns: 300 },
    );
  });

  it("tells a broken unique index or primary key from other refusals", async () => {
    const db = await emptyDb();
    const municipality = { name: "Aneby", slug: "aneby", county: "Jönköpings län", created_at: "2026-01-01" };
    const { id } = await db.insertInto("municipalities").values(municipality).returning("id").executeTakeFirstOrThrow();
    const refusal = (work: Promise<unknown>) => work.then(() => expect.fail("the database accepted it"), (error: unknown) => error);
    expect(dialect.isUniqueViolation(await refusal(db.insertInto("municipalities").values({ ...municipality, name: "Aneby 2" }).execute()))).toBe(true);
    expect(dialect.isUniqueViolation(await refusal(db.insertInto("municipalities").values({ ...municipality, id, name: "X", slug: "x" }).execute()))).toBe(true);
    const notNull = await refusal(db.insertInto("municipalities").values({ ...municipality, name: "Eksjö", slug: "eksjo", county: null as unknown as string }).execute());
    expect(dialect.isUniqueViolation(notNull)).toBe(false);
    expect(dialect.isRetryableConflict(notNull)).toBe(false);
    expect(dialect.isUniqueViolation(new Error("unique"))).toBe(false);
    expect(dialect.isUniqueViolation(null)).toBe(false);
  });

  it("tells a conflict with another writer, which may simply be run again", async () => {
    const { db, url } = await blankDb();
    await migrateToLatest(db);
    await db.insertInto("municipalities").values({ name: "Aneby", slug: "aneby", county: "Jönköpings län", created_at: "2026-01-01" }).execute();
    let conflict: unknown;
    if (TEST_BACKEND === "postgres") {
      // Two transactions that read the same row and both change it: the second must give way.
      const first = new pg.Client({ connectionString: url });
      const second = new pg.Client({ connectionString: url });
      await Promise.all([first.connect(), second.connect()]);
      await first.query("begin isolation level repeatable read");
      await first.query("select name from municipalities");
      await second.query("update municipalities set name = 'Aneby kommun'");
      conflict = await first.query("update municipalities set county = 'Jönköping'").catch((error: unknown) => error);
      await first.query("rollback");
      await Promise.all([first.end(), second.end()]);
    } else {
      // A second connection that will not wait, while the first holds the write lock.
      const file = url.slice("file:".length);
      const first = new SQLite(file);
      const second = new SQLite(file, { timeout: 0 });
      first.exec("begin immediate");
      try {
        second.exec("begin immediate");
      } catch (error) {
        conflict = error;
      }
      first.exec("rollback");
      first.close();
      second.close();
    }
    expect(conflict).toBeInstanceOf(Error);
    expect(dialect.isRetryableConflict(conflict)).toBe(true);
    expect(dialect.isUniqueViolation(conflict)).toBe(false);
    await db.destroy();
  });

  it("changes its change counter when another connection commits, and when this one writes", async () => {
    const { db, url } = await blankDb();
    await migrateToLatest(db);
    const other = openDatabase(url);
    const before = await dialect.changeCounter(db);
    await other.insertInto("municipalities").values({ name: "Aneby", slug: "aneby", county: "Jönköpings län", created_at: "2026-01-01" }).execute();
    const afterOther = await dialect.changeCounter(db);
    expect(afterOther).not.toBe(before);
    await db.updateTable("municipalities").set({ county: "Jönköping" }).execute();
    expect(await dialect.changeCounter(db)).not.toBe(afterOther);
    // A transaction still running has not changed what anyone can read: the counter changes again when it commits.
    await other.transaction().execute(async (trx) => {
      await trx.updateTable("municipalities").set({ county: "Jönköpings län" }).execute();
      const during = await dialect.changeCounter(db);
      await trx.selectFrom("municipalities").select("id").execute();
      return during;
    }).then(async (during) => expect(await dialect.changeCounter(db)).not.toBe(during));
    await other.destroy();
    await db.destroy();
  });

  it.runIf(TEST_BACKEND === "sqlite")("keeps its change counter while nothing is written (PostgreSQL's also moves with other databases on the server)", async () => {
    const db = await emptyDb();
    const before = await dialect.changeCounter(db);
    await db.selectFrom("municipalities").selectAll().execute();
    await db.transaction().execute((trx) => trx.selectFrom("users").selectAll().execute());
    expect(await dialect.changeCounter(db)).toBe(before);
  });
});
