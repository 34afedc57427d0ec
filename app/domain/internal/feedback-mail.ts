/**
 * The 360 invitation and reminder e-mail a rater gets: who asks, whether their
 * answer is shown apart, the last day and the personal link. Pure text, used
 * by the participant's own sends and the mail worker's automatic reminder.
 */
import crypto from "node:crypto";
import type { RaterGroup } from "~/db/schema";

export const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");
export const newToken = () => crypto.randomBytes(32).toString("base64url");

const groupInvitation: Record<RaterGroup, string> = {
  manager: "som chef",
  colleague: "som kollega",
  report: "som medarbetare",
};

export function invitationText(name: string, group: RaterGroup, shownApart: boolean, closesOn: string, link: string, reminder: boolean): string {
  const anonymity =
    group === "manager" && shownApart
      ? "Observera: dina svar som chef visas som en egen grupp i rapporten, så personen kan se vad just du har svarat."
      : "Dina svar visas bara sammanslagna med andras, och bara när minst tre har svarat. Personen får inte veta vem som har svarat.";
  return [
    reminder ? `Påminnelse: ${name} väntar fortfarande på ditt svar.` : `${name} ber dig ${groupInvitation[group]} ge återkoppling på sitt ledarskap i en 360-enkät.`,
    "Det tar ungefär tio minuter och du behöver inget konto.",
    anonymity,
    `Svara senast ${closesOn} via din personliga länk (dela den inte med någon):`,
    link,
  ].join("\n\n");
}
