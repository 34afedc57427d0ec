import type { LoaderFunctionArgs } from "@remix-run/node";
import { serviceProviderKey } from "~/auth/saml-sp-key.server";
import { serviceProviderMetadata } from "~/auth/sso-saml.server";

/** The portal's SAML metadata (entity id, ACS, single logout, signing certificate), the same for every IdP: what ADFS imports by URL. */
// no-store: the answer carries the portal's current signing certificate, and IdPs fetch it seldom anyway.
export async function loader({ context }: LoaderFunctionArgs) {
  const key = await serviceProviderKey(context.db, context.config.ssoSecretKey);
  return new Response(serviceProviderMetadata(context.config.publicUrl, key), {
    headers: { "Content-Type": "application/samlmetadata+xml; charset=utf-8", "Cache-Control": "no-store" },
  });
}
