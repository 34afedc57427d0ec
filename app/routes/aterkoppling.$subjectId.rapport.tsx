import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/route-error";
import { requireUserContext } from "~/auth/session.server";
import { getFeedbackReport } from "~/domain/feedback-report.server";
import { formatMean, roundKindLabels, scoreLabels, shownGroupLabels } from "~/ui/feedback";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "360-rapport – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return json(await getFeedbackReport(ctx, idParam(params.subjectId)), { headers: { "Cache-Control": "private, no-store" } });
}

export default function FeedbackReport() {
  const r = useLoaderData<typeof loader>();
  return (
    <div className="page report">
      {r.isOwner ? (
        <nav className="breadcrumbs no-print" aria-label="Du är här">
          <ol>
            <li>
              <Link to="/aterkoppling">360-återkoppling</Link>
            </li>
            <li>
              <Link to={`/aterkoppling/${r.subject.id}`}>{roundKindLabels[r.subject.kind]}</Link>
            </li>
            <li aria-current="page">Rapport</li>
          </ol>
        </nav>
      ) : (
        <nav className="breadcrumbs no-print" aria-label="Du är här">
          <ol>
            <li>
              <Link to="/delade-rapporter">Delade rapporter</Link>
            </li>
            <li aria-current="page">{r.subject.name}</li>
          </ol>
        </nav>
      )}
      <h1>360-rapport: {r.subject.name}</h1>
      <p className="lead">
        {roundKindLabels[r.subject.kind]}, {r.subject.programmeName} {r.subject.cohortName}.
        {r.isOwner ? " Rapporten är din; ingen annan ser den om du inte delar den." : " Deltagaren har delat rapporten med dig. Att du läser den loggas."}
      </p>
      <h2>Vilka svar som visas</h2>
      {r.groups.length ? (
        <p>
          {r.groups.map((g) => `${shownGroupLabels[g.group]}: ${g.count}`).join(", ")}.
        </p>
      ) : (
        <p>Ännu visas inga andras svar.</p>
      )}
      <p>
        En grupp visas först när minst tre i den har svarat; mindre grupper slås ihop till ”Övriga”, som också behöver minst tre svar. Chefens
        svar visas för sig bara om chefen fick veta det i inbjudan.
        {r.hiddenCount ? ` ${r.hiddenCount === 1 ? "Ett svar visas" : `${r.hiddenCount} svar visas`} inte än, eftersom för få har svarat.` : ""}
      </p>
      <h2>Per dimension</h2>
      <div className="table-scroll" role="region" aria-label="Per dimension" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              <th scope="col">{r.isOwner ? "Du själv" : "Deltagaren själv"}</th>
              <th scope="col">Andra</th>
              {r.groups.map((g) => (
                <th scope="col" key={g.group}>
                  {shownGroupLabels[g.group]}
                </th>
              ))}
              <th scope="col">Skillnad</th>
              {r.hasBefore ? <th scope="col">Andra, första rundan</th> : null}
            </tr>
          </thead>
          <tbody>
            {r.dimensions.map((d) => (
              <tr key={d.key}>
                <th scope="row">{d.title}</th>
                <td>{formatMean(d.self)}</td>
                <td>{formatMean(d.others)}</td>
                {d.groups.map((g) => (
                  <td key={g.group}>{formatMean(g.mean)}</td>
                ))}
                <td>
                  {d.gap == null ? "–" : (d.gap > 0 ? "+" : "") + formatMean(d.gap)}
                  {d.finding === "blind_spot" ? " (möjlig blind fläck)" : d.finding === "hidden_strength" ? " (dold styrka)" : ""}
                </td>
                {r.hasBefore ? <td>{formatMean(d.othersBefore)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        Skala 1–5. <strong>Möjlig blind fläck</strong>: du skattar dig minst ett halvt steg högre än andra gör. <strong>Dold styrka</strong>: andra
        skattar dig minst ett halvt steg högre än du själv.
      </p>
      <h2>Hur andra svarade</h2>
      <div className="table-scroll" role="region" aria-label="Fördelning av svar" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              {[1, 2, 3, 4, 5, 0].map((v) => (
                <th scope="col" key={v}>
                  {scoreLabels[v]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.dimensions.map((d) => (
              <tr key={d.key}>
                <th scope="row">{d.title}</th>
                {[1, 2, 3, 4, 5, 0].map((v) => (
                  <td key={v}>{d.distribution[v]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Kommentarer</h2>
      {r.comments.length ? (
        r.questions.map((q, i) => (
          <section key={q}>
            <h3>{q}</h3>
            <ul>
              {r.comments
                .filter((c) => c.question === i + 1)
                .map((c, n) => (
                  <li key={n}>{c.text}</li>
                ))}
            </ul>
          </section>
        ))
      ) : (
        <p>Kommentarer visas när minst tre andra har svarat.</p>
      )}
      {r.isOwner && r.ownComments.length ? (
        <>
          <h2>Dina egna svar med egna ord</h2>
          <ul>
            {r.ownComments.map((c, n) => (
              <li key={n}>
                <strong>{r.questions[c.question - 1]}</strong> {c.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
