import { MAX_ROW_NUMBER } from "~/schemas/ids";

/** The body of every 404, whether the object does not exist or is not the caller's: the two must not be told apart. */
export const NOT_FOUND_MESSAGE = "Sidan finns inte, eller så har du inte tillgång till den.";
export const FORBIDDEN_MESSAGE = "Du har inte behörighet till den här sidan.";

export function notFoundResponse(): Response {
  return new Response(NOT_FOUND_MESSAGE, { status: 404 });
}

/** A numeric id from a URL segment; anything else is a 404, never a 500. */
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d{1,12}$/.test(value) || id <= 0 || id > MAX_ROW_NUMBER) throw notFoundResponse();
  return id;
}
