import { reportLineActivity } from "~/ui/labels";
import { formatDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";

interface Line {
  source: "session" | "own_activity";
  sourceId: number;
  date: string;
  kind: string | null;
  title: string;
  minutes: number;
}

/** A monthly time report's hours per date and activity, with the actual and the reported (rounded) sum. */
export function TimeReportLines({
  lines,
  rawMinutes,
  minutes,
  caption,
  captionHidden = false,
}: {
  lines: Line[];
  rawMinutes: number;
  minutes: number;
  caption: string;
  captionHidden?: boolean;
}) {
  return (
    <table>
      <caption className={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Datum</th>
          <th scope="col">Aktivitet</th>
          <th scope="col" className="num">
            Timmar
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.length === 0 ? (
          <tr>
            <td colSpan={3}>Inga timmar den här månaden.</td>
          </tr>
        ) : (
          lines.map((l) => (
            <tr key={`${l.source}-${l.sourceId}`}>
              <th scope="row">{formatDate(l.date)}</th>
              <td>{reportLineActivity(l)}</td>
              <td className="num">{formatHours(l.minutes)}</td>
            </tr>
          ))
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            Summa faktisk tid
          </th>
          <td className="num">{formatHours(rawMinutes)}</td>
        </tr>
        <tr>
          <th scope="row" colSpan={2}>
            Redovisade timmar (avrundat)
          </th>
          <td className="num">
            <strong>{formatHours(minutes)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
