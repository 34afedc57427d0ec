/** The largest request body the portal accepts (a CSV import of a few thousand people fits easily). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * The posted form of an action. A body no form of ours sends (another content
 * type, a broken multipart upload) makes `request.formData()` throw; that is
 * the sender's mistake, so it is a 400 with a Swedish message, never a 500.
 * (Its size has been checked already, in server/app.ts.)
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("Formuläret kunde inte läsas. Ladda om sidan och skicka det igen.", { status: 400 });
  }
}
