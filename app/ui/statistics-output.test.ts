/**
 * What the statistics page and its downloads carry, pinned on the demo data:
 * the page's report (labels, texts, definitions), the CSV byte for byte and
 * every cell of the XLSX with its number format. Recorded before the
 * formatting moved from the domain to app/ui, so the move is shown to change
 * no output; a deliberate change to a label or format updates the snapshot.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ctxFor } from "../../tests/support/coordination";
import { demoDb, DEMO_TODAY } from "../../tests/support/db";
import { getStatistics } from "../../tests/support/statistics";
import { statisticsCsv, statisticsWorkbook } from "./statistics-export.server";
import type { StatisticsFilter } from "~/domain/statistics.server";

async function xlsxCells(workbook: ExcelJS.Workbook) {
  const loaded = new ExcelJS.Workbook();
  await loaded.xlsx.load(await workbook.xlsx.writeBuffer());
  return loaded.worksheets.map((sheet) => ({
    name: sheet.name,
    widths: sheet.columns.map((c) => c.width),
    rows: sheet.getSheetValues().flatMap((_, r) => {
      const row = sheet.getRow(r);
      return [
        {
          bold: row.font?.bold ?? false,
          cells: (row.values as unknown[]).slice(1).map((value, i) => {
            const cell = row.getCell(i + 1);
            return { value, numFmt: cell.numFmt ?? null, align: cell.alignment?.horizontal ?? null };
          }),
        },
      ];
    }),
  }));
}

describe("statistics output", () => {
  it("is the same for the page, the CSV and the XLSX of each role and selection", async () => {
    const { db } = await demoDb();
    const ctxOf = async (email: string) =>
      ctxFor(db, (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id);
    const funder = await ctxOf("finansiar@programportalen.test");
    const lead = await ctxOf("programledare@programportalen.test");
    const coordinator = await ctxOf("samordnare.vimmerby@programportalen.test");
    const programmeId = funder.grants[0].programmeId!;
    const cohortId = (await db.selectFrom("cohorts").select("id").where("programme_id", "=", programmeId).orderBy("id").executeTakeFirstOrThrow()).id;
    const selections: [string, typeof funder, StatisticsFilter][] = [
      ["funder", funder, { programmeId }],
      ["lead, one cohort, spring", lead, { programmeId, cohortId, fromMonth: "2026-03", toMonth: "2026-06" }],
      ["coordinator", coordinator, { programmeId }],
      ["coordinator, from a month without attendance", coordinator, { programmeId, fromMonth: DEMO_TODAY.slice(0, 7) }],
    ];
    for (const [name, ctx, filter] of selections) {
      const report = await getStatistics(ctx, filter, DEMO_TODAY);
      expect(report, `${name}: page`).toMatchSnapshot(`${name}: page`);
      expect(statisticsCsv(report), `${name}: csv`).toMatchSnapshot(`${name}: csv`);
      expect(await xlsxCells(statisticsWorkbook(report)), `${name}: xlsx`).toMatchSnapshot(`${name}: xlsx`);
    }
  });
});
