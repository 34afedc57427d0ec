/** A numeric id from a URL segment; anything else is a 404, never a 500. */
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d{1,12}$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
    throw new Response("Sidan finns inte.", { status: 404 });
  }
  return id;
}
