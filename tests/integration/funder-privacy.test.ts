/**
 * A funder sees aggregates only. This test logs in as the demo funder, crawls
 * every page and download reachable from the start page and the statistics
 * page (links, the statistics filter's cohort choices, every .csv and .xlsx),
 * and searches every body for any participant's name, e-mail or personnummer
 * taken from the database. It also checks that the XLSX holds the same
 * numbers as the page it was downloaded from.
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/http";

const FUNDER = "finansiar@programportalen.test";
const MAX_PAGES = 300;

function decode(html: string): string {
  return html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => decode(m[1])).filter((href) => href.startsWith("/") && !href.startsWith("//"));
}

/** Every cell of every sheet as text, for searching. */
async function workbookText(body: ArrayBuffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body);
  const parts: string[] = [];
  workbook.eachSheet((sheet) => {
    parts.push(sheet.name);
    sheet.eachRow((row) => row.eachCell((cell) => parts.push(String(cell.value))));
  });
  return parts.join("\n");
}

/** "1 234,5" or "9 106,48 kr" as a number; ".." and "–" as themselves. */
function pageNumber(text: string): number | string {
  const t = text.replace(/[\s\u00a0\u202f]/g, "").replace(/kr$/, "").replace(/%$/, "");
  return /^-?\d+(,\d+)?$/.test(t) ? Number(t.replace(",", ".")) : text;
}

