import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endLoginSession } from "~/auth/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await endLoginSession(context, request);
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  return redirect("/login");
}
