import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

describe("login limits over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("answers 429 with Retry-After after ten failed tries a minute from one address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await server.fetch("/login", {
        method: "POST",
        body: form({ email: `gissning${i}@programportalen.test`, password: "fel-lösenord-123" }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);

    const blocked = await server.fetch("/login", {
      method: "POST",
      body: form({ email: "admin@programportalen.test", password: "portal-demo-2026" }),
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("För många misslyckade inloggningar");
  });
});
