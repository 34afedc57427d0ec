import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endLoginSession } from "~/auth/session.server";
import { oidcLogoutUrl } from "~/auth/sso-oidc.server";
import { startSamlLogout } from "~/auth/sso-saml-logout.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const { cookie, identityProviderId, saml } = await endLoginSession(context, request);
  const headers = new Headers({ "Set-Cookie": cookie });
  // A login through the municipality's IdP ends there too, where the IdP offers it (RP-initiated logout, SAML single logout).
  if (identityProviderId !== null && saml) {
    const atIdp = await startSamlLogout(context, identityProviderId, saml);
    if (atIdp) {
      headers.append("Set-Cookie", atIdp.cookie);
      return redirect(atIdp.url, { headers });
    }
  }
  const atIdp = identityProviderId === null || saml ? null : await oidcLogoutUrl(context, identityProviderId);
  return redirect(atIdp ?? "/login", { headers });
}

export async function loader() {
  return redirect("/login");
}
