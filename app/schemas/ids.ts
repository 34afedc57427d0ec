/**
 * The largest id or version a row can have: PostgreSQL's `integer`, which
 * the portal's id and version columns are. A posted number above it cannot
 * name a row; refused by the form's schema, it never reaches a query that
 * PostgreSQL would reject with an error (SQLite would just find nothing).
 */
export const MAX_ROW_NUMBER = 2_147_483_647;
