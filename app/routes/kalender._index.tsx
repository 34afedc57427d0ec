import { RouteErrorBoundary } from "~/components/route-error";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FeedLinksPanel } from "~/components/feed-links";
import { createFeedAddress, getFeedStatus, staffFeedCohorts } from "~/domain/calendar.server";

export const meta: MetaFunction = () => [{ title: "Kalender – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const cohorts = await staffFeedCohorts(ctx);
  const feed = await getFeedStatus(ctx, "staff");
  return { cohorts, feed };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  // Shown in this answer only: the address is not kept (see FeedLinksPanel).
  return { issued: await createFeedAddress(ctx, "staff", { publicUrl: context.config.publicUrl }) };
}

export default function StaffCalendar() {
  const { cohorts, feed } = useLoaderData<typeof loader>();
  const issued = useActionData<typeof action>()?.issued ?? null;
  const navigation = useNavigation();
  return (
    <div className="page">
      <h1>Kalender</h1>
      <p className="lead">Alla träffar i de omgångar du ansvarar för, i din egen kalender.</p>
      <FeedLinksPanel status={feed} issued={issued} submitting={navigation.state === "submitting"}>
        Prenumerationen innehåller träffarnas tider, platser och kursledare, inga uppgifter om deltagarna. Flyttade och inställda träffar
        uppdateras av sig själva. Adressen är personlig: dela den inte.
      </FeedLinksPanel>
      <h2>Omgångar i prenumerationen</h2>
      {cohorts.length ? (
        <ul className="plain-list">
          {cohorts.map((c) => (
            <li key={c.id}>
              <Link to={`/omgangar/${c.id}/trafar`}>
                {c.programmeName}, {c.name}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Du ansvarar inte för någon omgång med aktiva deltagare just nu.</p>
      )}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
