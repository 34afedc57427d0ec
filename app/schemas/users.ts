import { z } from "zod";
import { MAX_ROW_NUMBER } from "./ids";
import { searchTextSchema } from "./table-sort";

export const newUserSchema = z.object({
  email: z
    .string({ required_error: "Fyll i e-postadressen." })
    .trim()
    .max(254, "E-postadressen är för lång.")
    .email("Skriv e-postadressen som namn@kommun.se."),
  name: z.string({ required_error: "Fyll i namnet." }).trim().min(1, "Fyll i namnet.").max(200, "Namnet är för långt."),
});
export type NewUserInput = z.infer<typeof newUserSchema>;

export const grantSchema = z.object({
  role: z.enum(["admin", "programme_lead", "coordinator", "funder", "coach"], {
    errorMap: () => ({ message: "Välj en roll." }),
  }),
  municipalityId: z.coerce.number().int().positive().max(MAX_ROW_NUMBER).optional(),
  programmeId: z.coerce.number().int().positive().max(MAX_ROW_NUMBER).optional(),
});
export type GrantInputSchema = z.infer<typeof grantSchema>;

/** What an administrator does on a user's page. */
export const userIntentSchema = z.discriminatedUnion("intent", [
  grantSchema.extend({ intent: z.literal("add-grant") }),
  z.object({ intent: z.literal("remove-grant"), grantId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("disable") }),
  z.object({ intent: z.literal("enable") }),
  z.object({ intent: z.literal("send-reset-link") }),
]);
export type UserIntent = z.infer<typeof userIntentSchema>;

export const auditFilterSchema = z.object({
  /** An event code ("participant.updated"): the filter's choices are the codes. */
  action: z
    .string()
    .regex(/^[a-z_]{1,50}\.[a-z_]{1,50}$/, "Välj en händelse i listan.")
    .optional(),
  /** Part of a user's name or e-mail address: who did it, or whose account it concerned. */
  person: searchTextSchema(100, "Skriv högst 100 tecken i fältet Person.").optional(),
  actor: z.coerce.number().int().positive().max(MAX_ROW_NUMBER).optional(),
  entityId: searchTextSchema(50, "Postens nummer får ha högst 50 tecken.").optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Ange datum som ÅÅÅÅ-MM-DD.").optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Ange datum som ÅÅÅÅ-MM-DD.").optional(),
  page: z.coerce.number().int().positive().max(100000).optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
