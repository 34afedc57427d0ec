import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { BarChart } from "~/components/bar-chart";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getEffectReport } from "~/domain/effects.server";
import {
  behaviourColumns,
  behaviourRowCells,
  effectColumns,
  effectDefinitions,
  effectRowCells,
  formatMean,
  formatMeanChange,
  formatN,
  formatShare,
  goalsReachedCells,
  goalsReachedColumns,
  learningColumns,
  learningPendingText,
  learningRowCells,
  reactionPendingText,
} from "~/ui/evaluations";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Effektrapport – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getEffectReport(ctx, idParam(params.programmeId));
}

export const ErrorBoundary = RouteErrorBoundary;

function EffectTable({ label, rows, columns = effectColumns }: { label: string; rows: string[][]; columns?: string[] }) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([first, ...rest], i) => (
            <tr key={`${first}-${i}`}>
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

/** Why some cohorts' figures are not shown yet, and when they will be (ADR 036). */
function PendingNotes({ notes }: { notes: string[] }) {
  if (!notes.length) return null;
  return (
    <div className="alert alert--info">
      <p>Inte med ännu:</p>
      <ul>
        {notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}

export default function EffectReportPage() {
  const report = useLoaderData<typeof loader>();
  const label = (cohortId: number | null) => (cohortId === null ? "Hela programmet" : report.cohortNames[cohortId]);
  const rows = [...report.cohorts, report.total].map((r) => effectRowCells(r.cohortId === null ? "Hela programmet (visade omgångar)" : label(r.cohortId), r));
  const totalLabel = (cohortId: number | null) => (cohortId === null ? "Hela programmet (visade omgångar)" : label(cohortId));
  const behaviourTotal = report.behaviour.rows[report.behaviour.rows.length - 1].figures;
  const learningPending = report.publication.flatMap((p) => (p.learningPendingUntil ? [learningPendingText(label(p.cohortId), p.learningPendingUntil)] : []));
  const reactionPending = report.publication.flatMap((p) =>
    p.reactionPendingSessions && p.reactionNextClosesAt ? [reactionPendingText(label(p.cohortId), p.reactionPendingSessions, p.reactionNextClosesAt)] : [],
  );
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
      <p>{effectDefinitions.publication}</p>
      <p>
        <a href={`/program/${report.programme.id}/effektrapport.xlsx`} className="button button--secondary" download>
          Ladda ner (Excel)
        </a>
      </p>

      <section aria-labelledby="reaction">
        <h2 id="reaction">Reaktion: utvärderingar av träffarna</h2>
        <p>{effectDefinitions.reaction}</p>
        <PendingNotes notes={reactionPending} />
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
        {report.learning.goals.length ? <PendingNotes notes={learningPending} /> : null}
        {report.learning.goals.length ? (
          <>
            <BarChart
              title="Självskattning vid start och slut, alla mål"
              description="Medel 1–5 vid start och vid slut per omgång, bland dem som skattat sig båda gångerna; samma siffror finns i tabellen nedan."
              groups={report.learning.rows.map((r) => ({
                label: `${label(r.cohortId)} (n = ${formatN(r.figures.all.n)})`,
                bars: [
                  { series: "Start", value: r.figures.all.before, text: formatMean(r.figures.all.before) },
                  { series: "Slut", value: r.figures.all.after, text: `${formatMean(r.figures.all.after)} (${formatMeanChange(r.figures.all.change)})` },
                ],
              }))}
            />
            <EffectTable label="Lärande per omgång och mål" columns={learningColumns} rows={report.learning.rows.flatMap((r) => learningRowCells(totalLabel(r.cohortId), r.figures))} />
          </>
        ) : (
          <p>Programmet har inga mål ännu. Programledaren skriver dem under Programmets mål.</p>
        )}
      </section>

      <section aria-labelledby="behaviour">
        <h2 id="behaviour">Beteende: 360-återkoppling och handlingsplaner</h2>
        <p>{effectDefinitions.behaviour}</p>
        {behaviourTotal.dimensions.length ? (
          <>
            <BarChart
              title="Andras bedömning per dimension, hela programmet"
              description="Andras medel 1–5 före (första rundan) och efter (uppföljningen) per dimension, för omgångar som visas; samma siffror finns i tabellen nedan."
              groups={behaviourTotal.dimensions.map((d) => ({
                label: `${d.title} (n = ${formatN(d.n)})`,
                bars: [
                  { series: "Före", value: d.before, text: formatMean(d.before) },
                  { series: "Efter", value: d.after, text: `${formatMean(d.after)} (${formatMeanChange(d.change)})` },
                ],
              }))}
            />
            <EffectTable label="Beteende per omgång och dimension" columns={behaviourColumns} rows={report.behaviour.rows.flatMap((r) => behaviourRowCells(totalLabel(r.cohortId), r.figures))} />
          </>
        ) : (
          <p>Ingen omgång har både en första 360-runda och en uppföljningsrunda som är avslutade ännu.</p>
        )}
        <h3>Handlingsplaner: uppnådda mål</h3>
        <p>{effectDefinitions.goalsReached}</p>
        <EffectTable label="Uppnådda mål i handlingsplanerna" columns={goalsReachedColumns} rows={report.behaviour.rows.map((r) => goalsReachedCells(totalLabel(r.cohortId), r.figures))} />
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
