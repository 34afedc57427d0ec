/**
 * A small consortium for programme, cohort and nomination tests: two partner
 * municipalities (Aneby owns the programme, Eksjö is a partner), a third that is
 * not in it (Högsby), a cohort with 2 + 1 seats, and one user per role.
 */
import type { Db } from "~/db/connection.server";
import { loadGrants, userContext, type Ctx } from "~/domain/context.server";
import {
  createCohort,
  createMunicipality,
  createParticipant,
  createProgramme,
  createUser,
} from "../../db/seed/factories";

/** The user's context as a request gets it: on PostgreSQL `ctx.db` is scoped to their municipalities. */
export async function ctxFor(db: Db, userId: number): Promise<Ctx> {
  const user = await db.selectFrom("users").select(["id", "email", "name"]).where("id", "=", userId).executeTakeFirstOrThrow();
  return userContext(db, user, await loadGrants(db, userId));
}

export async function consortium(db: Db) {
  const aneby = await createMunicipality(db, { name: "Aneby" });
  const eksjo = await createMunicipality(db, { name: "Eksjö" });
  const hogsby = await createMunicipality(db, { name: "Högsby" });
  const programmeId = await createProgramme(db, {
    name: "Ledarutveckling",
    ownerMunicipalityId: aneby,
    partnerMunicipalityIds: [aneby, eksjo],
    startsOn: "2026-01-01",
    endsOn: "2027-12-31",
  });
  const cohortId = await createCohort(db, {
    programmeId,
    name: "Omgång 1",
    startsOn: "2027-01-12",
    endsOn: "2027-12-01",
    seats: { [aneby]: 2, [eksjo]: 1 },
    capacity: 4,
  });
  const users = {
    admin: await createUser(db, { email: "admin@test.se", name: "Admin", grants: [{ role: "admin" }] }),
    lead: await createUser(db, { email: "lead@test.se", name: "Lead", grants: [{ role: "programme_lead", programmeId }] }),
    aneby: await createUser(db, { email: "aneby@test.se", name: "Samordnare Aneby", grants: [{ role: "coordinator", municipalityId: aneby }] }),
    eksjo: await createUser(db, { email: "eksjo@test.se", name: "Samordnare Eksjö", grants: [{ role: "coordinator", municipalityId: eksjo }] }),
    hogsby: await createUser(db, { email: "hogsby@test.se", name: "Samordnare Högsby", grants: [{ role: "coordinator", municipalityId: hogsby }] }),
    funder: await createUser(db, { email: "funder@test.se", name: "Funder", grants: [{ role: "funder", programmeId }] }),
  };
  let n = 0;
  const person = (municipalityId: number, firstName = `Person${++n}`) =>
    createParticipant(db, { municipalityId, firstName, lastName: "Testsson", email: `${firstName.toLowerCase()}@test.se`, title: "Handläggare" });
  return {
    db,
    municipalities: { aneby, eksjo, hogsby },
    programmeId,
    cohortId,
    users,
    person,
    as: (who: keyof typeof users) => ctxFor(db, users[who]),
  };
}

export async function expectResponse(promise: Promise<unknown>, status: number): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) {
      if (error.status !== status) throw new Error(`Expected a ${status} Response, got ${error.status}`);
      return;
    }
    throw error;
  }
  throw new Error(`Expected a ${status} Response, but the call succeeded`);
}

export async function auditActions(db: Db): Promise<string[]> {
  return (await db.selectFrom("audit_log").select("action").orderBy("id").execute()).map((r) => r.action);
}
