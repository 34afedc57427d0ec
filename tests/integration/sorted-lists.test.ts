/**
 * Long tables sort and filter on the server through the address (sortera,
 * ordning, q): the participants list, a cohort's roster and the month's time
 * reports. Odd parameters fall back to the default order; a filter never
 * reaches past the caller's own municipality.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/http";

const VIMMERBY = "samordnare.vimmerby@programportalen.test";
const LEAD = "programledare@programportalen.test";

/** The body of the first table with the given class. */
function tableBody(html: string, tableClass: string): string {
  return html.split(`<table class="${tableClass}"`)[1]?.split("</tbody>")[0] ?? "";
}

/** The row headers (names) of the first table with the given class, in page order. */
function rowNames(html: string, tableClass: string): string[] {
  const body = html.split(`<table class="${tableClass}"`)[1]?.split("</tbody>")[0] ?? "";
  return [...body.matchAll(/<th scope="row">([\s\S]*?)<\/th>/g)].map((m) => m[1].replace(/<div[\s\S]*<\/div>/, "").replace(/<[^>]+>/g, "").trim());
}

describe("sorted and filtered lists", () => {
  let server: TestServer;
  let vimmerby: string;
  beforeAll(async () => {
    server = await startTestServer();
    vimmerby = await server.login(VIMMERBY);
  });
  afterAll(() => server.close());

  it("sorts the participants list by a column link, both ways, with aria-sort on that column", async () => {
    const byName = rowNames(await (await server.fetch("/deltagare?status=all", { cookie: vimmerby })).text(), "participant-table");
    expect(byName.length).toBeGreaterThan(1);
    const descendingHtml = await (await server.fetch("/deltagare?status=all&sortera=namn&ordning=fallande", { cookie: vimmerby })).text();
    expect(rowNames(descendingHtml, "participant-table")).toEqual([...byName].reverse());
    expect(descendingHtml).toMatch(/<th scope="col" aria-sort="descending"><a [^>]*href="\/deltagare\?status=all&amp;sortera=namn&amp;ordning=stigande"/);

    const byEmail = await (await server.fetch("/deltagare?status=all&sortera=epost", { cookie: vimmerby })).text();
    const emails = [...byEmail.split('<table class="participant-table"')[1].split("</tbody>")[0].matchAll(/<td>([^<]+@[^<]+)<\/td>/g)].map((m) => m[1]);
    expect(emails.length).toBeGreaterThan(1);
    expect(emails).toEqual([...emails].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("answers odd sort, order, filter and page parameters with the default list, never an error", async () => {
    const plain = rowNames(await (await server.fetch("/deltagare", { cookie: vimmerby })).text(), "participant-table");
    for (const query of ["sortera=losenord", "ordning=upp", "sortera[]=namn", "q=%00%01", `q=${"x".repeat(500)}`, "page=-3", "sortera=namn&ordning=fallande&page=99999"]) {
      const response = await server.fetch(`/deltagare?${query}`, { cookie: vimmerby });
      expect(response.status, query).toBe(200);
      if (query.startsWith("sortera=losenord") || query.startsWith("ordning") || query.startsWith("q=%00")) {
        expect(rowNames(await response.text(), "participant-table"), query).toEqual(plain);
      }
    }
    const cohort = await server.db.selectFrom("cohorts").select("id").where("name", "=", "Omgång 2").executeTakeFirstOrThrow();
    for (const path of [`/omgangar/${cohort.id}?sortera=x&ordning=y&q=%00`, "/tidrapporter?sortera=x&ordning=y&q=%00&manad=2026-99"]) {
      expect((await server.fetch(path, { cookie: vimmerby })).status, path).toBe(200);
    }
  });

  it("finds no other municipality's participant by filtering, in the list, the roster or the time reports", async () => {
    const other = await server.db
      .selectFrom("participants as p")
      .innerJoin("municipalities as m", "m.id", "p.municipality_id")
      .select(["p.first_name", "p.last_name", "p.email"])
      .where("m.slug", "=", "eksjo")
      .where("p.ended_on", "is", null)
      .executeTakeFirstOrThrow();
    for (const q of [other.last_name, other.email, `${other.first_name} ${other.last_name}`]) {
      const html = await (await server.fetch(`/deltagare?status=all&q=${encodeURIComponent(q)}`, { cookie: vimmerby })).text();
      expect(tableBody(html, "participant-table"), q).not.toContain(other.email);
      expect(rowNames(html, "participant-table").filter((n) => n.includes(other.last_name) && n.includes(other.first_name)), q).toEqual([]);
    }
    const reports = await (await server.fetch(`/tidrapporter?q=${encodeURIComponent(other.last_name)}`, { cookie: vimmerby })).text();
    expect(reports.split("<tbody>").slice(1).join("")).not.toContain(`${other.first_name} ${other.last_name}`);
    const cohort = await server.db.selectFrom("cohorts").select("id").where("name", "=", "Omgång 2").executeTakeFirstOrThrow();
    const roster = await (await server.fetch(`/omgangar/${cohort.id}?q=${encodeURIComponent(other.last_name)}`, { cookie: vimmerby })).text();
    expect(tableBody(roster, "cohort-roster")).not.toContain(other.email);
    expect(roster.split("<tbody>").slice(1).join("")).not.toContain(`${other.first_name} ${other.last_name}`);
  });

  it("sorts and filters the roster the lead sees, and links names only where the viewer may open the page", async () => {
    const lead = await server.login(LEAD);
    const cohort = await server.db.selectFrom("cohorts").select("id").where("name", "=", "Omgång 2").executeTakeFirstOrThrow();
    const byName = rowNames(await (await server.fetch(`/omgangar/${cohort.id}?sortera=namn`, { cookie: lead })).text(), "cohort-roster");
    expect(byName.length).toBeGreaterThan(15);
    const lastNames = byName.map((n) => n.split(" ").slice(1).join(" "));
    expect(lastNames).toEqual([...lastNames].sort((a, b) => a.localeCompare(b, "sv")));
    const first = byName[0];
    const filtered = rowNames(await (await server.fetch(`/omgangar/${cohort.id}?q=${encodeURIComponent(first)}`, { cookie: lead })).text(), "cohort-roster");
    expect(filtered).toContain(first);
    expect(filtered.length).toBeLessThan(byName.length);
    // The lead may not open a participant's page; a coordinator may open their own municipality's.
    expect(await (await server.fetch(`/omgangar/${cohort.id}`, { cookie: lead })).text()).not.toMatch(/href="\/deltagare\/\d+"/);
    const own = await (await server.fetch(`/omgangar/${cohort.id}`, { cookie: vimmerby })).text();
    for (const [, id] of own.matchAll(/href="\/deltagare\/(\d+)"/g)) {
      expect((await server.fetch(`/deltagare/${id}`, { cookie: vimmerby })).status).toBe(200);
    }
  });
});
