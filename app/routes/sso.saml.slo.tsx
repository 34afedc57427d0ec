import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { receiveSamlLogoutMessage } from "~/auth/sso-saml-logout.server";

export const meta: MetaFunction = () => [{ title: "Utloggning – Programportalen" }];

/**
 * The portal's SAML single logout service (HTTP-Redirect binding): the IdP's
 * answer to the portal's LogoutRequest, or the IdP's own LogoutRequest.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const outcome = await receiveSamlLogoutMessage(context, request);
  switch (outcome.kind) {
    case "portal_logout_done":
      return redirect(`/login?utloggad=${outcome.confirmed ? "kommun" : "portalen"}`, { headers: { "Set-Cookie": outcome.clearCookie } });
    case "answered":
      if (outcome.redirectTo) return redirect(outcome.redirectTo);
      return json({ done: true });
    case "refused":
      return json({ done: false }, { status: 400 });
  }
}

export default function SingleLogout() {
  const { done } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>Utloggning</h1>
      {done ? (
        <p className="alert alert--success" role="status">
          Du är utloggad från Programportalen.
        </p>
      ) : (
        <p className="alert alert--error" role="alert">
          Utloggningsbegäran från kommunens inloggning kunde inte godkännas. Ingen har loggats ut. Logga ut i Programportalen med knappen Logga ut.
        </p>
      )}
      <p>
        <Link to="/login">Till inloggningen</Link>
      </p>
    </div>
  );
}
