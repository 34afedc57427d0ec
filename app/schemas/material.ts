import { z } from "zod";
import { MAX_ROW_NUMBER } from "./ids";

/** A session's material file: at most this large (the server reads no larger body at all). */
export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;

/** A web address a trainee may be sent to: http or https, no user name or password in it. */
export function isWebLink(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && url.hostname.includes(".");
  } catch {
    return false;
  }
}

const title = z.string().trim().max(200, "Rubriken får vara högst 200 tecken.");

/**
 * What the material page posts: a link, a file (the file itself is read as a
 * stream beside the form, not by the schema) or the removal of one item.
 */
export const materialPostSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("link"),
      title: title.min(1, "Skriv vad länken leder till."),
      url: z
        .string({ required_error: "Klistra in länken." })
        .trim()
        .max(2000, "Länken får vara högst 2 000 tecken.")
        .refine(isWebLink, "Ange en fullständig länk som börjar med https:// eller http://."),
    }),
    z.object({ intent: z.literal("file"), title: title.optional().default("") }),
    z.object({ intent: z.literal("remove"), materialId: z.coerce.number().int().positive().max(MAX_ROW_NUMBER) }),
  ],
  { errorMap: () => ({ message: "Okänd åtgärd. Ladda om sidan och försök igen." }) },
);

export type MaterialPost = z.infer<typeof materialPostSchema>;
