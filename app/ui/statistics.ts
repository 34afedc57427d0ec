/**
 * Swedish names and definitions of every statistics figure, shown beside the
 * figure on the page and carried into the exports. One place, so the page,
 * the XLSX and the CSV always define a number the same way.
 */
import type { OutcomeCheckpoint, OutcomeResult } from "~/db/schema";
import type { AgeBand, CountMeasure, StatUnit, StatusMeasure } from "~/domain/statistics.server";
import { formatDate } from "~/utils/format";
import { formatKronor } from "~/utils/hours";

export const countMeasureLabels: Record<CountMeasure, string> = {
  total: "Deltagare under perioden",
  started: "Påbörjade",
  active: "Aktiva vid periodens slut",
  completed: "Avslutade",
  dropped: "Avbrutna",
};

/** Column names of a breakdown of the whole programme up to today. */
export const toDateMeasureLabels: Record<StatusMeasure, string> = {
  total: "Deltagare",
  active: "Aktiva",
  completed: "Avslutade",
  dropped: "Avbrutna",
};

export const figureDefinitions = {
  total:
    "Deltagare som påbörjat en omgång senast periodens sista dag och inte lämnat den före periodens första dag. Är summan av aktiva, avslutade och avbrutna.",
  started: "Deltagare vars startdatum i omgången ligger inom perioden.",
  active: "Deltagare som påbörjat omgången och ännu inte avslutat eller avbrutit den vid periodens sista dag (i dag om perioden når hit).",
  completed: "Deltagare som fullföljde omgången med slutdatum inom perioden.",
  dropped: "Deltagare som avbröt omgången med slutdatum inom perioden.",
  attendanceRate:
    "Andelen registrerade närvarotillfällen där deltagaren var närvarande eller kom sent. Räknas på träffar som inte ställts in och som började inom perioden.",
  hoursDelivered: "Summan av närvarotimmar enligt närvaroregistreringen för träffar som började inom perioden.",
  hoursCertified:
    "Timmar i attesterade tidrapporter för kalendermånader inom perioden: träffar och godkända egna aktiviteter, avrundade nedåt enligt programmets regel.",
  cofinancing:
    "Medfinansieringens värde: attesterade timmar gånger programmets timkostnad för deltagarens lönegrupp och år, för kalendermånader inom perioden.",
  leavers: "Deltagare som avslutade eller avbröt omgången med slutdatum inom perioden. De följs upp efter 4 veckor och 6 månader.",
} as const;

export const tableDefinitions = {
  municipality: "Deltagarna räknade per hemkommun. Aktiva har inte avslutat eller avbrutit omgången; deltagare = aktiva + avslutade + avbrutna.",
  municipalityHours: "Närvarograd, levererade och attesterade timmar och medfinansiering per kommun under perioden.",
  gender: "Deltagarna per kön som det är registrerat på deltagaren.",
  age: "Ålder = startårets årtal minus födelseåret.",
  education: "Högsta utbildningsnivå enligt ISCED där den är känd.",
  attendance: "Registrerad närvaro per kalendermånad (svensk tid) då träffen började.",
  outcomes:
    "Resultat vid uppföljningen 4 veckor och 6 månader efter att deltagaren lämnade omgången, för dem som har lämnat. ”Ej registrerat” är de som ännu inte följts upp.",
} as const;

export const ageBandLabels: Record<AgeBand, string> = {
  under_18: "Under 18 år",
  "18_29": "18–29 år",
  "30_54": "30–54 år",
  "55_plus": "55 år och äldre",
};

export const unknownEducationLabel = "Okänd";

export const outcomeCheckpointLabels: Record<OutcomeCheckpoint, string> = {
  "4_weeks": "Efter 4 veckor",
  "6_months": "Efter 6 månader",
};

export const outcomeResultLabels: Record<OutcomeResult, string> = {
  same_role: "Samma roll",
  new_role: "Ny roll",
  became_manager: "Blev chef",
  studying: "Studerar",
  left_municipality: "Har lämnat kommunen",
  unknown: "Okänt",
};

export const notRecordedLabel = "Ej registrerat";

/** What a table counts, as the page and the downloads say it. */
export function basisLabel(basis: "selection" | "period" | "programme", asOf: string | null): string {
  if (basis === "programme") return `Gäller hela programmet, alla omgångar, till och med ${asOf ? formatDate(asOf) : "i dag"}.`;
  if (basis === "period") return "Gäller alla omgångar under den valda perioden.";
  return "Gäller det valda urvalet.";
}

/** What a hidden number reads, the same for every hidden number whatever its size. */
export const HIDDEN = "..";

/** The short explanation above the protected tables. */
export const protectionNote =
  "Tal under 5 visas som .. så att ingen enskild person kan pekas ut. Några större tal döljs också, annars skulle de små kunna räknas fram ur summorna.";

/** The definitions behind the note, shown in a disclosure and carried into the downloads. */
export const protectionDetails = [
  ".. betyder att talet inte visas. Det kan vara 0–4, eller ett större tal som döljs för att ett litet tal inte ska kunna räknas fram.",
  "Summorna (raden Totalt och nyckeltalen) är exakta. Antalet deltagare per kommun visas alltid; hur de fördelar sig på aktiva, avslutade och avbrutna skyddas.",
  "Varje dolt tal kontrolleras med linjärprogrammering: det ska inte gå att räkna fram, varken ur de visade talen och summorna eller för en kommunsamordnare som känner sin egen kommuns deltagare.",
  "Uppdelningarna på kommun, kön, ålder, utbildning och utfall följer inte urvalet av omgång och period, eftersom två urval annars skulle kunna jämföras för att hitta enskilda.",
];

/** Said instead of the note when the numbers are exact: a coordinator's own municipality. */
export const exactNote = "Talen är exakta: de gäller bara din kommuns deltagare, som du redan har tillgång till.";

const countFormat = new Intl.NumberFormat("sv-SE");
const percentFormat = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const hoursFormat = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** A number as the page shows it; the exports carry the same value. */
export function formatStat(value: number, unit: StatUnit): string {
  switch (unit) {
    case "count":
      return countFormat.format(value);
    case "percent":
      return `${percentFormat.format(value)} %`;
    case "hours":
      return hoursFormat.format(value);
    case "kronor":
      return formatKronor(Math.round(value * 100));
  }
}

/** More bars than this make a chart nobody can read: it shows the largest, the table beside it shows all. */
export const CHART_MAX_ROWS = 15;

/**
 * The rows a chart draws: all of them when there are few, otherwise the
 * CHART_MAX_ROWS largest in `column`. Hidden cells (no value) are left
 * out rather than ranked, so the chart reveals nothing the table hides.
 */
export function chartedRows<Row extends { cells: { value: number | null }[] }>(rows: Row[], column: number, max = CHART_MAX_ROWS): Row[] {
  if (rows.length <= max) return rows;
  return rows
    .filter((r) => r.cells[column].value !== null)
    .sort((a, b) => b.cells[column].value! - a.cells[column].value!)
    .slice(0, max);
}
