import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { searchAuditLog } from "~/domain/audit-log.server";
import { auditFilterSchema } from "~/schemas/users";
import { auditDetailText, auditEntityText, auditEventChoices, auditEventLabel } from "~/ui/audit";
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
  const { filter, invalid, entries, total, page, pageCount } = useLoaderData<typeof loader>();
  const query = (p: number) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v != null && k !== "page") sp.set(k, String(v));
    sp.set("sida", String(p));
    return `?${sp}`;
  };
  return (
    <div className="page">
      <h1>Händelselogg</h1>
      <p className="lead">
        Inloggningar, nekad åtkomst och ändringar av uppgifter: vem som gjorde vad och när. Loggen kan inte ändras.
      </p>
      <p>
        Loggen innehåller personuppgifter: den som gjorde något och det som ändrades anges med nummer, till exempel ”deltagare nr
        12”. Namn, e-postadresser och andra uppgifter om deltagare skrivs aldrig in i loggen. Användarnas namn visas här från
        användarregistret; deltagare visas bara med nummer.
      </p>
      <Form method="get" className="filters" role="search" aria-label="Filtrera loggen">
        <div className="field">
          <label htmlFor="person">Person (namn eller e-post)</label>
          <input id="person" name="person" type="search" maxLength={100} defaultValue={filter.person ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="action">Händelse</label>
          <select id="action" name="action" defaultValue={filter.action ?? ""}>
            <option value="">Alla händelser</option>
            {auditEventChoices.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="from">Från och med</label>
          <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="to">Till och med</label>
          <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} />
        </div>
        {filter.actor ? <input type="hidden" name="actor" value={filter.actor} /> : null}
        {filter.entityId ? <input type="hidden" name="entityId" value={filter.entityId} /> : null}
        <button type="submit" className="button button--secondary">
          Sök
        </button>
      </Form>
      {invalid ? (
        <p className="alert alert--error" role="alert">
          {invalid} Filtret används inte.
        </p>
      ) : null}
      <p className="muted">{total === 1 ? "1 händelse" : `${total} händelser`}</p>
      {entries.length === 0 ? (
        <p className="empty">Inga händelser matchar sökningen.</p>
      ) : (
        <TableWrap label="Händelser, senaste först">
          <table className="audit-log">
            <caption className="visually-hidden">Händelser, senaste först</caption>
            <thead>
              <tr>
                <th scope="col">Tid</th>
                <th scope="col">Vem</th>
                <th scope="col">Händelse</th>
                <th scope="col">Gäller</th>
                <th scope="col">Kommun</th>
                <th scope="col">Detaljer</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{formatDateTime(e.at)}</td>
                  <td>
                    {e.actorId ? (
                      <Link to={`/admin/anvandare/${e.actorId}`}>{e.actorName || e.actorEmail || `Användare nr ${e.actorId}`}</Link>
                    ) : (
                      <span className="muted">Ingen inloggad</span>
                    )}
                  </td>
                  <td>{auditEventLabel(e.action)}</td>
                  <td>{e.subjectName ? `Användare: ${e.subjectName}` : (auditEntityText(e.entity, e.entityId) ?? "–")}</td>
                  <td>{e.municipality ?? "–"}</td>
                  <td>{auditDetailText(e.detail) || "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {pageCount > 1 ? (
        <nav className="pagination" aria-label="Sidor">
          {page > 1 ? <Link to={query(page - 1)}>Föregående sida</Link> : null}
          <span>
            Sida {page} av {pageCount}
          </span>
          {page < pageCount ? <Link to={query(page + 1)}>Nästa sida</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
