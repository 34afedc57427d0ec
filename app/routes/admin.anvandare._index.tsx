import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { listUsers } from "~/domain/users.server";
import { roleLabels } from "~/ui/roles";

export const meta: MetaFunction = () => [{ title: "Användare – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.slice(0, 100) ?? "";
  const page = Number(url.searchParams.get("sida")) || 1;
  return { q, ...(await listUsers(ctx, { q, page })) };
}

export default function Users() {
  const { q, users, page, pageCount, total } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <div className="page-header">
        <h1>Användare</h1>
        <div className="actions">
          <Link className="button" to="/admin/anvandare/ny">
            Ny användare
          </Link>
          <Link className="button button--secondary" to="/admin/logg">
            Händelselogg
          </Link>
        </div>
      </div>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">Sök på namn eller e-post</label>
          <input id="q" name="q" type="search" defaultValue={q} />
        </div>
        <button type="submit" className="button button--secondary">
          Sök
        </button>
      </Form>
      <p className="muted">{total} användare</p>
      {users.length === 0 ? (
        <p className="empty">Inga användare matchar sökningen.</p>
      ) : (
        <TableWrap label="Användare och deras roller">
          <table>
            <caption className="visually-hidden">Användare och deras roller</caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">E-post</th>
                <th scope="col">Roller</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    <Link to={`/admin/anvandare/${u.id}`}>{u.name}</Link>
                  </th>
                  <td>{u.email}</td>
                  <td>
                    {u.grants.map((g) => (
                      <span key={g.id} className="badge">
                        {roleLabels[g.role]}
                        {g.municipality ? `, ${g.municipality}` : ""}
                        {g.programme ? `, ${g.programme}` : ""}
                      </span>
                    ))}
                  </td>
                  <td>{u.disabled_at ? <span className="badge badge--danger">Inaktiverad</span> : "Aktiv"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {pageCount > 1 ? (
        <nav className="pagination" aria-label="Sidor">
          {page > 1 ? <Link to={`?q=${encodeURIComponent(q)}&sida=${page - 1}`}>Föregående sida</Link> : null}
          <span>
            Sida {page} av {pageCount}
          </span>
          {page < pageCount ? <Link to={`?q=${encodeURIComponent(q)}&sida=${page + 1}`}>Nästa sida</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
