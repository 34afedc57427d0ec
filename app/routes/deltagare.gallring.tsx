import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { listDueForAnonymisation } from "~/domain/retention.server";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Att gallra – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const page = Number(new URL(request.url).searchParams.get("sida"));
  return listDueForAnonymisation(ctx, { page: Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1 });
}

export default function DueForAnonymisation() {
  const list = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <div className="page privacy-page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/deltagare">Deltagare</Link>
          </li>
          <li aria-current="page">Att gallra</li>
        </ol>
      </nav>
      <h1>Att gallra</h1>
      <p className="lead">
        Avslutade deltagare i {list.municipality.name} kommun vars gallringsfrist har gått ut i alla program de deltagit i. De
        kan nu anonymiseras; statistiken påverkas inte.
      </p>
      <div role="status">
        {searchParams.get("anonymiserad") ? <div className="alert alert--success">Deltagaren är anonymiserad.</div> : null}
      </div>

      {list.total === 0 ? (
        <p className="empty">Ingen deltagare behöver gallras just nu.</p>
      ) : (
        <>
          <p>
            {list.total === 1 ? "1 deltagare" : `${list.total} deltagare`} kan anonymiseras. Varje anonymisering bekräftas på
            en egen sida.
          </p>
          <TableWrap label="Deltagare att gallra">
            <table>
              <caption className="visually-hidden">Deltagare vars gallringsfrist har gått ut</caption>
              <thead>
                <tr>
                  <th scope="col">Namn</th>
                  <th scope="col">Avslutad</th>
                  <th scope="col">Program</th>
                  <th scope="col">Kan anonymiseras från</th>
                  <th scope="col">
                    <span className="visually-hidden">Åtgärd</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/deltagare/${p.id}`}>
                        {p.firstName} {p.lastName}
                      </Link>
                    </th>
                    <td>{formatDate(p.endedOn)}</td>
                    <td>{p.programmeNames.join(", ") || "Inget program"}</td>
                    <td>{formatDate(p.anonymisableFrom)}</td>
                    <td>
                      <Link to={`/deltagare/${p.id}/anonymisera?tillbaka=gallring`} className="button button--danger button--small">
                        Anonymisera<span className="visually-hidden"> {p.firstName} {p.lastName}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.pageCount > 1 ? (
            <nav className="pagination" aria-label="Sidor">
              {list.page > 1 ? <Link to={`/deltagare/gallring?sida=${list.page - 1}`}>Föregående sida</Link> : null}
              <span>
                Sida {list.page} av {list.pageCount}
              </span>
              {list.page < list.pageCount ? <Link to={`/deltagare/gallring?sida=${list.page + 1}`}>Nästa sida</Link> : null}
            </nav>
          ) : null}
        </>
      )}
      {list.waiting > 0 ? (
        <p>
          {list.waiting === 1 ? "1 avslutad deltagare" : `${list.waiting} avslutade deltagare`} väntar på att gallringsfristen ska
          gå ut{list.nextDate ? `; nästa från och med ${formatDate(list.nextDate)}` : ""}.
        </p>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
