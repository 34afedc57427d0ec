/**
 * Messages to a cohort and the trainee's reminder setting. Shared by the
 * browser (Conform validates before sending) and the server.
 */
import { z } from "zod";
import { MAX_ROW_NUMBER } from "./ids";

export const MESSAGE_SUBJECT_MAX = 200;
export const MESSAGE_BODY_MAX = 5000;

const participantId = z
  .number({ invalid_type_error: "Välj deltagare ur listan." })
  .int("Välj deltagare ur listan.")
  .positive("Välj deltagare ur listan.")
  .max(MAX_ROW_NUMBER, "Välj deltagare ur listan.");

export const cohortMessageSchema = z
  .object({
    subject: z
      .string({ required_error: "Skriv en rubrik.", invalid_type_error: "Skriv en rubrik." })
      .trim()
      .min(1, "Skriv en rubrik.")
      .max(MESSAGE_SUBJECT_MAX, `Rubriken får vara högst ${MESSAGE_SUBJECT_MAX} tecken.`),
    body: z
      .string({ required_error: "Skriv ett meddelande.", invalid_type_error: "Skriv ett meddelande." })
      .trim()
      .min(1, "Skriv ett meddelande.")
      .max(MESSAGE_BODY_MAX, "Meddelandet får vara högst 5 000 tecken."),
    to: z.enum(["all", "selected"], { errorMap: () => ({ message: "Välj vilka som ska få meddelandet." }) }),
    participantIds: z.array(participantId, { invalid_type_error: "Välj deltagare ur listan." }).max(1000, "Välj högst 1 000 deltagare.").default([]),
    /** The form's one-time key (made when the page was loaded): the same form sent twice sends once. */
    key: z
      .string({ required_error: "Formuläret är för gammalt. Ladda om sidan och skriv igen.", invalid_type_error: "Formuläret är för gammalt. Ladda om sidan och skriv igen." })
      .regex(/^[A-Za-z0-9_-]{16,64}$/, "Formuläret är för gammalt. Ladda om sidan och skriv igen."),
  })
  .superRefine((value, ctx) => {
    if (value.to === "selected" && value.participantIds.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["participantIds"], message: "Välj minst en deltagare." });
    }
  });

export type CohortMessageInput = z.infer<typeof cohortMessageSchema>;

export const reminderSettingSchema = z.object({
  reminders: z.enum(["on", "off"], { errorMap: () => ({ message: "Välj om du vill få påminnelser." }) }),
});
