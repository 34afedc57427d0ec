import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/route-error";
import { SharedReports } from "~/components/shared-reports";
import { requireUserContext } from "~/auth/session.server";
import { listReportsSharedWithMe } from "~/domain/feedback-report.server";

export const meta: MetaFunction = () => [{ title: "Delade rapporter – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return json({ reports: await listReportsSharedWithMe(ctx) }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function SharedReportsPage() {
  const { reports } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Delade rapporter</h1>
      <p className="lead">Deltagare som har delat sin 360-rapport med dig. Du ser bara rapporten, inget annat om deltagaren.</p>
      <SharedReports reports={reports} />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
