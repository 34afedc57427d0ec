import { describe, expect, it } from "vitest";
import { auditActions, consortium, ctxFor, expectResponse } from "../../tests/support/coordination";
import { demoDb, emptyDb } from "../../tests/support/db";
import { createProgramme, updateProgramme } from "./programme-edits.server";
import { getProgramme, listProgrammes } from "./programmes.server";
import { checked } from "./result";

async function setup() {
  return consortium(await emptyDb());
}

const input = (owner: number, partners: number[]) => ({
  name: "Internutbildning i ledarskap",
  kind: "internutbildning" as const,
  funding: "own" as const,
  ownerMunicipalityId: owner,
  partnerMunicipalityIds: partners,
  startsOn: "2027-01-01",
  endsOn: "2027-12-31",
  description: "",
});

describe("who sees which programmes", () => {
  it("shows each demo role the programmes of their grants", async () => {
    const { db } = await demoDb();
    const userId = async (email: string) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    const names = async (email: string) => (await listProgrammes(await ctxFor(db, await userId(email)))).items.map((p) => p.name).sort();
    expect(await names("admin@programportalen.test")).toEqual(["Ledarutveckling över gränserna", "Regionalt traineeprogram"]);
    expect(await names("programledare@programportalen.test")).toEqual(["Ledarutveckling över gränserna"]);
    expect(await names("samordnare.vimmerby@programportalen.test")).toEqual(["Ledarutveckling över gränserna"]);
    expect(await names("samordnare.nassjo@programportalen.test")).toEqual(["Ledarutveckling över gränserna", "Regionalt traineeprogram"]);
    expect(await names("finansiar@programportalen.test")).toEqual(["Ledarutveckling över gränserna"]);
    await expectResponse(listProgrammes(await ctxFor(db, await userId("deltagare@programportalen.test"))), 403);
    await db.destroy();
  });

  it("hides a programme from a coordinator outside it with 404 and an audit entry", async () => {
    const c = await setup();
    await expectResponse(getProgramme(await c.as("hogsby"), c.programmeId), 404);
    expect(await auditActions(c.db)).toEqual(["authz.denied"]);
    const seen = await getProgramme(await c.as("eksjo"), c.programmeId);
    expect(seen).toMatchObject({ name: "Ledarutveckling", canEdit: false, canCreateCohort: false });
    expect(seen.cohorts).toEqual([expect.objectContaining({ name: "Omgång 1", seats: 3, enrolled: 0 })]);
  });
});

describe("creating and editing programmes", () => {
  it("lets a coordinator create a programme owned by their municipality, not by another", async () => {
    const c = await setup();
    const aneby = await c.as("aneby");
    await expectResponse(createProgramme(aneby, checked(input(c.municipalities.eksjo, []))), 404);
    const result = await createProgramme(aneby, checked(input(c.municipalities.aneby, [c.municipalities.eksjo])));
    if (!result.ok) throw new Error("expected success");
    const created = await getProgramme(aneby, result.value.id);
    expect(created.partners.map((p) => p.name)).toEqual(["Aneby", "Eksjö"]);
    expect(created.canEdit).toBe(true);
    expect(await auditActions(c.db)).toEqual(["authz.denied", "programme.created"]);
  });

  it("lets the lead and the owner's coordinator edit, but only an administrator change the owner", async () => {
    const c = await setup();
    const values = { ...input(c.municipalities.aneby, [c.municipalities.aneby, c.municipalities.eksjo]), name: "Nytt namn", version: 1 };
    expect(await updateProgramme(await c.as("lead"), c.programmeId, checked(values))).toEqual({ ok: true, value: { id: c.programmeId } });
    await expectResponse(updateProgramme(await c.as("eksjo"), c.programmeId, checked(values)), 404);
    await expectResponse(updateProgramme(await c.as("aneby"), c.programmeId, checked({ ...values, ownerMunicipalityId: c.municipalities.eksjo })), 403);
    expect((await updateProgramme(await c.as("admin"), c.programmeId, checked({ ...values, ownerMunicipalityId: c.municipalities.eksjo, version: 2 }))).ok).toBe(true);
    const row = await c.db.selectFrom("programmes").select(["name", "owner_municipality_id"]).where("id", "=", c.programmeId).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: "Nytt namn", owner_municipality_id: c.municipalities.eksjo });
    const audit = await c.db.selectFrom("audit_log").select("detail").where("action", "=", "programme.updated").orderBy("id").execute();
    expect(JSON.parse(audit[0].detail!)).toMatchObject({ fields: ["name", "kind", "funding", "startsOn"] });
  });

  it("refuses to drop a partner that has seats in a cohort", async () => {
    const c = await setup();
    const result = await updateProgramme(await c.as("lead"), c.programmeId, checked({ ...input(c.municipalities.aneby, []), version: 1 }));
    expect(result).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { partnerMunicipalityIds: ["Eksjö har platser i en omgång och kan inte tas bort som partner. Ta bort platserna i omgången först."] },
    });
  });
});
