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

export const forgotPasswordSchema = z.object({
  email: z
    .string({ required_error: "Fyll i din e-postadress." })
    .trim()
    .max(254, "E-postadressen är för lång.")
    .email("Skriv e-postadressen som namn@kommun.se."),
});

export const newPasswordSchema = z
  .object({
    newPassword: z
      .string({ required_error: "Fyll i ett nytt lösenord." })
      .min(12, "Det nya lösenordet måste ha minst 12 tecken.")
      .max(256, "Det nya lösenordet får ha högst 256 tecken."),
    repeatPassword: z.string({ required_error: "Skriv det nya lösenordet en gång till." }).max(256, "Lösenordet är för långt."),
  })
  .refine((v) => v.newPassword === v.repeatPassword, { message: "Lösenorden är inte likadana.", path: ["repeatPassword"] });

export const INVALID_LINK_MESSAGE = "Länken fungerar inte längre: den har redan använts, har gått ut eller är felskriven. Be om en ny länk.";

const code = z
  .string({ required_error: "Skriv koden från appen, eller en av dina reservkoder." })
  .trim()
  .min(6, "Koden har sex siffror (en reservkod tio tecken).")
  .max(20, "Koden är för lång.");

export const codeSchema = z.object({ code });

/** The two-factor forms of Mitt konto, told apart by the button pressed. */
export const twoFactorFormSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("two-factor-start") }),
    z.object({ intent: z.literal("two-factor-confirm"), code }),
    z.object({ intent: z.literal("two-factor-disable"), code }),
  ],
  { errorMap: () => ({ message: "Formuläret gick inte att läsa. Ladda om sidan och försök igen." }) },
);

export const confirmIdentitySchema = z.object({
  password: z.string({ required_error: "Skriv ditt lösenord." }).max(256, "Lösenordet är för långt."),
  // Where to go back to is checked by safeRedirect; anything odd here simply leads to the start page.
  redirectTo: z.string().max(2000).optional().catch(undefined),
});
