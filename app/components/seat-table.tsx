import { TableWrap } from "~/components/table-wrap";
import type { SeatCounts, SeatRow } from "~/domain/cohorts.server";

/** Seats per municipality and how they are used. "Lediga" = platser minus anmälda, antagna, aktiva och avslutade. */
export function SeatTable({ seats, totals, caption }: { seats: SeatRow[]; totals?: SeatCounts; caption: string }) {
  const columns: { key: keyof SeatCounts; label: string }[] = [
    { key: "seats", label: "Platser" },
    { key: "nominated", label: "Anmälda" },
    { key: "accepted", label: "Antagna" },
    { key: "active", label: "Aktiva" },
    { key: "completed", label: "Avslutade" },
    { key: "free", label: "Lediga" },
    { key: "waitlisted", label: "På väntelista" },
  ];
  return (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Kommun</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" className="num">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {seats.map((s) => (
            <tr key={s.municipalityId}>
              <th scope="row">{s.municipality}</th>
              {columns.map((c) => (
                <td key={c.key} className="num">
                  {s[c.key]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {totals ? (
          <tfoot>
            <tr>
              <th scope="row">Totalt</th>
              {columns.map((c) => (
                <td key={c.key} className="num">
                  {totals[c.key]}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </TableWrap>
  );
}
