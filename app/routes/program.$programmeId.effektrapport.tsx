import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { BarChart } from "~/components/bar-chart";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getEffectReport } from "~/domain/effects.server";
import { effectColumns, effectDefinitions, effectRowCells, formatShare } from "~/ui/evaluations";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Effektrapport – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getEffectReport(ctx, idParam(params.programmeId));
}

export const ErrorBoundary = RouteErrorBoundary;

function EffectTable({ label, rows }: { label: string; rows: string[][] }) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            {effectColumns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([first, ...rest]) => (
            <tr key={first}>
              <th scope="row">{first}</th>
              {rest.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export default function EffectReportPage() {
  const report = useLoaderData<typeof loader>();
  const label = (cohortId: number | null) => (cohortId === null ? "Hela programmet" : report.cohortNames[cohortId]);
  const rows = [...report.cohorts, report.total].map((r) => effectRowCells(r.cohortId === null ? "Hela programmet (visade omgångar)" : label(r.cohortId), r));
  const pct = (s: { count: number | null; n: number; shown: boolean }) => (s.shown && s.count !== null ? Math.round((s.count / s.n) * 100) : null);
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${report.programme.id}`}>{report.programme.name}</Link>
          </li>
          <li aria-current="page">Effektrapport</li>
        </ol>
      </nav>
      <h1>Effektrapport: {report.programme.name}</h1>
      <p className="lead">Vad programmet ger, i fyra steg: hur deltagarna tyckte att träffarna var, vad de lärt sig, hur de leder, och vad som hänt efteråt.</p>
      <p>{effectDefinitions.protection}</p>
      <p>
        <a href={`/program/${report.programme.id}/effektrapport.xlsx`} className="button button--secondary" download>
          Ladda ner (Excel)
        </a>
      </p>

      <section aria-labelledby="reaction">
        <h2 id="reaction">Reaktion: utvärderingar av träffarna</h2>
        <p>{effectDefinitions.reaction}</p>
        <BarChart
          title="Medelbetyg per omgång"
          description="Medelbetyg 1–5 per omgång; samma siffror finns i tabellen nedan."
          groups={[...report.cohorts, report.total].map((r) => ({
            label: label(r.cohortId),
            bars: [{ value: r.reaction?.mean ?? null, text: r.reaction?.mean != null ? r.reaction.mean.toFixed(1).replace(".", ",") : ".." }],
          }))}
        />
      </section>

      <section aria-labelledby="learning">
        <h2 id="learning">Lärande: självskattning</h2>
        <p>{effectDefinitions.learning}</p>
      </section>

      {/* Behaviour (360 rounds and action plans) is added here by the 360 work, from its own domain function. */}
      <section aria-labelledby="behaviour">
        <h2 id="behaviour">Beteende: 360-återkoppling och handlingsplaner</h2>
        <p>{effectDefinitions.behaviour} Programmet har inga 360-omgångar ännu.</p>
      </section>

      <section aria-labelledby="results">
        <h2 id="results">Resultat: uppföljning efter avslut</h2>
        <ul>
          <li>{effectDefinitions.inWorkOrStudies}</li>
          <li>{effectDefinitions.employedInPartner}</li>
          <li>{effectDefinitions.becameManager}</li>
          <li>{effectDefinitions.dropped}</li>
        </ul>
        <BarChart
          title="Resultat per omgång"
          description="Andel i arbete eller studier och andel som avbröt, per omgång; samma siffror finns i tabellen nedan."
          groups={[...report.cohorts, report.total].map((r) => ({
            label: label(r.cohortId),
            bars: [
              { series: "I arbete/studier", value: pct(r.results.inWorkOrStudies), text: formatShare(r.results.inWorkOrStudies) },
              { series: "Avbröt", value: pct(r.results.dropped), text: formatShare(r.results.dropped) },
            ],
          }))}
        />
      </section>

      <section aria-labelledby="table">
        <h2 id="table">Alla siffror</h2>
        <EffectTable label="Effektrapport per omgång" rows={rows} />
      </section>

      {report.ownMunicipality ? (
        <section aria-labelledby="own">
          <h2 id="own">Din kommun</h2>
          <p>Resultat för din kommuns deltagare. Utvärderingarna är anonyma och kan inte delas upp per kommun.</p>
          <EffectTable
            label="Effektrapport för din kommun"
            rows={report.ownMunicipality.rows.map((r) => effectRowCells(`${label(r.cohortId)}, din kommun`, r))}
          />
        </section>
      ) : null}
    </div>
  );
}
