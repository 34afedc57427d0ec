import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { listProgrammes } from "~/domain/programmes.server";
import { fundingLabels, programmeKindLabels } from "~/ui/labels";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Program – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const page = Number(new URL(request.url).searchParams.get("sida") ?? "1");
  return listProgrammes(ctx, { page: Number.isFinite(page) ? page : 1 });
}

export default function Programmes() {
  const { items, page, pageCount, total, canCreate } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <div className="page-header">
        <h1>Program</h1>
        {canCreate ? (
          <div className="actions">
            <Link to="/program/ny" className="button">
              Nytt program
            </Link>
          </div>
        ) : null}
      </div>
      {items.length === 0 ? (
        <p className="empty">Det finns inga program som du har tillgång till ännu.</p>
      ) : (
        <>
          <TableWrap label="Program">
            <table>
              <caption>
                {total} program{pageCount > 1 ? `, sida ${page} av ${pageCount}` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Namn</th>
                  <th scope="col">Typ</th>
                  <th scope="col">Finansiering</th>
                  <th scope="col">Ägare</th>
                  <th scope="col">Period</th>
                  <th scope="col" className="num">
                    Kommuner
                  </th>
                  <th scope="col" className="num">
                    Omgångar
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/program/${p.id}`}>{p.name}</Link>
                    </th>
                    <td>{programmeKindLabels[p.kind]}</td>
                    <td>{fundingLabels[p.funding]}</td>
                    <td>{p.ownerName}</td>
                    <td>
                      {formatDate(p.startsOn)} – {formatDate(p.endsOn)}
                    </td>
                    <td className="num">{p.partnerCount}</td>
                    <td className="num">{p.cohortCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {pageCount > 1 ? (
            <nav className="pagination" aria-label="Sidor">
              {page > 1 ? <Link to={`?sida=${page - 1}`}>Föregående sida</Link> : null}
              <span>
                Sida {page} av {pageCount}
              </span>
              {page < pageCount ? <Link to={`?sida=${page + 1}`}>Nästa sida</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
