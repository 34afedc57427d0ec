import type { StatTable } from "~/ui/statistics-report";
import { TableWrap } from "./table-wrap";

/** One statistics table; the same rows and numbers the downloads carry. */
export function StatTableView({ table }: { table: StatTable }) {
  return (
    <TableWrap label={table.title}>
      <table className="stat-table" data-table={table.key}>
        <caption>{table.title}</caption>
        <thead>
          <tr>
            <th scope="col">{table.rowHeader}</th>
            {table.columns.map((c) => (
              <th scope="col" className="num" key={c.key}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {r.cells.map((cell, i) => (
                <td className="num" key={table.columns[i].key}>
                  {cell.text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {table.total ? (
          <tfoot>
            <tr>
              <th scope="row">{table.total.label}</th>
              {table.total.cells.map((cell, i) => (
                <td className="num" key={table.columns[i].key}>
                  {cell.text}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </TableWrap>
  );
}
