import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endLoginSession } from "~/auth/session.server";
import { oidcLogoutUrl } from "~/auth/sso-oidc.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const { cookie, identityProviderId } = await endLoginSession(context, request);
  // A login through the municipality's IdP ends there too, where the IdP offers it (RP-initiated logout).
  const atIdp = identityProviderId === null ? null : await oidcLogoutUrl(context, identityProviderId);
  return redirect(atIdp ?? "/login", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  return redirect("/login");
}
