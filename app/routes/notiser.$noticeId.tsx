import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { markNoticeSeen } from "~/domain/notifications.server";
import { idParam } from "~/utils/params";

/** "Markera som läst" on the start page posts here. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  await markNoticeSeen(ctx, idParam(params.noticeId));
  return redirect("/#notiser");
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserContext(request, context);
  return redirect("/");
}
