import { Form } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { formatDate } from "~/utils/format";

export interface FeedLinksData {
  subscribeUrl: string;
  downloadUrl: string;
  renewed: boolean;
}

/**
 * A calendar subscription. The address is shown once, right after it is
 * made (the portal keeps only a hash of it); later visits say since when the
 * user has one and offer a new one, which ends the old.
 */
export function FeedLinksPanel({
  status,
  issued,
  submitting,
  children,
}: {
  status: { createdAt: string } | null;
  issued: FeedLinksData | null;
  submitting: boolean;
  children: ReactNode;
}) {
  return (
    <div className="panel">
      <p>{children}</p>
      <div role="status">{issued ? <IssuedAddress feed={issued} /> : null}</div>
      <Form method="post" className="feed-links__renew">
        {issued ? null : status ? (
          <p>
            Du skapade en kalenderadress {formatDate(status.createdAt)}. Adressen visas bara när den skapas, så att ingen annan kan hämta den
            här. Har du tappat bort den, eller kan någon annan ha fått tag i den? Skapa en ny: den gamla slutar då att fungera.
          </p>
        ) : (
          <p>Du har ingen kalenderadress än.</p>
        )}
        {/* aria-disabled, not disabled: a disabled button drops the keyboard focus to the page's start mid-submit. */}
        <button
          type="submit"
          className={status || issued ? "button button--secondary" : "button"}
          aria-disabled={submitting || undefined}
          onClick={(event) => {
            if (submitting) event.preventDefault();
          }}
        >
          {status || issued ? "Skapa ny adress" : "Skapa adress"}
        </button>
      </Form>
    </div>
  );
}

function IssuedAddress({ feed }: { feed: FeedLinksData }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="alert alert--success feed-links__issued">
      <p>
        <strong>{feed.renewed ? "Din nya kalenderadress är klar. Den gamla fungerar inte längre." : "Din kalenderadress är klar."}</strong> Prenumerera
        nu eller kopiera adressen: den visas bara den här gången.
      </p>
      <ul className="actions feed-links">
        <li>
          <a href={feed.subscribeUrl} className="button">
            Prenumerera i kalendern
          </a>
        </li>
        <li>
          <a href={feed.downloadUrl} className="button button--secondary" download="programportalen.ics">
            Ladda ner .ics-fil
          </a>
        </li>
      </ul>
      <div className="field">
        <label htmlFor="feed-address">Adress att klistra in i kalenderprogrammet</label>
        <div className="feed-links__copy">
          <input id="feed-address" type="text" readOnly value={feed.downloadUrl} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => navigator.clipboard?.writeText(feed.downloadUrl).then(() => setCopied(true))}
          >
            {copied ? "Kopierad" : "Kopiera"}
          </button>
        </div>
      </div>
    </div>
  );
}
