/**
 * The statistics as people read them: the domain's numbers and keys
 * (getStatistics) with their Swedish names, definitions and formatted text.
 * The page, the CSV and the XLSX all present the same report, so they carry
 * the same words and numbers.
 */
import type { EducationLevel, Gender, OutcomeCheckpoint, OutcomeResult } from "~/db/schema";
import type {
  AgeBand,
  CountMeasure,
  FigureKey,
  StatCell as StatCellData,
  StatisticsData,
  StatTableData,
  StatTableKey,
  StatUnit,
  StatusMeasure,
} from "~/domain/statistics.server";
import { formatMonth } from "~/utils/format";
import { educationLabels, genderLabels } from "./labels";
import {
  ageBandLabels,
  countMeasureLabels,
  figureDefinitions,
  formatStat,
  HIDDEN,
  notRecordedLabel,
  outcomeCheckpointLabels,
  outcomeResultLabels,
  tableDefinitions,
  toDateMeasureLabels,
  unknownEducationLabel,
} from "./statistics";

/** A number as shown: `value` is null when it is hidden or has no meaning, and `text` says which. */
export interface StatCell {
  value: number | null;
  text: string;
}

export interface StatColumn {
  key: string;
  label: string;
  unit: StatUnit;
}

export interface StatTable {
  key: StatTableKey;
  title: string;
  definition: string;
  rowHeader: string;
  columns: StatColumn[];
  rows: { key: string; label: string; cells: StatCell[] }[];
  total: { label: string; cells: StatCell[] } | null;
  protectedCounts: boolean;
  basis: StatTableData["basis"];
}

export interface StatFigure {
  key: FigureKey;
  label: string;
  unit: StatUnit;
  value: number | null;
  text: string;
  definition: string;
}

export type StatisticsReport = Omit<StatisticsData, "figures" | "tables"> & { figures: StatFigure[]; tables: StatTable[] };

const figureLabels: Record<FigureKey, string> = {
  ...countMeasureLabels,
  leavers: "Lämnat under perioden",
  attendanceRate: "Närvarograd",
  hoursDelivered: "Levererade timmar",
  hoursCertified: "Attesterade timmar",
  cofinancing: "Medfinansiering",
};

const tableTitles: Record<StatTableKey, string> = {
  municipalityHours: "Närvaro, timmar och medfinansiering per kommun",
  attendance: "Närvaro per månad",
  municipality: "Deltagare per kommun",
  gender: "Deltagare per kön",
  age: "Deltagare per åldersgrupp",
  education: "Deltagare per utbildningsnivå",
  outcomes: "Utfall efter avslut",
};

const rowHeaders: Record<StatTableKey, string> = {
  municipalityHours: "Kommun",
  attendance: "Månad",
  municipality: "Kommun",
  gender: "Kön",
  age: "Åldersgrupp",
  education: "Utbildningsnivå",
  outcomes: "Resultat",
};

/** Columns measured in attendance, hours and money (the tables that are not counts of people by status). */
const measureColumnLabels: Record<string, string> = {
  attendanceRate: "Närvarograd",
  hoursDelivered: "Levererade timmar",
  hoursCertified: "Attesterade timmar",
  cofinancing: "Medfinansiering (kr)",
  recorded: "Registrerade tillfällen",
  present: "Närvarande eller sen ankomst",
};

const STATUS_TABLES: StatTableKey[] = ["municipality", "gender", "age", "education"];

function columnLabel(table: StatTableData, key: string): string {
  if (table.key === "outcomes") return outcomeCheckpointLabels[key as OutcomeCheckpoint];
  // A breakdown of the whole programme up to today counts people, not a period's movements.
  if (STATUS_TABLES.includes(table.key)) return (table.basis === "programme" ? toDateMeasureLabels : countMeasureLabels)[key as StatusMeasure & CountMeasure];
  return measureColumnLabels[key];
}

function rowLabel(table: StatTableData, row: StatTableData["rows"][number]): string {
  switch (table.key) {
    case "municipality":
    case "municipalityHours":
      return row.name ?? row.key;
    case "attendance":
      return formatMonth(`${row.key}-15`);
    case "gender":
      return genderLabels[row.key as Gender];
    case "age":
      return ageBandLabels[row.key as AgeBand];
    case "education":
      return row.key === "unknown" ? unknownEducationLabel : educationLabels[row.key as EducationLevel];
    case "outcomes":
      return row.key === "not_recorded" ? notRecordedLabel : outcomeResultLabels[row.key as OutcomeResult];
  }
}

function totalLabel(table: StatTableData): string {
  if (table.key !== "outcomes") return "Totalt";
  return table.basis === "programme" ? "Har lämnat" : "Lämnat under perioden";
}

/** A hidden number reads "..", a rate of nothing "–". */
export function presentCell(cell: StatCellData, unit: StatUnit): StatCell {
  if (cell.value !== null) return { value: cell.value, text: formatStat(cell.value, unit) };
  return { value: null, text: cell.hidden ? HIDDEN : "–" };
}

function presentTable(table: StatTableData): StatTable {
  const cells = (list: StatCellData[]) => list.map((cell, i) => presentCell(cell, table.columns[i].unit));
  return {
    key: table.key,
    title: tableTitles[table.key],
    definition: tableDefinitions[table.key],
    rowHeader: rowHeaders[table.key],
    columns: table.columns.map((c) => ({ key: c.key, label: columnLabel(table, c.key), unit: c.unit })),
    rows: table.rows.map((r) => ({ key: r.key, label: rowLabel(table, r), cells: cells(r.cells) })),
    total: table.total ? { label: totalLabel(table), cells: cells(table.total) } : null,
    protectedCounts: table.protectedCounts,
    basis: table.basis,
  };
}

export function presentStatistics(data: StatisticsData): StatisticsReport {
  return {
    ...data,
    figures: data.figures.map((f) => ({
      key: f.key,
      label: figureLabels[f.key],
      unit: f.unit,
      ...presentCell(f, f.unit),
      definition: figureDefinitions[f.key],
    })),
    tables: data.tables.map(presentTable),
  };
}
