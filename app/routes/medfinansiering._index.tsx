import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { ProgrammeSelect } from "~/components/programme-select";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { getCofinancing } from "~/domain/cofinancing.server";
import { formatMonth, stockholmToday } from "~/utils/format";
import { formatHours, formatKronor, isMonth } from "~/utils/hours";

export const meta: MetaFunction = () => [{ title: "Medfinansiering – Programportalen" }];

function filters(request: Request) {
  const params = new URL(request.url).searchParams;
  const thisYear = Number(stockholmToday().slice(0, 4));
  const year = Number(params.get("ar"));
  const programme = params.get("program") ?? "";
  const month = params.get("manad") ?? "";
  return {
    thisYear,
    year: Number.isInteger(year) && year >= thisYear - 5 && year <= thisYear ? year : thisYear,
    programmeId: /^\d{1,9}$/.test(programme) ? Number(programme) : undefined,
    month: isMonth(month) ? month : undefined,
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const f = filters(request);
  const data = await getCofinancing(ctx, { programmeId: f.programmeId, year: f.year, month: f.month?.startsWith(String(f.year)) ? f.month : undefined });
  return { ...data, month: f.month ?? "", years: [f.thisYear, f.thisYear - 1, f.thisYear - 2] };
}

export default function Cofinancing() {
  const data = useLoaderData<typeof loader>();
  const months = [...new Set(data.totals.map((t) => t.month))].sort();
  const municipalities = [...new Set(data.totals.map((t) => t.municipalityName))].sort((a, b) => a.localeCompare(b, "sv"));
  const csvHref = `/medfinansiering.csv?program=${data.programmeId}&ar=${data.year}`;
  const query = (month: string) => `/medfinansiering?program=${data.programmeId}&ar=${data.year}&manad=${month}`;

  return (
    <div className="page">
      <div className="page-header">
        <h1>Medfinansiering</h1>
        <div className="actions">
          <a href={csvHref} className="button button--secondary" download>
            Ladda ner CSV för utbetalningsansökan
          </a>
        </div>
      </div>
      <p className="lead">
        Attesterade timmar gånger programmets timkostnad för deltagarens lönegrupp och år, som de var när tidrapporten attesterades.{" "}
        {data.scope === "municipality" ? "Du ser din kommuns deltagare." : "Du ser hela programmet."}
      </p>

      <Form method="get" className="filters">
        {data.programmes.length > 1 ? (
          <ProgrammeSelect programmes={data.programmes} selected={data.programmeId} />
        ) : (
          <input type="hidden" name="program" value={data.programmeId} />
        )}
        <div className="field">
          <label htmlFor="ar">År</label>
          <select id="ar" name="ar" defaultValue={data.year}>
            {data.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Visa
        </button>
      </Form>

      {data.missingCosts.length ? (
        <div className="alert alert--warning">
          <p>Timkostnad saknas för lönegrupp och år: {data.missingCosts.join(", ")}. De timmarna räknas som 0 kr tills kostnaden är satt.</p>
        </div>
      ) : null}

      <div className="cards">
        <div className="card">
          <h2>Attesterade timmar {data.year}</h2>
          <p className="figure">{formatHours(data.totalMinutes)} tim</p>
        </div>
        <div className="card">
          <h2>Värde {data.year}</h2>
          <p className="figure">{formatKronor(data.totalValueOre)}</p>
        </div>
      </div>

      {data.flaggedRows.length ? (
        <section aria-labelledby="review-heading" className="panel">
          <h2 id="review-heading">Väntar på granskning, räknas inte i summan</h2>
          <p>
            {data.flaggedRows.length === 1
              ? "En attesterad tidrapport är markerad ”Behöver granskas”"
              : `${data.flaggedRows.length} attesterade tidrapporter är markerade ”Behöver granskas”`}{" "}
            eftersom en tidigare månad öppnades igen: {formatHours(data.flaggedMinutes)} tim, {formatKronor(data.flaggedValueOre)}.{" "}
            {data.flaggedRows.length === 1
              ? "Den räknas in när samordnaren har markerat den som granskad."
              : "De räknas in när samordnaren har markerat dem som granskade."}
          </p>
          <TableWrap label="Tidrapporter som väntar på granskning">
            <table aria-labelledby="review-heading">
              <thead>
                <tr>
                  <th scope="col">Månad</th>
                  <th scope="col">Deltagare</th>
                  <th scope="col">Kommun</th>
                  <th scope="col" className="num">
                    Timmar
                  </th>
                  <th scope="col" className="num">
                    Värde
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.flaggedRows.map((r) => (
                  <tr key={r.reportId}>
                    <th scope="row">{formatMonth(`${r.month}-15`)}</th>
                    <td>{data.scope === "municipality" ? <Link to={`/tidrapporter/${r.reportId}`}>{r.participantName}</Link> : r.participantName}</td>
                    <td>{r.municipalityName}</td>
                    <td className="num">{formatHours(r.minutes)}</td>
                    <td className="num">{formatKronor(r.valueOre)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      ) : null}

      {data.totals.length === 0 ? (
        <p className="empty">Inga attesterade tidrapporter för {data.year}.</p>
      ) : (
        <TableWrap label="Medfinansiering per månad och kommun">
          <table className="matrix matrix--sticky">
            <caption>
              {data.programmeName}: värde och timmar per månad och kommun, {data.year}
            </caption>
            <thead>
              <tr>
                <th scope="col">Månad</th>
                {municipalities.map((m) => (
                  <th scope="col" className="num" key={m}>
                    {m}
                  </th>
                ))}
                {municipalities.length > 1 ? (
                  <th scope="col" className="num">
                    Summa
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {months.map((month) => {
                const cells = municipalities.map((m) => data.totals.find((t) => t.month === month && t.municipalityName === m));
                const sum = cells.reduce((acc, c) => ({ minutes: acc.minutes + (c?.minutes ?? 0), valueOre: acc.valueOre + (c?.valueOre ?? 0) }), { minutes: 0, valueOre: 0 });
                return (
                  <tr key={month}>
                    <th scope="row">
                      <Link to={query(month)} aria-label={`${formatMonth(`${month}-15`)}: visa deltagarna`}>
                        {formatMonth(`${month}-15`)}
                      </Link>
                    </th>
                    {cells.map((c, i) => (
                      <td className="num" key={municipalities[i]}>
                        {c ? <MoneyCell minutes={c.minutes} valueOre={c.valueOre} /> : "–"}
                      </td>
                    ))}
                    {municipalities.length > 1 ? (
                      <td className="num">
                        <MoneyCell minutes={sum.minutes} valueOre={sum.valueOre} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}

      {months.length ? (
        <section aria-labelledby="participants-heading">
          <h2 id="participants-heading">{data.month ? `Deltagare ${formatMonth(`${data.month}-15`)}` : "Deltagare per månad"}</h2>
          {!data.month ? (
            <p>Välj en månad i tabellen ovan för att se deltagarna.</p>
          ) : data.monthRows.length === 0 ? (
            <p className="empty">Inga attesterade tidrapporter den månaden.</p>
          ) : (
            <TableWrap label="Medfinansiering per deltagare">
              <table aria-labelledby="participants-heading">
                <thead>
                  <tr>
                    <th scope="col">Deltagare</th>
                    <th scope="col">Kommun</th>
                    <th scope="col">Lönegrupp</th>
                    <th scope="col" className="num">
                      Timmar
                    </th>
                    <th scope="col" className="num">
                      Timkostnad
                    </th>
                    <th scope="col" className="num">
                      Värde
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.monthRows.map((r) => (
                    <tr key={r.reportId}>
                      <th scope="row">
                        {r.participantName}
                        {r.needsReview ? (
                          <>
                            {" "}
                            <span className="badge badge--warning">Granska</span>
                          </>
                        ) : null}
                      </th>
                      <td>{r.municipalityName}</td>
                      <td>{r.salaryGroup || "–"}</td>
                      <td className="num">{formatHours(r.minutes)}</td>
                      <td className="num">{r.hourlyCostOre == null ? "saknas" : formatKronor(r.hourlyCostOre)}</td>
                      <td className="num">{formatKronor(r.valueOre)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      ) : null}
    </div>
  );
}

function MoneyCell({ minutes, valueOre }: { minutes: number; valueOre: number }) {
  return (
    <>
      {formatKronor(valueOre)}
      <br />
      <span className="muted">{formatHours(minutes)} tim</span>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
