import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { searchAuditLog } from "~/domain/audit-log.server";
import { auditFilterSchema } from "~/schemas/users";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Händelselogg – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = auditFilterSchema.safeParse({ ...params, page: params.sida });
  const filter = parsed.success ? parsed.data : {};
  return {
    filter,
    invalid: parsed.success ? null : parsed.error.issues[0].message,
    ...(await searchAuditLog(ctx, filter)),
  };
}

export default function AuditLog() {
  const { filter, invalid, entries, total, page, pageCount, actions } = useLoaderData<typeof loader>();
  const query = (p: number) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v != null && k !== "page") sp.set(k, String(v));
    sp.set("sida", String(p));
    return `?${sp}`;
  };
  return (
    <div className="page">
      <h1>Händelselogg</h1>
      <p className="lead">Inloggningar, nekad åtkomst och ändringar av uppgifter. Loggen kan inte ändras och innehåller inga personuppgifter.</p>
      <Form method="get" className="filters" role="search" aria-label="Filtrera loggen">
        <div className="field">
          <label htmlFor="action">Händelse</label>
          <select id="action" name="action" defaultValue={filter.action ?? ""}>
            <option value="">Alla</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="actor">Användar-id</label>
          <input id="actor" name="actor" inputMode="numeric" defaultValue={filter.actor ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="entityId">Post-id</label>
          <input id="entityId" name="entityId" defaultValue={filter.entityId ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="from">Från och med</label>
          <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="to">Till och med</label>
          <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} />
        </div>
        <button type="submit" className="button button--secondary">
          Sök
        </button>
      </Form>
      {invalid ? (
        <p className="alert alert--error" role="alert">
          {invalid}
        </p>
      ) : null}
      <p className="muted">{total} händelser</p>
      {entries.length === 0 ? (
        <p className="empty">Inga händelser matchar sökningen.</p>
      ) : (
        <TableWrap label="Händelser, senaste först">
          <table>
            <caption className="visually-hidden">Händelser, senaste först</caption>
            <thead>
              <tr>
                <th scope="col">Tid</th>
                <th scope="col">Händelse</th>
                <th scope="col">Vem</th>
                <th scope="col">Kommun</th>
                <th scope="col">Post</th>
                <th scope="col">Detaljer</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.action}</td>
                  <td>{e.actor ? <Link to={`/admin/anvandare/${e.actorId}`}>{e.actor}</Link> : "–"}</td>
                  <td>{e.municipality ?? "–"}</td>
                  <td>{e.entity ? `${e.entity} ${e.entityId ?? ""}` : "–"}</td>
                  <td>
                    <code>{e.detail ?? ""}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {pageCount > 1 ? (
        <nav className="pagination" aria-label="Sidor">
          {page > 1 ? <Link to={query(page - 1)}>Föregående</Link> : null}
          <span>
            Sida {page} av {pageCount}
          </span>
          {page < pageCount ? <Link to={query(page + 1)}>Nästa</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
