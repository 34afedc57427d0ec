import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { OIDC_SCOPES, oidcRedirectUri } from "~/auth/sso-oidc.server";
import { SAML_METADATA_PATH, samlAcsUrl, samlEntityId, samlSloUrl } from "~/auth/sso-saml.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { listIdentityProviders } from "~/domain/identity-providers.server";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Kommunernas inloggning – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const providers = await listIdentityProviders(ctx);
  const publicUrl = context.config.publicUrl;
  return {
    providers,
    redirectUri: oidcRedirectUri(publicUrl),
    scopes: OIDC_SCOPES,
    logoutRedirect: `${publicUrl}/login`,
    saml: { entityId: samlEntityId(publicUrl), acsUrl: samlAcsUrl(publicUrl), sloUrl: samlSloUrl(publicUrl), metadataUrl: `${publicUrl}${SAML_METADATA_PATH}` },
  };
}

export default function IdentityProviders() {
  const { providers, redirectUri, scopes, logoutRedirect, saml } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Kommunernas inloggning</h1>
      <p className="lead">Inloggningstjänster (Entra ID, ADFS m.fl.) som kommunernas personal loggar in med. Konton kopplas, de skapas aldrig av tjänsten.</p>
      <p>
        <Link to="/admin/inloggning/ny" className="button">
          Lägg till inloggningstjänst
        </Link>
      </p>
      {providers.length === 0 ? (
        <p>Ingen kommun har kopplat sin inloggning ännu. Alla loggar in med lösenord.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">Protokoll</th>
                <th scope="col">E-postdomäner</th>
                <th scope="col">Kommuner</th>
                <th scope="col">Certifikat giltigt till</th>
                <th scope="col">Lösenord tillåtet</th>
                <th scope="col">Kopplade konton</th>
              </tr>
            </thead>
            <tbody>
              {providers.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/admin/inloggning/${p.id}`}>{p.name}</Link>
                  </td>
                  <td>{p.protocol === "oidc" ? "OpenID Connect" : "SAML 2.0"}</td>
                  <td>{p.emailDomains.join(", ")}</td>
                  <td>{p.municipalityNames.join(", ")}</td>
                  <td>
                    {p.certificateValidTo ? formatDate(p.certificateValidTo.validTo) : "–"}
                    {p.certificateValidTo?.soon ? <strong className="warning-text"> Går snart ut</strong> : null}
                  </td>
                  <td>{p.passwordLoginAllowed ? "Ja" : "Nej"}</td>
                  <td>{p.linkedAccounts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Uppgifter till kommunens IT</h2>
      <section className="panel sso-panel">
        <h3>OpenID Connect (Entra ID m.fl.)</h3>
        <dl className="settings">
          <dt>Omdirigerings-URI (redirect URI)</dt>
          <dd><code>{redirectUri}</code></dd>
          <dt>Behörigheter (scopes)</dt>
          <dd><code>{scopes}</code></dd>
          <dt>Adress efter utloggning (post-logout redirect URI)</dt>
          <dd><code>{logoutRedirect}</code></dd>
        </dl>
      </section>
      <section className="panel sso-panel">
        <h3>SAML 2.0 (ADFS m.fl.)</h3>
        <dl className="settings">
          <dt>Metadataadress (federation metadata)</dt>
          <dd><code>{saml.metadataUrl}</code></dd>
          <dt>Entity id (relying party identifier)</dt>
          <dd><code>{saml.entityId}</code></dd>
          <dt>Assertion consumer service (SAML 2.0 WebSSO, HTTP-POST)</dt>
          <dd><code>{saml.acsUrl}</code></dd>
          <dt>Utloggning (single logout service, HTTP-Redirect)</dt>
          <dd><code>{saml.sloUrl}</code></dd>
          <dt>Krav</dt>
          <dd>Signerade intyg (assertions), NameID av typen persistent och e-postadressen som anspråk (claim).</dd>
          <dt>Portalens signeringscertifikat</dt>
          <dd>Finns i metadatan. Portalen signerar sina utloggningsmeddelanden med det; importera metadatan på nytt om tjänsten sattes upp innan utloggningen fanns.</dd>
        </dl>
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
