/**
 * Domain functions refuse bad requests by throwing a 4xx Response with a
 * Swedish message. A form action turns it into a form error shown beside the
 * form; anything else (a real bug, a 403) is rethrown.
 */
export async function formErrorFromResponse(error: unknown): Promise<string> {
  if (error instanceof Response && (error.status === 400 || error.status === 409 || error.status === 422)) {
    return (await error.text()) || "Uppgifterna kunde inte sparas.";
  }
  throw error;
}
