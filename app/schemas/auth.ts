import { z } from "zod";

export const loginSchema = z.object({
  email: z
    .string({ required_error: "Fyll i din e-postadress." })
    .trim()
    .max(254, "E-postadressen är för lång.")
    .email("Skriv e-postadressen som namn@kommun.se."),
  password: z.string({ required_error: "Fyll i ditt lösenord." }).max(256, "Lösenordet är för långt."),
  redirectTo: z.string().optional(),
});
