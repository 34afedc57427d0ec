import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { remindersWanted, setRemindersWanted } from "~/domain/reminder-opt-outs.server";
import { reminderSettingSchema } from "~/schemas/messages";
import { refusalResponse } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

/** The setting lives on Mitt schema; this address only saves it. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  await remindersWanted(ctx);
  return redirect("/schema#paminnelser");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: reminderSettingSchema });
  const result = await setRemindersWanted(ctx, submission);
  if (!result.ok) return refusalResponse(result.status === 400 && submission.status === "error" ? { ...result, message: "Välj om du vill få påminnelser." } : result);
  return redirect(`/schema?paminnelser=${result.value.wanted ? "pa" : "av"}#paminnelser`);
}
