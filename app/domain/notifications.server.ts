/**
 * The caller's own notices (written by internal/notices.server.ts when a
 * session or an enrolment changes): listing the unseen ones and marking one seen.
 */
import type { NotificationKind } from "~/db/schema";
import { notFound, type Ctx } from "./context.server";

export interface Notice {
  id: number;
  kind: NotificationKind;
  message: string;
  createdAt: string;
  sessionId: number | null;
  /** A cohort message's subject (its text is `message`); null for other notices. */
  subject: string | null;
}

/** The caller's own unseen notices, newest first. */
export async function listUnseenNotices(ctx: Ctx, limit = 20): Promise<Notice[]> {
  return ctx.db
    .selectFrom("notifications as n")
    .leftJoin("cohort_messages as m", "m.id", "n.cohort_message_id")
    .select(["n.id", "n.kind", "n.message", "n.created_at as createdAt", "n.session_id as sessionId", "m.subject"])
    .where("n.user_id", "=", ctx.user.id)
    .where("n.seen_at", "is", null)
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(limit)
    .execute();
}

/** Marks one of the caller's own notices seen; someone else's notice does not exist for them. */
export async function markNoticeSeen(ctx: Ctx, noticeId: number): Promise<void> {
  const result = await ctx.db
    .updateTable("notifications")
    .set({ seen_at: new Date().toISOString() })
    .where("id", "=", noticeId)
    .where("user_id", "=", ctx.user.id)
    .where("seen_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const own = await ctx.db.selectFrom("notifications").select("id").where("id", "=", noticeId).where("user_id", "=", ctx.user.id).executeTakeFirst();
    if (!own) throw notFound();
  }
}
