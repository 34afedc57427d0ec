import { Fragment } from "react";
import { TableWrap } from "~/components/table-wrap";
import type { ExtractSection, ExtractValue } from "~/ui/register-extract";
import { formatDate, formatDateTime } from "~/utils/format";

function show(value: ExtractValue): string {
  if (value === null || value === "") return "–";
  if (typeof value === "number") return String(value);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTime(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  return value;
}

/** The sections of a registerutdrag, readable on screen and on paper. */
export function RegisterExtractSections({ sections }: { sections: ExtractSection[] }) {
  return (
    <>
      {sections.map((s) => {
        const headingId = `extract-${s.key}`;
        return (
          <section key={s.key} aria-labelledby={headingId} className="extract-section">
            <h2 id={headingId}>{s.title}</h2>
            <p className="hint">{s.description}</p>
            {s.rows.length === 0 ? (
              <p className="empty">Inga uppgifter.</p>
            ) : s.single ? (
              <dl className="facts">
                {s.columns.map((c) => (
                  <Fragment key={c.key}>
                    <dt>{c.label}</dt>
                    <dd>{show(s.rows[0][c.key] ?? null)}</dd>
                  </Fragment>
                ))}
              </dl>
            ) : (
              <TableWrap label={`Tabell: ${s.title}`}>
                <table aria-labelledby={headingId}>
                  <thead>
                    <tr>
                      {s.columns.map((c) => (
                        <th key={c.key} scope="col">
                          {c.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {s.rows.map((row, i) => (
                      <tr key={i}>
                        {s.columns.map((c) => (
                          <td key={c.key}>{show(row[c.key] ?? null)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
        );
      })}
    </>
  );
}
