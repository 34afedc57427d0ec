/** Column header links of a table sorted on the server (schema: app/schemas/table-sort.ts). */
import type { TableSort } from "~/schemas/table-sort";

/** The address of a header link: same filter, this column, the other order when it is the current one. */
export function sortHref<K extends string>(params: URLSearchParams, current: TableSort<K>, key: K): string {
  const next = new URLSearchParams(params);
  next.set("sortera", key);
  next.set("ordning", current.sortera === key && current.ordning === "stigande" ? "fallande" : "stigande");
  // A new order starts again from the first page.
  next.delete("page");
  next.delete("sida");
  return `?${next}`;
}

export function ariaSort<K extends string>(current: TableSort<K>, key: K): "ascending" | "descending" | undefined {
  if (current.sortera !== key) return undefined;
  return current.ordning === "stigande" ? "ascending" : "descending";
}
