/** The municipality as employer: its organisation number, printed on the funder's certificate. */
import { z } from "zod";
import { luhnCheckDigit } from "~/domain/personnummer";
import { MAX_ROW_NUMBER } from "./ids";

const ORG_NUMBER = /^(\d{6})-?(\d{4})$/;

/**
 * A Swedish organisationsnummer of a legal person, as NNNNNN-NNNN. The third
 * and fourth digits are 20 or more (never a month, so never a personnummer),
 * and the last digit is the Luhn check digit of the first nine.
 */
export const orgNumber = z
  .string({ required_error: "Fyll i organisationsnumret.", invalid_type_error: "Fyll i organisationsnumret." })
  .trim()
  .min(1, "Fyll i organisationsnumret.")
  .regex(ORG_NUMBER, "Skriv organisationsnumret som NNNNNN-NNNN (tio siffror).")
  .transform((value) => value.replace("-", ""))
  .refine((digits) => Number(digits.slice(2, 4)) >= 20, "Det är inte ett organisationsnummer: tredje och fjärde siffran är alltid 20 eller mer.")
  .refine((digits) => luhnCheckDigit(digits.slice(0, 9)) === Number(digits[9]), "Organisationsnumret har fel kontrollsiffra.")
  .transform((digits) => `${digits.slice(0, 6)}-${digits.slice(6)}`);

export const employerSchema = z.object({
  intent: z.literal("employer"),
  municipalityId: z.number({ required_error: "Välj kommun.", invalid_type_error: "Välj kommun." }).int().positive("Välj kommun.").max(MAX_ROW_NUMBER, "Välj kommun."),
  orgNumber,
});

export type EmployerInput = z.infer<typeof employerSchema>;
