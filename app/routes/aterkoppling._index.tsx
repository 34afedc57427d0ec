import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/route-error";
import { requireUserContext } from "~/auth/session.server";
import { listOwnFeedback } from "~/domain/feedback.server";
import { roundKindLabels } from "~/ui/feedback";

export const meta: MetaFunction = () => [{ title: "360-återkoppling – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { rounds: await listOwnFeedback(ctx) };
}

export default function OwnFeedback() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>360-återkoppling</h1>
      <p className="lead">
        Du svarar själv och bjuder in din chef, kollegor och medarbetare att svara om ditt ledarskap. Rapporten är din: ingen annan ser den om du
        inte själv delar den.
      </p>
      {rounds.length ? (
        <ul className="plain-list">
          {rounds.map((r) => (
            <li key={r.id}>
              <Link to={`/aterkoppling/${r.id}`}>
                {roundKindLabels[r.kind]}, {r.programmeName} {r.cohortName}
              </Link>{" "}
              {r.closedAt ? "(avslutad)" : `(svara senast ${r.closesOn})`}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Programledaren har inte öppnat någon 360-runda för din omgång än.</p>
      )}
      <p>
        <Link to="/handlingsplan">Min handlingsplan</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
