import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { SortHeader } from "~/components/sort-header";
import { listParticipants } from "~/domain/participants.server";
import { participantListQuerySchema, type ParticipantStatusFilter } from "~/schemas/participants";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Deltagare – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const url = new URL(request.url);
  const query = participantListQuerySchema.parse(Object.fromEntries(url.searchParams));
  return listParticipants(ctx, query);
}

const statusOptions: { value: ParticipantStatusFilter; label: string }[] = [
  { value: "active", label: "Aktiva" },
  { value: "ended", label: "Avslutade" },
  { value: "all", label: "Alla" },
];

function searchString(filter: { q: string; status: ParticipantStatusFilter; sortera: string; ordning: string }, page?: number): string {
  const params = new URLSearchParams();
  if (filter.q) params.set("q", filter.q);
  if (filter.status !== "active") params.set("status", filter.status);
  if (filter.sortera !== "namn" || filter.ordning !== "stigande") {
    params.set("sortera", filter.sortera);
    params.set("ordning", filter.ordning);
  }
  if (page && page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export default function ParticipantsPage() {
  const list = useLoaderData<typeof loader>();
  const { filter } = list;
  const statusLabel = statusOptions.find((o) => o.value === filter.status)!.label.toLowerCase();
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Deltagare</h1>
          <p className="lead">{list.municipality.name} kommun</p>
        </div>
        <div className="actions">
          <Link to="/deltagare/ny" className="button">
            Lägg till deltagare
          </Link>
          <Link to="/deltagare/import" className="button button--secondary">
            Läs in från fil
          </Link>
          <Link to="/deltagare/gallring" className="button button--secondary">
            Att gallra
          </Link>
        </div>
      </div>

      <Form method="get" className="filters" role="search" aria-label="Sök deltagare">
        <div className="field">
          <label htmlFor="participant-search">Sök namn, e-post eller förvaltning</label>
          <input id="participant-search" type="search" name="q" defaultValue={filter.q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="participant-status">Visa</label>
          <select id="participant-status" name="status" defaultValue={filter.status}>
            {statusOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        {filter.sortera !== "namn" || filter.ordning !== "stigande" ? (
          <>
            <input type="hidden" name="sortera" value={filter.sortera} />
            <input type="hidden" name="ordning" value={filter.ordning} />
          </>
        ) : null}
        <button type="submit" className="button button--secondary">
          Sök
        </button>
      </Form>

      {list.totalInMunicipality === 0 ? (
        <div className="empty">
          <p>Kommunen har inga deltagare ännu.</p>
          <p>
            <Link to="/deltagare/ny">Lägg till en deltagare</Link> eller <Link to="/deltagare/import">läs in flera från en fil</Link>.
          </p>
        </div>
      ) : list.total === 0 ? (
        <p className="empty">
          Inga {statusLabel === "alla" ? "" : `${statusLabel} `}deltagare matchar sökningen.{" "}
          <Link to="/deltagare?status=all">Visa alla deltagare</Link>
        </p>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {list.total} deltagare
            {filter.q ? ` matchar ”${filter.q}”` : ""}. <a href={`/deltagare.csv${searchString(filter)}`}>Exportera listan till CSV</a>
          </p>
          <TableWrap label="Deltagare">
            <table className="participant-table">
              <caption className="visually-hidden">
                Deltagare i {list.municipality.name} kommun, sida {list.page} av {list.pageCount}
              </caption>
              <thead>
                <tr>
                  <SortHeader sort={filter} column="namn" label="Namn" />
                  <SortHeader sort={filter} column="epost" label="E-post" />
                  <SortHeader sort={filter} column="forvaltning" label="Förvaltning" />
                  <th scope="col">Personnummer</th>
                  <SortHeader sort={filter} column="status" label="Status" />
                </tr>
              </thead>
              <tbody>
                {list.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/deltagare/${p.id}`}>
                        {p.lastName}, {p.firstName}
                      </Link>
                    </th>
                    <td>{p.email}</td>
                    <td>{p.department}</td>
                    <td className="nowrap">{p.personnummerMasked ?? <span className="muted">Inte angivet</span>}</td>
                    <td>
                      {p.endedOn ? (
                        <span className="badge">Avslutad {formatDate(p.endedOn)}</span>
                      ) : (
                        <span className="badge badge--success">Aktiv</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.pageCount > 1 ? (
            <nav className="pagination" aria-label="Sidor">
              {list.page > 1 ? <Link to={`/deltagare${searchString(filter, list.page - 1)}`}>Föregående sida</Link> : null}
              <span>
                Sida {list.page} av {list.pageCount}
              </span>
              {list.page < list.pageCount ? <Link to={`/deltagare${searchString(filter, list.page + 1)}`}>Nästa sida</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
