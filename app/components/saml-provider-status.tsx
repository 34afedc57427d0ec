import type { CertificateSummary } from "~/domain/identity-providers.server";
import { formatDate, formatDateTime } from "~/utils/format";

interface SamlStatus {
  samlMetadataUrl: string | null;
  samlMetadataCheckedAt: string | null;
  samlSsoUrl: string | null;
  samlSloUrl: string | null;
  certificates: CertificateSummary[];
}

/** What a SAML IdP is set to now: where its settings come from, its addresses and each signing certificate's expiry. */
export function SamlProviderStatus({ provider }: { provider: SamlStatus }) {
  const soon = provider.certificates.filter((c) => c.expiresSoon);
  const lastValid = provider.certificates.at(-1);
  return (
    <section className="panel sso-panel" aria-labelledby="saml-status">
      <h2 id="saml-status">Certifikat och adresser</h2>
      {soon.length ? (
        <p className="alert alert--warning" role="status">
          {soon.some((c) => c.expired) ? "Ett signeringscertifikat har gått ut" : "Ett signeringscertifikat går ut inom 30 dagar"}
          {lastValid && !lastValid.expiresSoon ? ", men det finns ett nyare som fortsätter att gälla." : "."}{" "}
          {lastValid && !lastValid.expiresSoon
            ? null
            : provider.samlMetadataUrl
              ? "Be kommunens IT att publicera det nya certifikatet i metadatan; portalen hämtar det av sig själv."
              : "Be kommunens IT om det nya certifikatet och lägg in det här, eller ange metadataadressen så följer portalen med av sig själv."}
        </p>
      ) : null}
      <dl className="settings">
        <dt>Inställningarna kommer från</dt>
        <dd>
          {provider.samlMetadataUrl
            ? `Metadataadressen, som hämtas varje dygn${provider.samlMetadataCheckedAt ? ` (senast ${formatDateTime(provider.samlMetadataCheckedAt)})` : ""}.`
            : "Det du fyllt i. De hämtas inte igen."}
        </dd>
        <dt>Inloggningsadress</dt>
        <dd>
          <code>{provider.samlSsoUrl}</code>
        </dd>
        <dt>Utloggningsadress</dt>
        <dd>{provider.samlSloUrl ? <code>{provider.samlSloUrl}</code> : "Ingen: utloggningen avslutar bara Programportalen."}</dd>
      </dl>
      <h3>Signeringscertifikat</h3>
      <ul className="plain-list certificate-list">
        {provider.certificates.map((c) => (
          <li key={c.fingerprint}>
            <dl className="settings">
              <dt>Giltigt till</dt>
              <dd>
                {formatDate(c.validTo)}
                {c.expired ? <strong className="warning-text"> (har gått ut)</strong> : c.expiresSoon ? <strong className="warning-text"> (går ut inom 30 dagar)</strong> : null}
              </dd>
              <dt>Utfärdat till</dt>
              <dd>{c.subject}</dd>
              <dt>Fingeravtryck (SHA-256)</dt>
              <dd>
                <code className="fingerprint">{c.fingerprint}</code>
              </dd>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
