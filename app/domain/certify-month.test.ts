import { describe, expect, it } from "vitest";
import { certifyMonthSchema, MAX_REPORTS_AT_ONCE } from "~/schemas/timereports";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { demoDb } from "../../tests/support/db";
import { checked } from "./result";
import { certifyMonth, STALE_MONTH } from "./time-report-workflow.server";

async function setting() {
  const { db } = await demoDb();
  const user = async (email: string) => ctxFor(db, (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id);
  const vimmerby = await db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
  const hultsfred = await db.selectFrom("municipalities").select("id").where("slug", "=", "hultsfred").executeTakeFirstOrThrow();
  // Confirm every Vimmerby and one Hultsfred draft of a month, as the participants would.
  const month = (
    await db
      .selectFrom("time_reports")
      .select((eb) => ["month", eb.fn.countAll<number>().as("n")])
      .where("municipality_id", "=", vimmerby.id)
      .where("status", "in", ["draft", "confirmed"])
      .groupBy("month")
      .orderBy("n", "desc")
      .orderBy("month")
      .executeTakeFirstOrThrow()
  ).month;
  await db.updateTable("time_reports").set({ status: "confirmed" }).where("municipality_id", "=", vimmerby.id).where("month", "=", month).where("status", "=", "draft").execute();
  const confirmed = await db.selectFrom("time_reports").select(["id", "version"]).where("municipality_id", "=", vimmerby.id).where("month", "=", month).where("status", "=", "confirmed").execute();
  const other = await db.selectFrom("time_reports").select(["id", "version"]).where("municipality_id", "=", hultsfred.id).executeTakeFirstOrThrow();
  await db.updateTable("participants").set({ manager_name: "Chef Chefsson" }).where("municipality_id", "=", vimmerby.id).where("manager_name", "is", null).execute();
  const statuses = () => db.selectFrom("time_reports").select(["id", "status", "version"]).orderBy("id").execute();
  return { db, month, confirmed, other, statuses, coordinator: await user("samordnare.vimmerby@programportalen.test"), lead: await user("programledare@programportalen.test") };
}

describe("certifying a month's time reports at once", () => {
  it("certifies every confirmed report of the month, each frozen with its own event and audit entry", async () => {
    const { db, confirmed, coordinator } = await setting();
    expect(confirmed.length).toBeGreaterThan(1);
    const result = await certifyMonth(coordinator, checked({ certifiedAs: "manager", reports: confirmed }));
    expect(result).toEqual({ ok: true, value: confirmed.length });
    const after = await db.selectFrom("time_reports").select(["status", "certified_minutes"]).where("id", "in", confirmed.map((r) => r.id)).execute();
    expect(after.every((r) => r.status === "certified" && r.certified_minutes != null)).toBe(true);
    const audits = await db.selectFrom("audit_log").select("entity_id").where("action", "=", "time_report.certified").where("entity_id", "in", confirmed.map((r) => String(r.id))).execute();
    expect(audits).toHaveLength(confirmed.length);
  });

  it("answers 404 and writes nothing when another municipality's report id is in the list", async () => {
    const { confirmed, other, coordinator, statuses } = await setting();
    const before = await statuses();
    await expectResponse(certifyMonth(coordinator, checked({ certifiedAs: "manager", reports: [...confirmed, other] })), 404);
    expect(await statuses()).toEqual(before);
  });

  it("certifies none when one report changed since the list was shown (twice at once: the second gets 409)", async () => {
    const { confirmed, coordinator, statuses } = await setting();
    const stale = confirmed.map((r, i) => (i === confirmed.length - 1 ? { ...r, version: r.version + 7 } : r));
    const before = await statuses();
    expect(await certifyMonth(coordinator, checked({ certifiedAs: "manager", reports: stale }))).toMatchObject({ ok: false, status: 409, message: STALE_MONTH });
    expect(await statuses()).toEqual(before);
    const [first, second] = await Promise.all([
      certifyMonth(coordinator, checked({ certifiedAs: "manager", reports: confirmed })),
      certifyMonth(coordinator, checked({ certifiedAs: "manager", reports: confirmed })),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect((first.ok ? second : first)).toMatchObject({ status: 409 });
  });

  it("refuses a list longer than the limit, duplicates and callers who never certify", async () => {
    const { confirmed, coordinator, lead } = await setting();
    const huge = Array.from({ length: MAX_REPORTS_AT_ONCE + 1 }, (_, i) => ({ id: i + 1, version: 1 }));
    expect(certifyMonthSchema.safeParse({ intent: "certify-month", certifiedAs: "manager", reports: huge }).success).toBe(false);
    expect(await certifyMonth(coordinator, checked({ certifiedAs: "manager", reports: [confirmed[0], confirmed[0]] }))).toMatchObject({ ok: false, status: 400 });
    await expectResponse(certifyMonth(lead, checked({ certifiedAs: "manager", reports: confirmed })), 403);
  });
});
