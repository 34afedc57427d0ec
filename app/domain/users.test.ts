import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { ctxFor } from "../../tests/support/coordination";
import type { Ctx } from "./context.server";
import { listUsers } from "./users.server";

let db: Db;
let adminCtx: Ctx;

beforeEach(async () => {
  db = await emptyDb();
  adminCtx = await ctxFor(db, await createUser(db, { email: "admin@example.se", name: "Adam Admin", grants: [{ role: "admin" }] }));
  await createUser(db, { email: "asa@hultsfred.example", name: "Åsa Öberg" });
  await createUser(db, { email: "k.mcneil@vimmerby.example", name: "Karin McNeil" });
});

describe("the user list", () => {
  it("searches names and e-mail without minding case on both backends, with % and _ as plain characters", async () => {
    const found = async (q: string) => (await listUsers(adminCtx, { q })).users.map((u) => u.name);
    expect(await found("åSA öBERG")).toEqual(["Åsa Öberg"]);
    expect(await found("mcneil")).toEqual(["Karin McNeil"]);
    expect(await found("K.MCNEIL@")).toEqual(["Karin McNeil"]);
    expect(await found("%")).toEqual([]);
    expect(await found("_")).toEqual([]);
  });
});
