/**
 * Demo data for the trainees' schedule: in "Omgång 2" one upcoming session
 * has been moved and one cancelled by the programme lead, so "Mitt schema",
 * the session pages and the calendar feed show what a change looks like.
 */
import type { Db } from "../../app/db/connection.server";
import { addDaysToDate, stockholmToUtcIso, utcIsoToStockholm } from "../../app/utils/time";

export async function seedScheduleDemo(db: Db, today: string): Promise<void> {
  const lead = await db.selectFrom("users").select("id").where("email", "=", "programledare@programportalen.test").executeTakeFirstOrThrow();
  const upcoming = await db
    .selectFrom("sessions as s")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .selectAll("s")
    .where("c.name", "=", "Omgång 2")
    .where("s.starts_at", ">", stockholmToUtcIso(today, "23:59"))
    .orderBy("s.starts_at")
    .execute();
  const changedAt = new Date(`${addDaysToDate(today, -3)}T09:15:00Z`).toISOString();
  // A session was planned before it was changed: CREATED may not come after LAST-MODIFIED in the feed.
  const plannedBefore = (createdAt: string) => {
    const planned = new Date(`${addDaysToDate(today, -60)}T08:00:00Z`).toISOString();
    return createdAt < planned ? createdAt : planned;
  };

  const toMove = upcoming[2];
  if (toMove) {
    const start = utcIsoToStockholm(toMove.starts_at);
    const end = utcIsoToStockholm(toMove.ends_at);
    const startsAt = stockholmToUtcIso(addDaysToDate(start.date, 1), start.time);
    const endsAt = stockholmToUtcIso(addDaysToDate(end.date, 1), end.time);
    await db
      .updateTable("sessions")
      .set({ starts_at: startsAt, ends_at: endsAt, sequence: 1, created_at: plannedBefore(toMove.created_at), updated_at: changedAt })
      .where("id", "=", toMove.id)
      .execute();
    await db
      .insertInto("session_changes")
      .values({
        session_id: toMove.id,
        changed_by: lead.id,
        changed_at: changedAt,
        kind: "moved",
        changes: JSON.stringify({ starts_at: { from: toMove.starts_at, to: startsAt }, ends_at: { from: toMove.ends_at, to: endsAt } }),
      })
      .execute();
  }

  const toCancel = upcoming[4];
  if (toCancel) {
    await db
      .updateTable("sessions")
      .set({ status: "cancelled", sequence: 1, created_at: plannedBefore(toCancel.created_at), updated_at: changedAt })
      .where("id", "=", toCancel.id)
      .execute();
    await db
      .insertInto("session_changes")
      .values({
        session_id: toCancel.id,
        changed_by: lead.id,
        changed_at: changedAt,
        kind: "cancelled",
        changes: JSON.stringify({ status: { from: "planned", to: "cancelled" } }),
      })
      .execute();
  }
}
