import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { startLoginSession } from "~/auth/session.server";
import { finishSamlLogin } from "~/auth/sso-saml.server";
import { readFormData } from "~/utils/form-data.server";
import { safeRedirect } from "~/utils/redirect";

/** The assertion consumer service: the IdP's page posts its signed response here (HTTP-POST binding). */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const response = form.get("SAMLResponse");
  const { outcome, providerId, returnTo, clearCookie, saml } = await finishSamlLogin(context, request, typeof response === "string" ? response : null);
  const headers = new Headers({ "Set-Cookie": clearCookie });
  if (!outcome.ok) return redirect(`/login?sso=${outcome.reason}`, { headers });
  headers.append("Set-Cookie", await startLoginSession(context, outcome.userId, providerId, saml));
  return redirect(safeRedirect(returnTo), { headers });
}

/** Nothing to show: a response only arrives by POST. */
export async function loader() {
  return redirect("/login");
}
