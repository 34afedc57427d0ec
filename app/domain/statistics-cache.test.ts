/**
 * The statistics cache: the same report while nothing changes, a fresh count
 * once a write is older than the staleness bound, and refusals never cached.
 */
import { describe, expect, it } from "vitest";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { demoDb, DEMO_TODAY, TEST_BACKEND } from "../../tests/support/db";
import { getStatisticsCached } from "../../tests/support/statistics";
import { MAX_STALE_MS } from "./statistics-cache.server";

async function setup() {
  const { db } = await demoDb();
  const user = async (email: string) => ctxFor(db, (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id);
  const funder = await user("finansiar@programportalen.test");
  const programmeId = funder.grants[0].programmeId!;
  const total = (report: Awaited<ReturnType<typeof getStatisticsCached>>) => report.figures.find((f) => f.key === "total")!.value;
  return { db, user, funder, programmeId, total };
}

describe("getStatisticsCached", () => {
  it("answers from the cache while nothing is written, and counts again after a write once the bound has passed", async () => {
    const { db, funder, programmeId, total } = await setup();
    const t0 = Date.now();
    const first = await getStatisticsCached(funder, { programmeId }, DEMO_TODAY, t0);
    // PostgreSQL's change counter also moves with other databases on the server (the other test files'),
    // so "nothing written" can only be arranged on SQLite; within the bound both serve the entry.
    if (TEST_BACKEND === "sqlite") expect(await getStatisticsCached(funder, { programmeId }, DEMO_TODAY, t0 + 10 * MAX_STALE_MS)).toBe(first);

    // Someone drops out: a write the figures depend on.
    const enrolment = await db.selectFrom("enrolments").select("id").where("status", "=", "active").executeTakeFirstOrThrow();
    await db.updateTable("enrolments").set({ status: "dropped", ended_on: "2026-11-20" }).where("id", "=", enrolment.id).execute();

    // Within the bound the earlier report is still served ...
    expect(await getStatisticsCached(funder, { programmeId }, DEMO_TODAY, t0 + MAX_STALE_MS / 2)).toBe(first);
    // ... after it, the report is counted again and shows the change.
    const later = await getStatisticsCached(funder, { programmeId }, DEMO_TODAY, t0 + MAX_STALE_MS + 1);
    expect(later).not.toBe(first);
    expect(total(later)).toBe(total(first));
    expect(later.figures.find((f) => f.key === "dropped")!.value).toBe(first.figures.find((f) => f.key === "dropped")!.value! + 1);
    await db.destroy();
  });

  it("keeps callers with other rights apart, and never caches a refusal", async () => {
    const { db, user, funder, programmeId } = await setup();
    const report = await getStatisticsCached(funder, { programmeId }, DEMO_TODAY);
    const trainee = await user("deltagare@programportalen.test");
    const denials = async () =>
      Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "authz.denied").executeTakeFirstOrThrow()).n);
    const before = await denials();
    await expectResponse(getStatisticsCached(trainee, { programmeId }, DEMO_TODAY), 403);
    await expectResponse(getStatisticsCached(trainee, { programmeId }, DEMO_TODAY), 403);
    expect(await denials()).toBe(before + 2);

    // A coordinator sees only their municipality's share: not the funder's cached report.
    const coordinator = await user("samordnare.vimmerby@programportalen.test");
    const own = await getStatisticsCached(coordinator, { programmeId }, DEMO_TODAY);
    expect(own).not.toBe(report);
    expect(own.scope).toBe("municipality");
    await db.destroy();
  });

  it("audits a programme's protected breakdowns once for every filter and every funder of it", async () => {
    const { db, funder, programmeId } = await setup();
    const cohorts = await db.selectFrom("cohorts").select("id").where("programme_id", "=", programmeId).execute();
    const all = await getStatisticsCached(funder, { programmeId }, DEMO_TODAY);
    const one = await getStatisticsCached(funder, { programmeId, cohortId: cohorts[0].id, fromMonth: "2026-04" }, DEMO_TODAY);
    expect(one).not.toBe(all);
    const breakdown = (r: typeof all, key: string) => r.tables.find((t) => t.key === key);
    expect(one.figures).not.toEqual(all.figures);
    // The very same tables: counted and audited once.
    for (const key of ["municipality", "gender", "age", "education", "outcomes"]) expect(breakdown(one, key)).toBe(breakdown(all, key));

    // After a write, a report counted afresh never takes the older breakdowns: its totals agree with its figures.
    const enrolment = await db.selectFrom("enrolments").select("id").where("status", "=", "active").executeTakeFirstOrThrow();
    await db.updateTable("enrolments").set({ status: "dropped", ended_on: "2026-11-20" }).where("id", "=", enrolment.id).execute();
    const fresh = await getStatisticsCached(funder, { programmeId, toMonth: "2026-11" }, DEMO_TODAY);
    const dropped = (r: typeof all) => breakdown(r, "municipality")!.total![3].value;
    expect(dropped(fresh)).toBe(dropped(all)! + 1);
    expect(dropped(fresh)).toBe(fresh.figures.find((f) => f.key === "dropped")!.value);
    await db.destroy();
  });
});
