/**
 * Swedish names and definitions of every statistics figure, shown beside the
 * figure on the page and carried into the exports. One place, so the page,
 * the XLSX and the CSV always define a number the same way.
 */
import type { OutcomeCheckpoint, OutcomeResult } from "~/db/schema";

export type CountMeasure = "total" | "started" | "active" | "completed" | "dropped";

export const countMeasureLabels: Record<CountMeasure, string> = {
  total: "Deltagare under perioden",
  started: "Påbörjade",
  active: "Aktiva vid periodens slut",
  completed: "Avslutade",
  dropped: "Avbrutna",
};

export const figureDefinitions = {
  total:
    "Deltagare som påbörjat en omgång senast periodens sista dag och inte lämnat den före periodens första dag. Är summan av aktiva, avslutade och avbrutna.",
  started: "Deltagare vars startdatum i omgången ligger inom perioden.",
  active: "Deltagare som påbörjat omgången och ännu inte avslutat eller avbrutit den vid periodens sista dag (i dag om inget slutdatum är valt).",
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
  municipality: "Deltagarna räknade per hemkommun, med samma definitioner som nyckeltalen.",
  municipalityHours: "Närvarograd, levererade och attesterade timmar och medfinansiering per kommun.",
  gender: "Deltagarna per kön som det är registrerat på deltagaren.",
  age: "Ålder = startårets årtal minus födelseåret.",
  education: "Högsta utbildningsnivå enligt ISCED där den är känd.",
  attendance: "Registrerad närvaro per kalendermånad då träffen började.",
  outcomes:
    "Resultat vid uppföljningen 4 veckor och 6 månader efter att deltagaren lämnade omgången, för deltagare som lämnade under perioden. \"Ej registrerat\" är de som ännu inte följts upp.",
} as const;

export const ageBandLabels = {
  under_18: "Under 18 år",
  "18_29": "18–29 år",
  "30_54": "30–54 år",
  "55_plus": "55 år och äldre",
} as const;
export type AgeBand = keyof typeof ageBandLabels;

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

export const OUTCOME_RESULTS = Object.keys(outcomeResultLabels) as OutcomeResult[];
export const OUTCOME_CHECKPOINTS = Object.keys(outcomeCheckpointLabels) as OutcomeCheckpoint[];
export const notRecordedLabel = "Ej registrerat";

export const protectionNote =
  "Små tal skyddas: ett antal mellan 1 och 4 som delas upp på kön, ålder, utbildning eller utfall visas som \"<5\". För att det dolda talet inte ska kunna räknas fram ur summorna döljs då även ett annat tal i samma rad eller kolumn (\"<5\" om det är 0–4, annars \"..\").";

/** More bars than this make a chart nobody can read: it shows the largest, the table beside it shows all. */
export const CHART_MAX_ROWS = 15;

/**
 * The rows a chart draws: all of them when there are few, otherwise the
 * CHART_MAX_ROWS largest in `column`. Protected cells ("<5", no value) are left
 * out rather than ranked, so the chart reveals nothing the table hides.
 */
export function chartedRows<Row extends { cells: { value: number | null }[] }>(rows: Row[], column: number, max = CHART_MAX_ROWS): Row[] {
  if (rows.length <= max) return rows;
  return rows
    .filter((r) => r.cells[column].value !== null)
    .sort((a, b) => b.cells[column].value! - a.cells[column].value!)
    .slice(0, max);
}
