import { Link, useSearchParams } from "@remix-run/react";
import type { TableSort } from "~/schemas/table-sort";
import { ariaSort, sortHref } from "~/ui/table-sort";

/** A column header that sorts the table on the server: a link, with aria-sort on the current column. */
export function SortHeader<K extends string>({ sort, column, label, className }: { sort: TableSort<K>; column: K; label: string; className?: string }) {
  const [params] = useSearchParams();
  const state = ariaSort(sort, column);
  return (
    <th scope="col" aria-sort={state} className={className}>
      <Link to={sortHref(params, sort, column)} className="sort-link" preventScrollReset>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {state === "ascending" ? " ▲" : state === "descending" ? " ▼" : ""}
        </span>
      </Link>
    </th>
  );
}