describe("a funder reaches no personal data", () => {
  let server: TestServer;
  let cookie: string;
  const forbidden: { kind: string; needle: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await server.login(FUNDER);
    const people = await server.db.selectFrom("participants").select(["first_name", "last_name", "email"]).execute();
    for (const p of people) {
      forbidden.push({ kind: "name", needle: `${p.first_name} ${p.last_name}` });
      forbidden.push({ kind: "name", needle: `${p.last_name}, ${p.first_name}` });
      forbidden.push({ kind: "e-mail", needle: p.email });
    }
    const identities = await server.db.selectFrom("participant_identities").select("personnummer").execute();
    for (const { personnummer: pnr } of identities) {
      forbidden.push({ kind: "personnummer", needle: pnr });
      forbidden.push({ kind: "personnummer", needle: `${pnr.slice(0, 8)}-${pnr.slice(8)}` });
      forbidden.push({ kind: "personnummer", needle: `${pnr.slice(2, 8)}-${pnr.slice(8)}` });
    }
    expect(people.length).toBeGreaterThan(80);
    expect(identities.length).toBeGreaterThan(10);
  });
  afterAll(() => server.close());

  function leaks(body: string): string[] {
    const lower = body.toLowerCase();
    return forbidden.filter((f) => lower.includes(f.needle.toLowerCase())).map((f) => `${f.kind}: ${f.needle}`);
  }

  it("finds none on any page or download reachable from / and /statistik", async () => {
    const queue = ["/", "/statistik"];
    const seen = new Set<string>();
    const visited: { path: string; status: number; kind: string }[] = [];
    const problems: string[] = [];
    while (queue.length && seen.size < MAX_PAGES) {
      const path = queue.shift()!;
      if (seen.has(path) || path.startsWith("/build/") || path === "/logout" || /\.(css|ico|png|svg|js)(\?|$)/.test(path)) continue;
      seen.add(path);
      const response = await server.fetch(path, { cookie });
      const type = response.headers.get("content-type") ?? "";
      let text: string;
      if (type.includes("spreadsheetml")) {
        text = await workbookText(await response.arrayBuffer());
        visited.push({ path, status: response.status, kind: "xlsx" });
      } else {
        text = await response.text();
        visited.push({ path, status: response.status, kind: type.includes("csv") ? "csv" : "html" });
      }
      for (const leak of leaks(text)) problems.push(`${path}: ${leak}`);
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get("location");
        if (location?.startsWith("/")) queue.push(location);
      }
      if (!type.includes("html")) continue;
      queue.push(...linksIn(text));
      // The statistics filter: every programme and cohort the funder can choose.
      if (path.startsWith("/statistik")) {
        const programme = /<select id="program" name="program"[^>]*>([\s\S]*?)<\/select>/.exec(text)?.[1] ?? "";
        const cohorts = /<select id="omgang" name="omgang"[^>]*>([\s\S]*?)<\/select>/.exec(text)?.[1] ?? "";
        for (const [, p] of programme.matchAll(/value="(\d+)"/g)) {
          queue.push(`/statistik?program=${p}`);
          for (const [, c] of cohorts.matchAll(/value="(\d+)"/g)) queue.push(`/statistik?program=${p}&omgang=${c}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(visited.length).toBeGreaterThan(10);
    const kinds = new Set(visited.filter((v) => v.status === 200).map((v) => v.kind));
    expect([...kinds].sort()).toEqual(["csv", "html", "xlsx"]);
    expect(visited.some((v) => v.path.startsWith("/statistik?") && v.path.includes("omgang="))).toBe(true);
    // The funder never gets the SCB list or the follow-up page.
    expect((await server.fetch("/scb", { cookie })).status).toBe(403);
    expect((await server.fetch("/scb.csv?manad=2026-10", { cookie })).status).toBe(403);
    expect((await server.fetch("/uppfoljning", { cookie })).status).toBe(403);
  });

  it("would notice personal data: a coordinator's own participant list is full of it", async () => {
    const coordinator = await server.login("samordnare.vimmerby@programportalen.test");
    const list = await (await server.fetch("/deltagare", { cookie: coordinator })).text();
    expect(leaks(list).length).toBeGreaterThan(5);
    const scb = await server.fetch("/scb.csv?manad=2026-08", { cookie: await server.login("programledare@programportalen.test") });
    expect(leaks(await scb.text()).some((l) => l.startsWith("personnummer"))).toBe(true);
  });

  it("downloads an XLSX with the same numbers as the statistics page for Omgång 1", async () => {
    const home = await (await server.fetch("/statistik", { cookie })).text();
    const cohort = /<option value="(\d+)">Omgång 1<\/option>/.exec(home)![1];
    // The table view: every figure of the page in a table (the chart view shows some as charts).
    const html = await (await server.fetch(`/statistik?omgang=${cohort}&visning=tabell`, { cookie })).text();

    const figures = new Map([...html.matchAll(/<data[^>]* value="([^"]*)" data-figure="([^"]+)">([^<]*)<\/data>/g)].map((m) => [m[2], { value: m[1], text: m[3] }]));
    expect(figures.get("total")?.value).toBe("40");
    const xlsxHref = decode(/href="(\/statistik\.xlsx\?[^"]+)"/.exec(html)![1]);
    expect(xlsxHref).toContain(`omgang=${cohort}`);
    const response = await server.fetch(xlsxHref, { cookie });
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());

    const summary = workbook.getWorksheet("Nyckeltal")!;
    const fromSheet = new Map<string, unknown>();
    summary.eachRow((row, n) => n > 1 && fromSheet.set(String(row.getCell(1).value), row.getCell(2).value));
    const labels: Record<string, string> = {
      total: "Deltagare under perioden",
      started: "Påbörjade",
      active: "Aktiva vid periodens slut",
      completed: "Avslutade",
      dropped: "Avbrutna",
      attendanceRate: "Närvarograd",
      hoursDelivered: "Levererade timmar",
      cofinancing: "Medfinansiering",
    };
    for (const [key, label] of Object.entries(labels)) {
      const cell = fromSheet.get(label);
      expect(typeof cell, label).toBe("number");
      expect(cell, label).toBe(Number(figures.get(key)!.value));
    }

    // Every table on the page against its sheet, cell by cell: numbers as numbers, ".." as text.
    const tables = [...html.matchAll(/<caption>([^<]+)<\/caption>([\s\S]*?)<\/table>/g)];
    expect(tables.length).toBeGreaterThanOrEqual(7);
    for (const [, caption, body] of tables) {
      const title = decode(caption);
      const sheet = workbook.worksheets.find((s) => title.startsWith(s.name))!;
      expect(sheet, title).toBeDefined();
      const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1);
      rows.forEach(([, row], i) => {
        const cells = [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => pageNumber(decode(m[1])));
        const sheetRow = sheet.getRow(i + 2);
        cells.forEach((value, c) => expect(sheetRow.getCell(c + 2).value, `${title} row ${i + 1} col ${c + 1}`).toEqual(value));
      });
    }
    // The breakdowns (the whole programme) are large enough for most cells and small enough that some are hidden.
    expect(html).toContain('<td class="num">..</td>');
  });

  it("issue 13 finding 6: fran=2026-04-28 and fran=2026-04-29 are read as the same whole month, and the page says so", async () => {
    const breakdowns = (html: string) => html.slice(html.indexOf('id="breakdowns"'), html.indexOf("</main>"));
    const a = await (await server.fetch("/statistik?fran=2026-04-28", { cookie })).text();
    const b = await (await server.fetch("/statistik?fran=2026-04-29", { cookie })).text();
    expect(decode(a).replace(/<!-- -->/g, "")).toContain("Statistiken räknas per hel månad: 28 april 2026 räknas som april 2026.");
    expect(breakdowns(a)).toContain("Gäller hela programmet, alla omgångar, till och med");
    // Everything the page shows is the same: there is nothing to subtract.
    const shown = (html: string, day: string) => /<main[\s\S]*<\/main>/.exec(html)![0].replace(new RegExp(`${day} april|2026-04-${day}`, "g"), "");
    expect(shown(a, "28")).toEqual(shown(b, "29"));
    // Even whole months apart, the breakdowns by municipality, gender, age, education and outcome do not move.
    const march = await (await server.fetch("/statistik?fran=2026-03&till=2026-03", { cookie })).text();
    const june = await (await server.fetch("/statistik?fran=2026-06&till=2026-06", { cookie })).text();
    expect(breakdowns(march)).toEqual(breakdowns(june));
  });

  it("refuses a malformed period with a Swedish 400 on the page and both downloads, rather than counting another selection", async () => {
    for (const path of ["/statistik", "/statistik.csv", "/statistik.xlsx"]) {
      for (const query of ["fran=2026-13", "till=april", "fran=2026-06&till=2026-05"]) {
        const response = await server.fetch(`${path}?${query}`, { cookie });
        expect(response.status, `${path}?${query}`).toBe(400);
        const text = decode(await response.text());
        expect(text, `${path}?${query}`).toMatch(/Från: Ange en månad som ÅÅÅÅ-MM|Till: Ange en månad som ÅÅÅÅ-MM|Periodens första månad måste ligga före dess sista/);
      }
    }
  });

  it("downloads a CSV that carries exactly the page's numbers, '..' where the page hides one", async () => {
    const html = decode(await (await server.fetch("/statistik?fran=2026-01&till=2026-06", { cookie })).text());
    const csv = await (await server.fetch("/statistik.csv?fran=2026-01&till=2026-06", { cookie })).text();
    const lines = new Set(parse(csv, { delimiter: ";", bom: true }).map((line: string[]) => JSON.stringify(line)));
    const tables = [...html.matchAll(/<caption>([^<]+)<\/caption>([\s\S]*?)<\/table>/g)];
    let hidden = 0;
    for (const [, title, body] of tables) {
      const columns = [...body.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]).slice(1);
      for (const [, row] of [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1)) {
        const label = /<th scope="row">([^<]*)<\/th>/.exec(row)![1];
        [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].forEach(([, text], c) => {
          const value = pageNumber(text);
          if (value === "..") hidden++;
          const csvValue = typeof value === "number" ? String(value).replace(".", ",") : value;
          expect(lines.has(JSON.stringify([title, label, columns[c], csvValue])), `${title} / ${label} / ${columns[c]}: ${text}`).toBe(true);
        });
      }
    }
    expect(hidden).toBeGreaterThan(5);
  });
});
