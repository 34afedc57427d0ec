/**
 * Swedish wording for zod's built-in messages, so a field without a message
 * of its own still tells the user in Swedish what is wrong. Installed once on
 * the server (entry.server) and in the browser (entry.client).
 */
import { z, ZodIssueCode, type ZodErrorMap } from "zod";

export const swedishErrorMap: ZodErrorMap = (issue) => {
  switch (issue.code) {
    case ZodIssueCode.invalid_type:
      if (issue.received === "undefined" || issue.received === "null") return { message: "Fyll i fältet." };
      if (issue.expected === "number" || issue.expected === "integer") return { message: "Ange ett tal." };
      if (issue.expected === "date") return { message: "Ange ett giltigt datum." };
      return { message: "Värdet har fel form." };
    case ZodIssueCode.too_small:
      if (issue.type === "string") return { message: issue.minimum === 1 ? "Fyll i fältet." : `Skriv minst ${issue.minimum} tecken.` };
      if (issue.type === "number") return { message: `Värdet måste vara minst ${issue.minimum}.` };
      if (issue.type === "array" || issue.type === "set") return { message: `Välj minst ${issue.minimum}.` };
      return { message: "Värdet är för litet." };
    case ZodIssueCode.too_big:
      if (issue.type === "string") return { message: `Skriv högst ${issue.maximum} tecken.` };
      if (issue.type === "number") return { message: `Värdet får vara högst ${issue.maximum}.` };
      if (issue.type === "array" || issue.type === "set") return { message: `Välj högst ${issue.maximum}.` };
      return { message: "Värdet är för stort." };
    case ZodIssueCode.invalid_string:
      if (issue.validation === "email") return { message: "Skriv e-postadressen som namn@kommun.se." };
      if (issue.validation === "url") return { message: "Skriv en fullständig adress som börjar med https://." };
      return { message: "Texten har fel form." };
    case ZodIssueCode.invalid_enum_value:
    case ZodIssueCode.invalid_literal:
    case ZodIssueCode.invalid_union:
    case ZodIssueCode.invalid_union_discriminator:
      return { message: "Välj ett av alternativen." };
    case ZodIssueCode.invalid_date:
      return { message: "Ange ett giltigt datum." };
    case ZodIssueCode.not_multiple_of:
      return { message: `Värdet måste vara delbart med ${issue.multipleOf}.` };
    case ZodIssueCode.not_finite:
      return { message: "Ange ett tal." };
    default:
      return { message: "Värdet går inte att använda. Kontrollera fältet och försök igen." };
  }
};

z.setErrorMap(swedishErrorMap);
