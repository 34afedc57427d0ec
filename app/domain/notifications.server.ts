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
}

/** The caller's own unseen notices, newest first. */
export async function listUnseenNotices(ctx: Ctx, limit = 20): Promise<Notice[]> {
  return ctx.db
    .selectFrom("notifications")
    .select(["id", "kind", "message", "created_at as createdAt", "session_id as sessionId"])
    .where("user_id", "=", ctx.user.id)
    .where("seen_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
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
