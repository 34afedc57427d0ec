/**
 * Downloads of the statistics view: XLSX with one sheet per table (numbers as
 * numbers, ".." as text where a number is hidden) and CSV with the same
 * figures in long form. Both present the same report as the page, so they
 * carry exactly the numbers it shows and never a hidden one (the report does
 * not hold them). The domain's exportStatistics audits every download.
 */
import ExcelJS from "exceljs";
import type { StatisticsData, StatUnit } from "~/domain/statistics.server";
import { toCsv, type CsvCell } from "~/utils/csv.server";
import { basisLabel, exactNote, protectionDetails, protectionNote } from "./statistics";
import { presentStatistics, type StatCell, type StatisticsReport } from "./statistics-report";

const NUMBER_FORMATS: Record<StatUnit, string> = {
  count: "0",
  percent: "0.0",
  hours: "0.##",
  kronor: "#,##0.00",
};

function selectionRows(report: StatisticsReport): [string, string][] {
  return [
    ["Program", report.programme.name],
    ["ESF-projektnummer", report.programme.esfProjectNumber ?? ""],
    ["Omgång", report.cohortName ?? "Alla omgångar"],
    ["Från", report.from ?? "Programmets början"],
    ["Till", report.to],
    ["Omfattning", report.scope === "programme" ? "Hela programmet" : `Kommunens andel: ${report.municipalityNames.join(", ")}`],
    ...(report.breakdownsAsOf ? [["Uppdelningar", basisLabel("programme", report.breakdownsAsOf)] as [string, string]] : []),
    ["Skydd av små tal", report.protectedCounts ? [protectionNote, ...protectionDetails].join(" ") : exactNote],
  ];
}

function fileStem(report: StatisticsReport): string {
  return `statistik-${report.programme.name}${report.cohortName ? `-${report.cohortName}` : ""}-${report.to}`;
}

/** Excel allows 31 characters and no []:*?/\ in a sheet name. */
function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, "-").slice(0, 31);
}

function cellValue(cell: StatCell): number | string {
  return cell.value ?? cell.text;
}

export function statisticsWorkbook(report: StatisticsReport): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Programportalen";

  const summary = workbook.addWorksheet("Nyckeltal");
  summary.columns = [
    { header: "Mått", key: "label", width: 32 },
    { header: "Värde", key: "value", width: 16 },
    { header: "Definition", key: "definition", width: 100 },
  ];
  for (const f of report.figures) {
    const row = summary.addRow({ label: f.label, value: f.value ?? f.text, definition: f.definition });
    if (f.value !== null) row.getCell("value").numFmt = NUMBER_FORMATS[f.unit];
  }
  summary.getRow(1).font = { bold: true };

  for (const table of report.tables) {
    const sheet = workbook.addWorksheet(sheetName(table.title));
    sheet.columns = [
      { header: table.rowHeader, key: "row", width: 30 },
      ...table.columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(14, c.label.length + 2) })),
    ];
    const addRow = (label: string, cells: StatCell[]) => {
      const row = sheet.addRow([label, ...cells.map(cellValue)]);
      cells.forEach((cell, i) => {
        if (cell.value !== null) row.getCell(i + 2).numFmt = NUMBER_FORMATS[table.columns[i].unit];
        else row.getCell(i + 2).alignment = { horizontal: "right" };
      });
      return row;
    };
    for (const r of table.rows) addRow(r.label, r.cells);
    if (table.total) addRow(table.total.label, table.total.cells).font = { bold: true };
    sheet.getRow(1).font = { bold: true };
  }

  const about = workbook.addWorksheet("Urval och definitioner");
  about.columns = [
    { header: "Uppgift", key: "k", width: 32 },
    { header: "Värde", key: "v", width: 100 },
  ];
  for (const [k, v] of selectionRows(report)) about.addRow([k, v]);
  for (const t of report.tables) about.addRow([t.title, `${t.definition} ${basisLabel(t.basis, report.breakdownsAsOf)}`]);
  about.getRow(1).font = { bold: true };
  return workbook;
}

/** Long form: one line per number, so any tool can read it back. */
export function statisticsCsv(report: StatisticsReport): string {
  const rows: CsvCell[][] = [];
  for (const [k, v] of selectionRows(report)) rows.push(["Urval", k, "", v]);
  for (const f of report.figures) rows.push(["Nyckeltal", f.label, "Värde", f.value ?? f.text]);
  for (const t of report.tables) {
    for (const r of [...t.rows, ...(t.total ? [t.total] : [])]) {
      r.cells.forEach((cell, i) => rows.push([t.title, r.label, t.columns[i].label, cell.value ?? cell.text]));
    }
  }
  // Decimal comma, so Swedish Excel reads 9106,48 as a number.
  const swedish = rows.map((r) => r.map((cell) => (typeof cell === "number" ? String(cell).replace(".", ",") : cell)));
  return toCsv(["Tabell", "Rad", "Kolumn", "Värde"], swedish);
}

/** The CSV a funder downloads: its name and contents. */
export function statisticsCsvFile(data: StatisticsData): { filename: string; body: string } {
  const report = presentStatistics(data);
  return { filename: `${fileStem(report)}.csv`, body: statisticsCsv(report) };
}

/** The XLSX a funder downloads: its name and contents. */
export async function statisticsXlsxFile(data: StatisticsData): Promise<{ filename: string; body: ArrayBuffer }> {
  const report = presentStatistics(data);
  const buffer = await statisticsWorkbook(report).xlsx.writeBuffer();
  return { filename: `${fileStem(report)}.xlsx`, body: Uint8Array.from(buffer as unknown as Uint8Array).buffer };
}
