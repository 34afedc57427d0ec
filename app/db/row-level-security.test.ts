/**
 * Row-level security on PostgreSQL (docs/decisions/028-row-level-security.md):
 * a query that forgets the municipality scope still sees and changes nothing
 * of another municipality. SQLite has no row-level security: there the
 * domain's own checks are the only wall, and these tests do not apply.
 */
import type { AppLoadContext } from "@remix-run/node";
import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { startLoginSession, requireUserContext } from "~/auth/session.server";
import { loadConfig } from "~/config.server";
import type { Db } from "~/db/connection.server";
import { type Ctx } from "~/domain/context.server";
import { acrossMunicipalitiesIn, systemDb } from "~/domain/internal/system-handle.server";
import { createMunicipality, createParticipant, createProgramme, createUser } from "../../db/seed/factories";
import { personnummerFor } from "../../db/seed/people";
import { ctxFor } from "../../tests/support/coordination";
import { emptyDb, TEST_BACKEND } from "../../tests/support/db";

let db: Db;
let hultsfred: number;
let vimmerby: number;
let hultsfredCtx: Ctx;

/** The context a request gets from its login session's cookie, as every loader and action does. */
async function requestContextOf(db: Db, userId: number): Promise<Ctx> {
  const config = loadConfig({ DATABASE_URL: ":memory:", SESSION_SECRET: "x".repeat(32) }, () => {});
  const context = { db, config, nonce: "", clientIp: "127.0.0.1" } as AppLoadContext;
  const setCookie = await startLoginSession(context, userId);
  const request = new Request("http://portal.test/deltagare", { headers: { Cookie: setCookie.split(";")[0] } });
  return requireUserContext(request, context);
}

beforeEach(async () => {
  db = await emptyDb();
  hultsfred = await createMunicipality(db, { name: "Hultsfred" });
  vimmerby = await createMunicipality(db, { name: "Vimmerby" });
  await createParticipant(db, { municipalityId: hultsfred, firstName: "Hanna", lastName: "Ek", personnummer: personnummerFor(1980, 1) });
  await createParticipant(db, { municipalityId: vimmerby, firstName: "Viktor", lastName: "Alm", personnummer: personnummerFor(1981, 2) });
  hultsfredCtx = await requestContextOf(
    db,
    await createUser(db, { email: "samordnare@hultsfred.example", name: "Hanna", grants: [{ role: "coordinator", municipalityId: hultsfred }] }),
  );
});

