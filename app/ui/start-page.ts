/** The start page's (Översikt) wording: counts in Swedish, one place for the to-do lists' labels. */
import { formatMonth } from "~/utils/format";

/** "1 tidrapport" / "3 tidrapporter". */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const monthLabel = (month: string) => formatMonth(`${month}-15`);

export const startPageText = {
  allDone: "Allt är gjort. Det finns inget som väntar på dig just nu.",
  coordinator: {
    heading: (municipality: string) => `Att göra för ${municipality} kommun`,
    reportsToCertify: (n: number, month: string) => `${counted(n, "tidrapport", "tidrapporter")} för ${monthLabel(month)} att attestera`,
    awaitingLead: (n: number) => `${counted(n, "anmälan väntar", "anmälningar väntar")} på programledarens beslut`,
    waitlisted: (n: number) => `${counted(n, "deltagare", "deltagare")} på väntelistan`,
    followUps: (due: number, overdue: number) =>
      `${counted(due, "uppföljning", "uppföljningar")} att göra${overdue ? `, varav ${overdue} ${overdue === 1 ? "försenad" : "försenade"}` : ""}`,
    withoutCohort: (n: number) => `${counted(n, "deltagare", "deltagare")} utan omgång`,
    openSeats: (free: number, seats: number) => `${free} av ${counted(seats, "plats", "platser")} kvar att fylla`,
    changedSessions: "Ändrade träffar för kommunens deltagare",
  },
  lead: {
    heading: "Att göra som programledare",
    today: "Dagens träffar",
    noneToday: "Inga träffar i dag.",
    next: "Kommande träffar",
    takeAttendance: "Ta närvaro",
    attendanceTaken: "Närvaro tagen",
    unrecorded: (n: number) => `${counted(n, "genomförd träff", "genomförda träffar")} utan närvaro`,
    nominationsToDecide: (n: number) => `${counted(n, "anmälan", "anmälningar")} att besluta om`,
  },
  trainee: {
    next: "Din nästa träff",
    noNext: "Du har inga kommande träffar.",
    bring: "Inför träffen",
    material: "Material till träffen",
    later: "Därefter",
    reportToConfirm: (month: string) => `Tidrapporten för ${monthLabel(month)} att bekräfta`,
    selfRatingDue: (phase: "start" | "end", closesOn: string) => `Skatta dig mot programmets mål ${phase === "start" ? "vid start" : "vid slut"} (senast ${closesOn})`,
    calendar: "Schemat i din kalender",
    calendarNone: "Få dina träffar i telefonens eller datorns kalender. Flyttade och inställda träffar uppdateras av sig själva.",
    calendarSince: (date: string) => `Du prenumererar på schemat sedan ${date}.`,
  },
  funder: {
    heading: "Program du finansierar",
    // The words of the statistics page, so the same figure has one name.
    started: "Påbörjade",
    active: "Aktiva",
    completed: "Avslutade",
    dropped: "Avbrutna",
  },
  admin: {
    heading: "Administration",
    usersWithoutRole: (n: number) => `${counted(n, "användare", "användare")} utan roll: de kan logga in men ser ingenting`,
    failedMail: (n: number) =>
      `${counted(n, "e-postmeddelande", "e-postmeddelanden")} har inte kunnat skickas än. Portalen försöker igen; be driftansvarig se över e-postservern om det inte går över.`,
  },
};
