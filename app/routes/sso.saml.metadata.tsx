import type { LoaderFunctionArgs } from "@remix-run/node";
import { serviceProviderMetadata } from "~/auth/sso-saml.server";

/** The portal's SAML metadata (entity id, ACS), the same for every IdP: what ADFS imports by URL. */
export async function loader({ context }: LoaderFunctionArgs) {
  return new Response(serviceProviderMetadata(context.config.publicUrl), {
    headers: { "Content-Type": "application/samlmetadata+xml; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
