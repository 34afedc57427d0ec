import { describe, expect, it } from "vitest";
import { employerSchema, orgNumber } from "~/schemas/municipalities";
import { createMunicipality, createUser } from "../../db/seed/factories";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { getEmployers, setEmployerOrgNumber } from "./municipalities.server";
import { checked } from "./result";

const message = (value: unknown) => orgNumber.safeParse(value).error?.issues[0].message;

describe("the employer's organisation number (issue 14, item 5)", () => {
  it("accepts a Swedish organisation number with or without the hyphen and stores it as NNNNNN-NNNN", () => {
    expect(orgNumber.parse("212000-0761")).toBe("212000-0761");
    expect(orgNumber.parse(" 2120000761 ")).toBe("212000-0761");
    expect(employerSchema.safeParse({ intent: "employer", municipalityId: 1, orgNumber: "5560360793" })).toMatchObject({ success: true });
  });

  it("refuses a wrong check digit, a personnummer, a wrong shape or nothing, each with a Swedish message", () => {
    expect(message("212000-0762")).toBe("Organisationsnumret har fel kontrollsiffra.");
    // 19800101-... is a person (the month 01 < 20), not an organisation, even with a correct check digit.
    expect(message("800101-9806")).toBe("Det är inte ett organisationsnummer: tredje och fjärde siffran är alltid 20 eller mer.");
    expect(message("212000 0761")).toBe("Skriv organisationsnumret som NNNNNN-NNNN (tio siffror).");
    expect(message("16212000-0761")).toBe("Skriv organisationsnumret som NNNNNN-NNNN (tio siffror).");
    expect(message("")).toBe("Fyll i organisationsnumret.");
    expect(message(undefined)).toBe("Fyll i organisationsnumret.");
  });

  it("the municipality's coordinator sets it, audited; another municipality's coordinator cannot, and nothing changes", async () => {
    const db = await emptyDb();
    const vimmerby = await createMunicipality(db, { name: "Vimmerby" });
    const hultsfred = await createMunicipality(db, { name: "Hultsfred" });
    const own = await ctxFor(db, await createUser(db, { email: "v@test", name: "Vera", grants: [{ role: "coordinator", municipalityId: vimmerby }] }));
    const other = await ctxFor(db, await createUser(db, { email: "h@test", name: "Hugo", grants: [{ role: "coordinator", municipalityId: hultsfred }] }));

    // Outside one's scope is a 404 (ADR 014), and leaves a denial in the log.
    await expectResponse(setEmployerOrgNumber(other, checked({ intent: "employer", municipalityId: vimmerby, orgNumber: "212000-0761" })), 404);
    expect(await getEmployers(own)).toEqual([{ municipalityId: vimmerby, name: "Vimmerby", orgNumber: null }]);

    await setEmployerOrgNumber(own, checked({ intent: "employer", municipalityId: vimmerby, orgNumber: "212000-0761" }));
    await setEmployerOrgNumber(own, checked({ intent: "employer", municipalityId: vimmerby, orgNumber: "212000-0761" }));
    expect(await getEmployers(own)).toEqual([{ municipalityId: vimmerby, name: "Vimmerby", orgNumber: "212000-0761" }]);
    expect(await getEmployers(other)).toEqual([{ municipalityId: hultsfred, name: "Hultsfred", orgNumber: null }]);
    const audit = await db.selectFrom("audit_log").select(["action", "actor_user_id", "municipality_id", "detail"]).orderBy("id").execute();
    expect(audit.map((a) => [a.action, a.actor_user_id, a.municipality_id])).toEqual([
      ["authz.denied", other.user.id, vimmerby],
      // Saving the same number again is no change and leaves no second entry.
      ["municipality.org_number_set", own.user.id, vimmerby],
    ]);
    expect(JSON.parse(audit[1].detail!)).toEqual({ fields: ["org_number"], replaced: false });
  });
});
