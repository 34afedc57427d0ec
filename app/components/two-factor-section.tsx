import { SubmitButton } from "~/components/submit-button";
import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form";

/** What the two-factor part of Mitt konto answered. */
export interface TwoFactorAnswer {
  intent: string;
  /** Shown once, right after enrolment. */
  recoveryCodes: string[] | null;
  error: string | null;
}

interface View {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
  enrolment: { secret: string; qrSvg: string } | null;
}

function CodeField({
  id,
  error,
  label,
}: {
  id: string;
  error: string | null;
  label: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        Sex siffror från appen.
      </p>
      <input
        id={id}
        name="code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Mitt konto's two-factor: enrol with a QR code (drawn on the server) or the secret as text, then recovery codes once. */
export function TwoFactorSection({
  view,
  answer,
}: {
  view: View;
  answer: TwoFactorAnswer | null;
}) {
  const submitting = useNavigation().state === "submitting";
  const error = answer?.error ?? null;
  // A refusal is shown beside the code field of the form that was sent; one no form on the page can show goes on top.
  const shownInForm =
    (answer?.intent === "two-factor-confirm" &&
      !view.enabled &&
      view.enrolment !== null) ||
    (answer?.intent === "two-factor-disable" &&
      view.enabled &&
      !view.required) ||
    (answer?.intent === "two-factor-start" &&
      !view.enabled &&
      view.enrolment === null);
  return (
    <section aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Tvåstegsverifiering</h2>
      {error && !shownInForm ? (
        <FormErrors id="two-factor-errors" errors={[error]} />
      ) : null}
      {answer?.recoveryCodes ? (
        <div className="alert alert--success" role="status">
          <p>
            <strong>Tvåstegsverifiering är på.</strong> Spara de här
            reservkoderna på ett säkert ställe, till exempel utskrivna. Varje
            kod fungerar en gång om du inte har telefonen. De visas bara nu.
          </p>
          <ul className="recovery-codes">
            {answer.recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/">Jag har sparat koderna, fortsätt</Link>
          </p>
        </div>
      ) : null}
      {!view.enabled && view.required ? (
        <div className="alert alert--warning" role="status">
          <p>
            <strong>Aktivera tvåstegsverifiering innan du fortsätter.</strong>{" "}
            Administratörer och programledare som loggar in med lösenord skyddar
            kontot med en kod från en app i telefonen.
          </p>
        </div>
      ) : null}
      {view.enabled ? (
        <div className="panel">
          <p>
            Tvåstegsverifiering är <strong>på</strong>. Du loggar in med
            lösenord och en kod från appen. Reservkoder kvar:{" "}
            <strong>{view.recoveryCodesLeft}</strong> av 10.
          </p>
          {view.required ? (
            <p className="hint">
              Din roll kräver tvåstegsverifiering, så den kan inte stängas av.
            </p>
          ) : (
            <Form method="post" className="form">
              <CodeField
                id="disable-code"
                label="Kod för att stänga av"
                error={answer?.intent === "two-factor-disable" ? error : null}
              />
              <div>
                <SubmitButton
                  name="intent"
                  value="two-factor-disable"
                  className="button button--secondary"
                 busy={submitting}>
                  Stäng av tvåstegsverifiering
                </SubmitButton>
              </div>
            </Form>
          )}
        </div>
      ) : view.enrolment ? (
        <div className="panel two-factor-enrolment">
          <ol>
            <li>
              <p>
                Öppna en autentiseringsapp i telefonen (till exempel Microsoft
                Authenticator, Google Authenticator eller FreeOTP) och skanna
                koden.
              </p>
              <figure
                className="qr-code"
                role="img"
                aria-label="QR-kod som lägger till Programportalen i autentiseringsappen"
              >
                {/* Drawn on the server by the qrcode library from our own otpauth address: no user input reaches it. */}
                <div
                  dangerouslySetInnerHTML={{ __html: view.enrolment.qrSvg }}
                />
              </figure>
              <p>
                Kan du inte skanna? Skriv in nyckeln i appen:{" "}
                <code className="totp-secret">{view.enrolment.secret}</code>
              </p>
            </li>
            <li>
              <Form method="post" className="form">
                <CodeField
                  id="confirm-code"
                  label="Koden som appen visar"
                  error={answer?.intent === "two-factor-confirm" ? error : null}
                />
                <div>
                  <SubmitButton
                    name="intent"
                    value="two-factor-confirm"
                    className="button"
                   busy={submitting}>
                    Aktivera
                  </SubmitButton>
                </div>
              </Form>
            </li>
          </ol>
        </div>
      ) : answer?.recoveryCodes ? null : (
        <Form method="post" className="panel">
          {answer?.intent === "two-factor-start" && error ? (
            <FormErrors id="two-factor-start-errors" errors={[error]} />
          ) : null}
          <p>
            Skydda kontot med en kod från en app i telefonen utöver lösenordet.
          </p>
          <button
            type="submit"
            name="intent"
            value="two-factor-start"
            className="button"
          >
            Aktivera tvåstegsverifiering
          </button>
        </Form>
      )}
    </section>
  );
}
