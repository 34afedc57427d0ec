import { z } from "zod";

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: "Fyll i ditt nuvarande lösenord." }).max(256, "Lösenordet är för långt."),
    newPassword: z
      .string({ required_error: "Fyll i ett nytt lösenord." })
      .min(12, "Det nya lösenordet måste ha minst 12 tecken.")
      .max(256, "Det nya lösenordet får ha högst 256 tecken."),
    repeatPassword: z.string({ required_error: "Skriv det nya lösenordet en gång till." }).max(256, "Lösenordet är för långt."),
  })
  .refine((v) => v.newPassword === v.repeatPassword, {
    message: "Lösenorden är inte likadana.",
    path: ["repeatPassword"],
  });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