describe.runIf(TEST_BACKEND === "postgres")("row-level security on PostgreSQL", () => {
  it("runs as a role that row-level security applies to (no superuser, no BYPASSRLS), as the app must in production", async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(db);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it("a domain query that forgets its municipality filter returns nothing of another municipality, through a request's own context", async () => {
    const participants = await hultsfredCtx.db.selectFrom("participants").select(["municipality_id", "first_name"]).execute();
    expect(participants).toEqual([{ municipality_id: hultsfred, first_name: "Hanna" }]);
    const identities = await hultsfredCtx.db.selectFrom("participant_identities").select("municipality_id").execute();
    expect(identities).toEqual([{ municipality_id: hultsfred }]);
    // The same inside a transaction, and by id.
    const inTransaction = await hultsfredCtx.db.transaction().execute((trx) => trx.selectFrom("participants").select("municipality_id").execute());
    expect(inTransaction).toEqual([{ municipality_id: hultsfred }]);
    const vimmerbysId = (await db.selectFrom("participants").select("id").where("municipality_id", "=", vimmerby).executeTakeFirstOrThrow()).id;
    expect(await hultsfredCtx.db.selectFrom("participants").select("id").where("id", "=", vimmerbysId).execute()).toEqual([]);
  });

  it("a write that forgets the scope changes nothing of another municipality, and cannot put a row there", async () => {
    const updated = await hultsfredCtx.db.updateTable("participants").set({ department: "Kapad" }).executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(1);
    const deleted = await hultsfredCtx.db.deleteFrom("participant_identities").executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(1);
    const vimmerbys = await db.selectFrom("participants as p").innerJoin("participant_identities as i", "i.participant_id", "p.id").select("p.department").where("p.municipality_id", "=", vimmerby).execute();
    expect(vimmerbys).toHaveLength(1);
    expect(vimmerbys[0].department).not.toBe("Kapad");

    const planted = hultsfredCtx.db
      .updateTable("participants")
      .set({ municipality_id: vimmerby })
      .where("municipality_id", "=", hultsfred)
      .execute();
    await expect(planted).rejects.toThrow(/row-level security/);
  });

  it("a participant's hours (time reports, own activities) of another municipality are not seen either", async () => {
    const programmeId = await createProgramme(db, { name: "Ledarutveckling", ownerMunicipalityId: hultsfred, partnerMunicipalityIds: [hultsfred, vimmerby], startsOn: "2026-01-01", endsOn: "2027-12-31" });
    const at = "2026-06-01T08:00:00.000Z";
    for (const p of await db.selectFrom("participants").select(["id", "municipality_id"]).execute()) {
      const owner = { participant_id: p.id, municipality_id: p.municipality_id, programme_id: programmeId };
      await db
        .insertInto("time_reports")
        .values({ ...owner, month: "2026-05", status: "confirmed", confirmed_by: null, confirmed_at: at, certified_by: null, certified_at: null, needs_review: 0, rounding: null, certified_raw_minutes: null, certified_minutes: null, certified_salary_group: null, certified_lines: null, certified_hourly_cost_ore: null, certified_value_ore: null, certified_as: null, certified_manager_name: null, version: 1, created_at: at, updated_at: at })
        .execute();
      await db
        .insertInto("own_activities")
        .values({ ...owner, kind: "egen_studietid", activity_on: "2026-05-04", minutes: 60, description: "Läste", status: "pending", created_by: null, created_at: at, decided_by: null, decided_at: null, reason: null })
        .execute();
    }
    expect(await hultsfredCtx.db.selectFrom("time_reports").select("municipality_id").execute()).toEqual([{ municipality_id: hultsfred }]);
    expect(await hultsfredCtx.db.selectFrom("own_activities").select("municipality_id").execute()).toEqual([{ municipality_id: hultsfred }]);
    const cleared = await hultsfredCtx.db.deleteFrom("own_activities").executeTakeFirst();
    expect(Number(cleared.numDeletedRows)).toBe(1);
    expect(await db.selectFrom("own_activities").select("municipality_id").execute()).toEqual([{ municipality_id: vimmerby }]);
  });

  it("the named crossing: the system handle behind a request's context sees all; in a transaction the scope is lifted only for the work named", async () => {
    expect(systemDb(hultsfredCtx)).toBe(db);
    const municipalities = (rows: { municipality_id: number }[]) => rows.map((r) => r.municipality_id).sort((a, b) => a - b);
    const seen = await hultsfredCtx.db.transaction().execute(async (trx) => {
      const all = () => trx.selectFrom("participants").select("municipality_id").execute();
      return { before: await all(), across: await acrossMunicipalitiesIn(trx, all), after: await all() };
    });
    expect(municipalities(seen.before)).toEqual([hultsfred]);
    expect(municipalities(seen.across)).toEqual([hultsfred, vimmerby].sort((a, b) => a - b));
    expect(municipalities(seen.after)).toEqual([hultsfred]);
    // Outside a transaction the lift would end with its own statement: refused rather than silently scoped.
    await expect(acrossMunicipalitiesIn(hultsfredCtx.db, async () => 0)).rejects.toThrow(/transaction/);
    expect(municipalities(await hultsfredCtx.db.selectFrom("participants").select("municipality_id").execute())).toEqual([hultsfred]);
  });

  it("system work and staff whose grants span municipalities see all, and no scope outlives its handle on a shared connection", async () => {
    const programmeId = await createProgramme(db, { name: "Ledarutveckling", ownerMunicipalityId: hultsfred, partnerMunicipalityIds: [hultsfred, vimmerby], startsOn: "2026-01-01", endsOn: "2027-12-31" });
    const leadCtx = await ctxFor(db, await createUser(db, { email: "lead@example.se", name: "Lena", grants: [{ role: "programme_lead", programmeId }] }));
    const nobodyCtx = await ctxFor(db, await createUser(db, { email: "ingen@example.se", name: "Ingen" }));
    const count = async (handle: Db) => Number((await handle.selectFrom("participants").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    // Interleaved on one small pool, so the handles take turns on the same connections.
    const counts = await Promise.all(Array.from({ length: 12 }, (_, i) => count([db, hultsfredCtx.db, leadCtx.db, nobodyCtx.db][i % 4])));
    expect(counts).toEqual(Array.from({ length: 3 }, () => [2, 1, 2, 0]).flat());
  });
});
