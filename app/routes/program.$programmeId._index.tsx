import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { getProgramme } from "~/domain/programmes.server";
import { fundingLabels, programmeKindLabels } from "~/ui/labels";
import { formatDate } from "~/utils/format";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.name ?? "Program"} – Programportalen` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getProgramme(ctx, idParam(params.programmeId));
}

export default function ProgrammePage() {
  const p = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li aria-current="page">{p.name}</li>
        </ol>
      </nav>
      <div className="page-header">
        <h1>{p.name}</h1>
        <div className="actions">
          {p.canReadEffects ? (
            <Link to={`/program/${p.id}/effektrapport`} className="button button--secondary">
              Effektrapport
            </Link>
          ) : null}
          {p.canEdit ? (
            <Link to={`/program/${p.id}/redigera`} className="button button--secondary">
              Redigera program
            </Link>
          ) : null}
          {p.canCreateCohort ? (
            <>
              <Link to={`/program/${p.id}/kostnader`} className="button button--secondary">
                Kostnader och regler
              </Link>
              <Link to={`/program/${p.id}/gallring`} className="button button--secondary">
                Gallring
              </Link>
              <Link to={`/program/${p.id}/utvardering`} className="button button--secondary">
                Utvärdering av träffar
              </Link>
              <Link to={`/program/${p.id}/mal`} className="button button--secondary">
                Programmets mål
              </Link>
              <Link to={`/program/${p.id}/aterkoppling`} className="button button--secondary">
                360-återkoppling
              </Link>
              <Link to={`/program/${p.id}/omgangar/ny`} className="button">
                Ny omgång
              </Link>
            </>
          ) : null}
        </div>
      </div>
      <section className="panel" aria-labelledby="facts">
        <h2 id="facts" className="visually-hidden">
          Om programmet
        </h2>
        <dl className="facts">
          <dt>Typ</dt>
          <dd>{programmeKindLabels[p.kind]}</dd>
          <dt>Finansiering</dt>
          <dd>{fundingLabels[p.funding]}</dd>
          {p.esfProjectNumber ? (
            <>
              <dt>ESF-projektnummer</dt>
              <dd>{p.esfProjectNumber}</dd>
            </>
          ) : null}
          <dt>Period</dt>
          <dd>
            {formatDate(p.startsOn)} – {formatDate(p.endsOn)}
          </dd>
          <dt>Ägare</dt>
          <dd>{p.ownerName}</dd>
          <dt>Partnerkommuner</dt>
          <dd>{p.partners.map((m) => m.name).join(", ")}</dd>
        </dl>
        {p.description ? <p>{p.description}</p> : null}
      </section>

      <h2>Omgångar</h2>
      {p.cohorts.length === 0 ? (
        <p className="empty">Programmet har inga omgångar ännu.</p>
      ) : (
        <TableWrap label="Programmets omgångar">
          <table>
            <caption className="visually-hidden">Programmets omgångar</caption>
            <thead>
              <tr>
                <th scope="col">Omgång</th>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  Platser
                </th>
                <th scope="col" className="num">
                  I omgången
                </th>
                <th scope="col" className="num">
                  På väntelista
                </th>
              </tr>
            </thead>
            <tbody>
              {p.cohorts.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/omgangar/${c.id}`}>{c.name}</Link>
                  </th>
                  <td>
                    {formatDate(c.startsOn)} – {formatDate(c.endsOn)}
                  </td>
                  <td className="num">{c.seats}</td>
                  <td className="num">{c.enrolled}</td>
                  <td className="num">{c.waitlisted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
