import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

// The common-password list ships with the code (zxcvbn-ts's dictionary, about
// 50 000 entries) plus a few Swedish favourites; nothing is looked up online.
const SWEDISH_COMMON = ["sommarsommar", "lösenord1234", "losenord1234", "välkommen123", "valkommen123", "kommunen2024", "kommunen2025", "kommunen2026", "sverige12345", "hejhejhejhej"];
const common = new Set([...dictionary["passwords-common"], ...SWEDISH_COMMON].map((p) => p.toLowerCase()));

/** A Swedish message saying why the password can't be used, or null when it is fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Lösenordet måste ha minst ${PASSWORD_MIN} tecken.`;
  if (password.length > PASSWORD_MAX) return `Lösenordet får ha högst ${PASSWORD_MAX} tecken.`;
  if (common.has(password.toLowerCase())) return "Lösenordet är för vanligt. Välj ett annat, gärna en mening med flera ord.";
  if (/^(.)\1+$/.test(password)) return "Lösenordet får inte bestå av ett enda tecken som upprepas.";
  return null;
}
