import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { startLoginSession } from "~/auth/session.server";
import { finishOidcLogin } from "~/auth/sso-oidc.server";
import { safeRedirect } from "~/utils/redirect";

/** The redirect URI of every OIDC provider: the IdP sends the browser back here with a code. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { outcome, providerId, returnTo, clearCookie } = await finishOidcLogin(context, request);
  const headers = new Headers({ "Set-Cookie": clearCookie });
  if (!outcome.ok) return redirect(`/login?sso=${outcome.reason}`, { headers });
  headers.append("Set-Cookie", await startLoginSession(context, outcome.userId, providerId));
  return redirect(safeRedirect(returnTo), { headers });
}
