/**
 * Server-side sorting of long tables through the address: `?sortera=namn&ordning=fallande`.
 * Works without JavaScript (each column header is a link, app/components/sort-header.tsx)
 * and keeps the client bundle as it is. An unknown column or order falls back to the
 * table's default, never to an error.
 */
import { z } from "zod";

export type SortOrder = "stigande" | "fallande";
export interface TableSort<K extends string> {
  sortera: K;
  ordning: SortOrder;
}

/** The schema of a table's two sort parameters: unknown values fall back to the default. */
export function sortSchema<K extends string>(keys: readonly [K, ...K[]], fallback: K) {
  return {
    sortera: z.enum(keys).catch(fallback),
    ordning: z.enum(["stigande", "fallande"]).catch("stigande"),
  };
}

/**
 * What someone types into a list's search box, as the query uses it: control
 * characters dropped (PostgreSQL refuses a NUL byte in text, which would
 * otherwise answer 500), trimmed.
 */
export const searchTextSchema = (max: number, tooLong: string) =>
  z
    .string()
    .transform((s) => s.replace(/\p{Cc}/gu, "").trim())
    .pipe(z.string().max(max, tooLong));
