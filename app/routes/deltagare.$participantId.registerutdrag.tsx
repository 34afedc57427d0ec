import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { PrintButton } from "~/components/print-button";
import { RegisterExtractSections } from "~/components/register-extract";
import { RouteErrorBoundary } from "~/components/route-error";
import { idParam } from "~/utils/params";
import { getRegisterExtract } from "~/domain/register-extract.server";
import { presentExtract } from "~/ui/register-extract";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Registerutdrag – Programportalen" }];

// The page holds the full personnummer: keep it out of every cache.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return presentExtract(await getRegisterExtract(ctx, idParam(params.participantId), "html"));
}

export default function ParticipantRegisterExtract() {
  const extract = useLoaderData<typeof loader>();
  return (
    <div className="page register-extract">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/deltagare">Deltagare</Link>
          </li>
          <li>
            <Link to={`/deltagare/${extract.participantId}`}>{extract.participantName}</Link>
          </li>
          <li aria-current="page">Registerutdrag</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>{`Registerutdrag för ${extract.participantName}`}</h1>
          <p className="lead">
            Allt som Programportalen lagrar om deltagaren, {formatDateTime(extract.generatedAt)}. Personuppgiftsansvarig:{" "}
            {extract.municipalityName} kommun.
          </p>
        </div>
        <div className="actions">
          <a href={`/deltagare/${extract.participantId}/registerutdrag.json`} className="button" download>
            Ladda ner som fil (JSON)
          </a>
          <PrintButton />
        </div>
      </div>
      <div className="alert alert--info">
        <p>
          Utdraget innehåller hela personnumret. Lämna det bara till deltagaren själv, på ett säkert sätt. Att du har tagit ut
          utdraget är loggat.
        </p>
      </div>
      <RegisterExtractSections sections={extract.sections} />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
