/**
 * Link only to what the viewer may open: for each demo role, every link on
 * every page reached from the start page (and from the cohort and privacy
 * pages where the issue found broken links) must answer 200 or a redirect
 * inside the portal, never 4xx or a way back to the login. And an unknown address answers a Swedish 404
 * inside the layout, with the menu and "Logga ut" kept.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/http";

const ROLES = {
  admin: "admin@programportalen.test",
  lead: "programledare@programportalen.test",
  coordinator: "samordnare.vimmerby@programportalen.test",
  trainee: "deltagare@programportalen.test",
  funder: "finansiar@programportalen.test",
};

function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1].replace(/&amp;/g, "&"))
    .filter((href) => href.startsWith("/") && !href.startsWith("//") && !href.startsWith("/build/") && !/\.(css|svg|ics)(\?|$)/.test(href))
    .map((href) => href.split("#")[0]);
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.close());

describe("links lead only where the viewer may go", () => {
  for (const [role, email] of Object.entries(ROLES)) {
    it(`gives the ${role} no link to a page they cannot open, on any page they reach`, async () => {
      const cookie = await server.login(email);
      const cohort = await server.db.selectFrom("cohorts").select("id").where("name", "=", "Omgång 2").executeTakeFirstOrThrow();
      const seeds = ["/", "/integritet", `/omgangar/${cohort.id}`];
      const pages = new Set<string>();
      for (const seed of seeds) {
        const response = await server.fetch(seed, { cookie });
        if (response.status !== 200) continue;
        pages.add(seed);
        for (const link of linksIn(await response.text())) pages.add(link);
      }
      const broken: string[] = [];
      const checked = new Set<string>();
      // Every link on every page reached, breadth first; one page per address pattern (ids replaced) keeps it bounded.
      for (const page of pages) {
        const [path, search = ""] = page.split("?");
        const pattern = `${path.replace(/\/\d+(?=\/|$)/g, "/:id")}?${[...new URLSearchParams(search).keys()].sort().join("&")}`;
        if (checked.has(pattern) || page === "/logout" || checked.size >= 250) continue;
        checked.add(pattern);
        const response = await server.fetch(page, { cookie });
        const location = response.headers.get("location") ?? "";
        const redirectedToLogin = response.status >= 300 && response.status < 400 && location.startsWith("/login");
        if (response.status >= 400 || redirectedToLogin) broken.push(`${page} -> ${response.status} ${location}`.trim());
        else if (response.headers.get("content-type")?.includes("text/html")) {
          for (const link of linksIn(await response.text())) pages.add(link);
        }
      }
      expect(checked.size).toBeGreaterThan(3);
      expect(broken).toEqual([]);
    }, 280_000);
  }
});

describe("an unknown address", () => {
  it("answers a Swedish 404 inside the layout, with the menu and Logga ut", async () => {
    const cookie = await server.login(ROLES.coordinator);
    const response = await server.fetch("/finns-inte/alls", { cookie });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("Sidan finns inte");
    expect(html).toContain('aria-label="Huvudmeny"');
    expect(html).toContain("Logga ut");
    expect(html).not.toMatch(/Not Found|No route matches|Error:/);
  });

  it("answers a post to an unknown address with the same 404, not a developer's 405", async () => {
    const cookie = await server.login(ROLES.coordinator);
    const response = await server.fetch("/finns-inte", { cookie, method: "POST", body: new URLSearchParams({ a: "1" }) });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Sidan finns inte");
  });
});
