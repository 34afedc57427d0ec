import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { cohortEvaluationResults } from "~/domain/evaluations.server";
import { evaluationPublicationNote, formatMean, formatRate, thresholdNote } from "~/ui/evaluations";
import { formatDate } from "~/utils/format";
import { idParam } from "~/utils/params";

export const meta: MetaFunction = () => [{ title: "Utvärderingar – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return cohortEvaluationResults(ctx, idParam(params.cohortId));
}

export const ErrorBoundary = RouteErrorBoundary;

export default function EvaluationResults() {
  const data = useLoaderData<typeof loader>();
  const statements = data.cohortTotal.statements.map((s) => s.text);
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${data.programme.id}`}>{data.programme.name}</Link>
          </li>
          <li>
            <Link to={`/omgangar/${data.cohort.id}`}>{data.cohort.name}</Link>
          </li>
          <li aria-current="page">Utvärderingar</li>
        </ol>
      </nav>
      <h1>Utvärderingar, {data.cohort.name}</h1>
      <p className="lead">Deltagarnas svar efter varje träff, på en skala från 1 (instämmer inte alls) till 5 (instämmer helt). Medelvärden.</p>
      <p>{thresholdNote(data.minAnswers)}</p>
      <p>{evaluationPublicationNote}</p>

      <section aria-labelledby="cohort-total">
        <h2 id="cohort-total">Hela omgången</h2>
        {data.cohortTotal.shown ? (
          <>
            <p>
              {data.cohortTotal.answers} svar av {data.cohortTotal.invited} tillfrågade ({formatRate(data.cohortTotal.answers, data.cohortTotal.invited)}) från{" "}
              {data.cohortTotal.sessionsShown} {data.cohortTotal.sessionsShown === 1 ? "träff" : "träffar"}
              {data.cohortTotal.sessionsHidden ? `; ${data.cohortTotal.sessionsHidden} med för få svar räknas inte med` : ""}.
            </p>
            <ul>
              {data.cohortTotal.statements.map((s) => (
                <li key={s.text}>
                  {s.text} <strong>{formatMean(s.mean)}</strong>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="empty">Inga resultat visas ännu: en träff visas när minst {data.minAnswers} har svarat och svarstiden har gått ut.</p>
        )}
      </section>

      <section aria-labelledby="per-session">
        <h2 id="per-session">Per träff</h2>
        {data.sessions.length ? (
          <TableWrap label="Utvärderingar per träff">
            <table>
              <thead>
                <tr>
                  <th scope="col">Träff</th>
                  <th scope="col">Svar</th>
                  {statements.map((t, i) => (
                    <th key={i} scope="col">
                      {t}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      {s.title}
                      <br />
                      <span className="muted">{formatDate(s.startsAt)}</span>
                    </th>
                    <td>
                      {s.answersCloseAt
                        ? `Visas när svarstiden har gått ut den ${formatDate(s.answersCloseAt)}`
                        : s.shown
                          ? `${s.answers} av ${s.invited}`
                          : `färre än ${data.minAnswers} av ${s.invited}`}
                    </td>
                    {s.statements.map((st, i) => (
                      <td key={i}>{formatMean(st.mean)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p className="empty">Inga träffar har utvärderats ännu.</p>
        )}
      </section>

      <section aria-labelledby="comments">
        <h2 id="comments">Kommentarer</h2>
        <p className="muted">Utan namn och i slumpad ordning, bara från träffar med minst {data.minAnswers} svar.</p>
        {data.cohortTotal.comments.length ? (
          <ul>
            {data.cohortTotal.comments.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        ) : (
          <p className="empty">Inga kommentarer att visa.</p>
        )}
      </section>
    </div>
  );
}
