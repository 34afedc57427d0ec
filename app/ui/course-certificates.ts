import { formatHours } from "~/utils/hours";

/** The certificate's one sentence, as a municipality would write it. */
export function courseCertificateText(c: { programmeName: string; cohortName: string; municipalityName: string; attendedMinutes: number }): string {
  return `har genomfört ${c.programmeName} (${c.cohortName}) med ${formatHours(c.attendedMinutes)} timmars utbildning och uppfyllt programmets krav på närvaro. Deltagaren är anställd i ${c.municipalityName} kommun.`;
}
