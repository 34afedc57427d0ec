import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { BarChart } from "~/components/bar-chart";
import { ProgrammeSelect } from "~/components/programme-select";
import { RouteErrorBoundary } from "~/components/route-error";
import { StatTableView } from "~/components/stat-table";
import { getStatisticsCached } from "~/domain/statistics-cache.server";
import { parseStatisticsQuery } from "~/schemas/statistics";
import { refusalText } from "~/utils/action-result.server";
import { basisLabel, chartedRows, exactNote, protectionDetails, protectionNote } from "~/ui/statistics";
import { presentStatistics, type StatTable } from "~/ui/statistics-report";
import { formatDate, formatMonth } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Statistik – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { filter, widenedToMonths } = parseStatisticsQuery(new URL(request.url));
  const result = await getStatisticsCached(ctx, filter);
  if (!result.ok) throw refusalText(result);
  const report = presentStatistics(result.value);
  const query = new URLSearchParams({ program: String(report.programme.id) });
  if (report.cohortId) query.set("omgang", String(report.cohortId));
  if (report.fromMonth) query.set("fran", report.fromMonth);
  if (report.toMonth) query.set("till", report.toMonth);
  // Charts or tables: each figure is shown once, in the form asked for (links, so it works without script).
  const view: "charts" | "tables" = new URL(request.url).searchParams.get("visning") === "tabell" ? "tables" : "charts";
  return { report, widenedToMonths, query: query.toString(), view };
}

export const ErrorBoundary = RouteErrorBoundary;

function chartGroups(table: StatTable, columns: number[], rows: StatTable["rows"] = table.rows) {
  return rows.map((r) => ({
    label: r.label,
    bars: columns.map((c) => ({ series: columns.length > 1 ? table.columns[c].label : undefined, value: r.cells[c].value, text: r.cells[c].text })),
  }));
}

/** Links between the two views of the same figures, keeping the selection. */
function ViewSwitch({ query, view }: { query: string; view: "charts" | "tables" }) {
  return (
    <nav className="view-switch" aria-label="Visa statistiken som">
      <a href={`?${query}`} aria-current={view === "charts" ? "page" : undefined}>
        Diagram
      </a>
      <a href={`?${query}&visning=tabell`} aria-current={view === "tables" ? "page" : undefined}>
        Tabeller
      </a>
    </nav>
  );
}

