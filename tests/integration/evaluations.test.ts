import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/http";
import { demoIds, type DemoIds } from "./demo-ids";

describe("session evaluations over HTTP", () => {
  let server: TestServer;
  let ids: DemoIds;
  beforeAll(async () => {
    server = await startTestServer();
    ids = await demoIds(server.db);
  }, 60_000);
  afterAll(() => server?.close());

  it("answers a post to a closed evaluation with 409 and says why on the page", async () => {
    const cookie = await server.login(ids.emails.trainee);
    const response = await server.fetch(`/utvardering/${ids.params.sessionId}`, { method: "POST", cookie, body: new URLSearchParams({ intent: "x" }) });
    expect(response.status).toBe(409);
    // Visible on the page, not only in the data Remix sends along in a script.
    const visible = (await response.text()).replace(/<script[\s\S]*?<\/script>/g, "");
    expect(visible).toContain("Utvärderingen är stängd: den gick att besvara i två veckor efter träffen.");
    expect(visible).toContain('role="alert"');
  });

  it("refuses the effect report download to a trainee (403) and gives the funder the XLSX", async () => {
    const trainee = await server.login(ids.emails.trainee);
    expect((await server.fetch(`/program/${ids.params.programmeId}/effektrapport.xlsx`, { cookie: trainee })).status).toBe(403);
    const funder = await server.login(ids.emails.funder);
    const xlsx = await server.fetch(`/program/${ids.params.programmeId}/effektrapport.xlsx`, { cookie: funder });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
  });
});
