import { Fragment } from "react";
import { TableWrap } from "~/components/table-wrap";
import { EXTRACT_GROUPS, type ExtractFormat, type ExtractGroup, type ExtractSection, type ExtractValue } from "~/ui/register-extract";
import { formatDate, formatDateTime, formatMonth } from "~/utils/format";
import { formatHours, formatKronor } from "~/utils/hours";

function show(value: ExtractValue, format?: ExtractFormat): string {
  if (value === null || value === "") return "–";
  if (typeof value === "number") {
    if (format === "minutes") return `${formatHours(value)} tim`;
    if (format === "ore") return formatKronor(value);
    return String(value);
  }
  if (format === "month" && /^\d{4}-\d{2}$/.test(value)) return formatMonth(`${value}-01`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTime(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  return value;
}

function Section({ section: s }: { section: ExtractSection }) {
  const headingId = `extract-${s.key}`;
  // Internal ids stay in the downloaded file, where they tie the sections together; on the page they say nothing.
  const columns = s.columns.filter((c) => c.format !== "id");
  return (
    <section aria-labelledby={headingId} className="extract-section">
      <h3 id={headingId}>{s.title}</h3>
      <p className="hint">{s.description}</p>
      {s.rows.length === 0 ? (
        <p className="empty">Inga uppgifter.</p>
      ) : s.single ? (
        <dl className="facts">
          {columns.map((c) => (
            <Fragment key={c.key}>
              <dt>{c.label}</dt>
              <dd>{show(s.rows[0][c.key] ?? null, c.format)}</dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <TableWrap label={`Tabell: ${s.title}`}>
          <table aria-labelledby={headingId} className="extract-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {s.rows.map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c.key} data-label={c.label}>
                      {show(row[c.key] ?? null, c.format)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

/** The sections of a registerutdrag, grouped by what they are, readable on screen and on paper. */
export function RegisterExtractSections({ sections }: { sections: ExtractSection[] }) {
  const groups = (Object.keys(EXTRACT_GROUPS) as ExtractGroup[])
    .map((group) => ({ group, sections: sections.filter((s) => s.group === group) }))
    .filter((g) => g.sections.length > 0);
  return (
    <>
      <nav aria-label="Innehåll" className="extract-contents">
        <h2 className="visually-hidden">Innehåll</h2>
        <ul>
          {groups.map((g) => (
            <li key={g.group}>
              <a href={`#grupp-${g.group}`}>{EXTRACT_GROUPS[g.group]}</a>
            </li>
          ))}
        </ul>
      </nav>
      {groups.map((g) => (
        <section key={g.group} aria-labelledby={`grupp-${g.group}`} className="extract-group">
          <h2 id={`grupp-${g.group}`}>{EXTRACT_GROUPS[g.group]}</h2>
          {g.sections.map((s) => (
            <Section key={s.key} section={s} />
          ))}
        </section>
      ))}
    </>
  );
}