export default function Statistics() {
  const { report, widenedToMonths, query, view } = useLoaderData<typeof loader>();
  const table = (key: StatTable["key"]) => report.tables.find((t) => t.key === key)!;
  const period = `${report.from ? formatDate(report.from) : "programmets början"} – ${formatDate(report.to)}`;
  const selection = `${report.programme.name}, ${report.cohortName ?? "alla omgångar"}, ${period}`;
  const municipalities = table("municipality");
  const municipalityHours = table("municipalityHours");
  const attendance = table("attendance");
  const outcomes = table("outcomes");
  const breakdownBasis = basisLabel(municipalities.basis, report.breakdownsAsOf);
  const charted = chartedRows(municipalities.rows, 0);
  const chartIsPartial = charted.length < municipalities.rows.length;
  // A year of months in the chart; the table view has them all.
  const months = attendance.rows.slice(-12);
  const charts = view === "charts";
  // A chart of hidden numbers only would be bars of "..": the table says it better.
  const outcomesChartable = outcomes.rows.some((r) => r.cells.some((c) => c.value !== null));

  return (
    <div className="page statistics-page">
      <div className="page-header">
        <h1>Statistik</h1>
        <div className="actions">
          <a className="button button--secondary" href={`/statistik.xlsx?${query}`} download>
            Ladda ner Excel (XLSX)
          </a>
          <a className="button button--secondary" href={`/statistik.csv?${query}`} download>
            Ladda ner CSV
          </a>
        </div>
      </div>
      <p className="lead">
        {report.scope === "programme"
          ? "Deltagande och resultat för hela programmet, bara i sammanställd form."
          : `Din kommuns andel av programmet: ${report.municipalityNames.join(", ")}.`}
      </p>

      <Form method="get" className="filters" aria-label="Urval">
        <ProgrammeSelect programmes={report.programmes} selected={report.programme.id} />
        <div className="field">
          <label htmlFor="omgang">Omgång</label>
          <select id="omgang" name="omgang" defaultValue={report.cohortId ?? ""}>
            <option value="">Alla omgångar</option>
            {report.cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fran">Från månad</label>
          <input id="fran" name="fran" type="month" placeholder="ÅÅÅÅ-MM" pattern="\d{4}-\d{2}" defaultValue={report.fromMonth ?? ""} aria-describedby="period-hint" />
        </div>
        <div className="field">
          <label htmlFor="till">Till månad</label>
          <input id="till" name="till" type="month" placeholder="ÅÅÅÅ-MM" pattern="\d{4}-\d{2}" defaultValue={report.toMonth ?? ""} aria-describedby="period-hint" />
        </div>
        {charts ? null : <input type="hidden" name="visning" value="tabell" />}
        <button type="submit" className="button">
          Visa
        </button>
        <p className="hint" id="period-hint">
          Hela månader. Tomt betyder från programmets början och till i dag.
        </p>
      </Form>
      {widenedToMonths.length ? (
        <div className="alert alert--warning" role="status">
          <p>
            Statistiken räknas per hel månad: {widenedToMonths.map((d) => `${formatDate(d)} räknas som ${formatMonth(d)}`).join(", ")}.
          </p>
        </div>
      ) : null}

      <div className="statistics-page__bar">
        <p>
          <strong>Urval:</strong> {selection}.
        </p>
        <ViewSwitch query={query} view={view} />
      </div>

      <section aria-labelledby="key-figures">
        <h2 id="key-figures">Nyckeltal</h2>
        <ul className="stat-figures">
          {report.figures.map((f) => (
            <li key={f.key} className={f.unit === "kronor" ? "stat-figures__wide" : undefined}>
              <span className="stat-figures__label">{f.label}</span>
              <data className="stat-figures__value" value={f.value ?? ""} data-figure={f.key}>
                {f.text}
              </data>
            </li>
          ))}
        </ul>
        <p className="muted">Vad varje tal räknar står under Definitioner längst ned.</p>
      </section>

      <section aria-labelledby="attendance-over-time">
        <h2 id="attendance-over-time">Närvaro över tid</h2>
        {!attendance.rows.length ? (
          <p className="empty">Ingen registrerad närvaro under perioden.</p>
        ) : charts ? (
          <>
            {months.length < attendance.rows.length ? (
              <p className="muted">
                Diagrammet visar de {months.length} senaste månaderna med registrerad närvaro. Alla {attendance.rows.length} månader finns under{" "}
                <a href={`?${query}&visning=tabell`}>Tabeller</a>.
              </p>
            ) : null}
            <BarChart
              title={`Närvarograd per månad${months.length < attendance.rows.length ? `, de ${months.length} senaste månaderna` : ""} – ${selection}`}
              description={months.map((r) => `${r.label}: ${r.cells[2].text}`).join(", ")}
              groups={chartGroups(attendance, [2], months)}
            />
          </>
        ) : (
          <StatTableView table={attendance} />
        )}
      </section>

      <section aria-labelledby="hours-per-municipality">
        <h2 id="hours-per-municipality">Närvaro, timmar och medfinansiering per kommun</h2>
        {municipalityHours.basis === "selection" ? null : <p className="definition">{basisLabel(municipalityHours.basis, report.breakdownsAsOf)}</p>}
        <StatTableView table={municipalityHours} />
      </section>

      <section aria-labelledby="breakdowns">
        <h2 id="breakdowns">Deltagare per kommun, kön, ålder och utbildning</h2>
        <p>
          <strong>{breakdownBasis}</strong>
        </p>
        {report.protectedCounts ? (
          <div className="alert alert--info">
            <p>{protectionNote}</p>
            <details>
              <summary>Så skyddas små tal</summary>
              <ul>
                {protectionDetails.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </details>
          </div>
        ) : (
          <p className="muted">{exactNote}</p>
        )}
        {charts ? (
          <>
            {chartIsPartial ? (
              <p className="muted">
                Diagrammet visar de {charted.length} kommunerna med flest deltagare. Alla {municipalities.rows.length} kommuner finns under{" "}
                <a href={`?${query}&visning=tabell`}>Tabeller</a>.
              </p>
            ) : null}
            <BarChart
              title={`${chartIsPartial ? `De ${charted.length} kommunerna med flest deltagare` : "Deltagare per kommun"} – ${breakdownBasis}`}
              description={charted.map((r) => `${r.label}: ${r.cells[0].text}`).join(", ")}
              groups={chartGroups(municipalities, [0], charted)}
            />
          </>
        ) : (
          <StatTableView table={municipalities} />
        )}
        <div className="stat-tables">
          {(["gender", "age", "education"] as const).map((key) => (
            <StatTableView key={key} table={table(key)} />
          ))}
        </div>
      </section>

      <section aria-labelledby="outcomes">
        <h2 id="outcomes">Utfall efter avslut</h2>
        <p className="definition">{basisLabel(outcomes.basis, report.breakdownsAsOf)}</p>
        {charts && outcomesChartable ? (
          <BarChart
            title={`Utfall 4 veckor och 6 månader efter avslut – ${basisLabel(outcomes.basis, report.breakdownsAsOf)}`}
            description={outcomes.rows.map((r) => `${r.label}: ${r.cells.map((c, i) => `${outcomes.columns[i].label.toLowerCase()} ${c.text}`).join(", ")}`).join("; ")}
            groups={chartGroups(outcomes, [0, 1])}
          />
        ) : (
          <StatTableView table={outcomes} />
        )}
      </section>

      <details className="statistics-page__definitions">
        <summary>
          <h2>Definitioner</h2>
        </summary>
        <dl>
          {report.figures.map((f) => (
            <div key={f.key}>
              <dt>{f.label}</dt>
              <dd>{f.definition}</dd>
            </div>
          ))}
          {report.tables.map((t) => (
            <div key={t.key}>
              <dt>{t.title}</dt>
              <dd>
                {t.definition} {basisLabel(t.basis, report.breakdownsAsOf)}
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
