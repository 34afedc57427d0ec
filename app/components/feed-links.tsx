import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDate } from "~/utils/format";

export interface FeedLinksData {
  subscribeUrl: string;
  downloadUrl: string;
  createdAt: string;
}

/** A calendar feed's subscribe and download links, and the button that issues a new address. */
export function FeedLinksPanel({ feed, renewed, submitting, children }: { feed: FeedLinksData; renewed: boolean; submitting: boolean; children: ReactNode }) {
  return (
    <div className="panel">
      <p>{children}</p>
      <div role="status">
        {renewed ? <div className="alert alert--success">Du har fått en ny adress. Den gamla fungerar inte längre: prenumerera igen med den nya.</div> : null}
      </div>
      <ul className="actions feed-links">
        <li>
          <a href={feed.subscribeUrl} className="button">
            Prenumerera i kalendern
          </a>
        </li>
        <li>
          <a href={feed.downloadUrl} className="button button--secondary" download="programportalen.ics">
            Ladda ned .ics-fil
          </a>
        </li>
      </ul>
      <p className="muted feed-links__address">
        Adress att klistra in i kalenderprogrammet: <code>{feed.downloadUrl}</code>
      </p>
      <Form method="post" className="feed-links__renew">
        <p className="muted">
          Adressen skapades {formatDate(feed.createdAt)}. Har någon annan fått tag i den? Förnya den, så slutar den gamla att fungera.
        </p>
        <button type="submit" className="button button--quiet button--small" disabled={submitting}>
          Förnya adress
        </button>
      </Form>
    </div>
  );
}
