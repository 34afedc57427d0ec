import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { listOwnSelfRatings } from "~/domain/self-ratings.server";
import { phaseLabels, phaseStateLabels, selfRatingIntro } from "~/ui/self-ratings";

export const meta: MetaFunction = () => [{ title: "Självskattning – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { cohorts: await listOwnSelfRatings(ctx) };
}

export const ErrorBoundary = RouteErrorBoundary;

export default function SelfRatings() {
  const { cohorts } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Självskattning</h1>
      <p className="lead">{selfRatingIntro}</p>
      {cohorts.length ? (
        <ul className="plain-list">
          {cohorts.map((c) => (
            <li key={c.cohortId} className="panel">
              <h2>
                <Link to={`/sjalvskattning/${c.cohortId}`}>
                  {c.programmeName}, {c.cohortName}
                </Link>
              </h2>
              <ul>
                {c.phases.map((p) => (
                  <li key={p.phase}>
                    {phaseLabels[p.phase]}: {phaseStateLabels[p.state]} ({p.opensOn} – {p.closesOn})
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Inget av dina program har mål att skatta dig mot ännu.</p>
      )}
    </div>
  );
}
