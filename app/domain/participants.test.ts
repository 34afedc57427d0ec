import { beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import type { Db } from "~/db/connection.server";
import { participantSchema, type ParticipantInput } from "~/schemas/participants";
import { addDaysToDate } from "~/utils/time";
import { stockholmToday } from "~/utils/format";
import { createMunicipality, createParticipant as insertParticipant, createUser } from "../../db/seed/factories";
import { personnummerFor } from "../../db/seed/people";
import { emptyDb } from "../../tests/support/db";
import { ctxFor } from "../../tests/support/coordination";
import { PARTICIPANT_EXPORT_HEADER, participantExportCells } from "~/ui/participants";
import { toCsv } from "~/utils/csv.server";
import { loadGrants, type Ctx } from "./context.server";
import { giveLogin, LOGIN_ADDRESS_UNAVAILABLE } from "./participant-login.server";
import {
  createParticipant,
  endParticipation,
  exportParticipants,
  getParticipant,
  getParticipantForEdit,
  listParticipants,
  PAGE_SIZE,
  reopenParticipation,
  updateParticipant,
} from "./participants.server";
import { checked } from "./result";

const PNR = personnummerFor(1985, 7); // canonical, 12 digits, in the test range

function input(overrides: Partial<ParticipantInput> = {}): ParticipantInput {
  return {
    firstName: "Åsa",
    lastName: "Öberg",
    email: "asa.oberg@hultsfred.example",
    department: "Socialförvaltningen",
    title: "Enhetschef",
    gender: "kvinna",
    birthYear: 1985,
    personnummer: PNR,
    educationLevel: "isced_5_8",
    salaryGroup: "2",
    ...overrides,
  };
}

async function responseOf(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected a thrown Response");
}

let db: Db;
let hultsfred: number;
let vimmerby: number;
let hultsfredCtx: Ctx;
let vimmerbyCtx: Ctx;

beforeEach(async () => {
  db = await emptyDb();
  hultsfred = await createMunicipality(db, { name: "Hultsfred" });
  vimmerby = await createMunicipality(db, { name: "Vimmerby" });
  hultsfredCtx = await ctxFor(
    db,
    await createUser(db, { email: "samordnare@hultsfred.example", name: "Hanna", grants: [{ role: "coordinator", municipalityId: hultsfred }] }),
  );
  vimmerbyCtx = await ctxFor(
    db,
    await createUser(db, { email: "samordnare@vimmerby.example", name: "Viktor", grants: [{ role: "coordinator", municipalityId: vimmerby }] }),
  );
});

async function auditRows() {
  return db.selectFrom("audit_log").selectAll().orderBy("id").execute();
}

describe("adding and listing participants", () => {
  it("adds a participant, keeps the personnummer apart and shows it masked in the list", async () => {
    const result = await createParticipant(hultsfredCtx, checked(input()));
    expect(result.ok).toBe(true);
    const id = result.ok ? result.value : 0;

    const identity = await db.selectFrom("participant_identities").selectAll().where("participant_id", "=", id).executeTakeFirstOrThrow();
    expect(identity).toEqual({ participant_id: id, municipality_id: hultsfred, personnummer: PNR });

    const list = await listParticipants(hultsfredCtx);
    expect(list.items).toEqual([
      expect.objectContaining({ id, firstName: "Åsa", lastName: "Öberg", personnummerMasked: `${PNR.slice(0, 8)}-****` }),
    ]);
    expect(JSON.stringify(list)).not.toContain(PNR.slice(8));

    const detail = await getParticipant(hultsfredCtx, id);
    expect(detail.personnummerMasked).toBe(`${PNR.slice(0, 8)}-****`);
    expect(JSON.stringify(detail)).not.toContain(PNR);

    // Only the edit form of the owning municipality gets the full number.
    const edit = await getParticipantForEdit(hultsfredCtx, id);
    expect(edit.ok && edit.value.values.personnummer).toBe(`${PNR.slice(0, 8)}-${PNR.slice(8)}`);
  });

  it("writes an audit entry with field names only, no personal data", async () => {
    const result = await createParticipant(hultsfredCtx, checked(input()));
    const entries = await auditRows();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "participant.created", entity: "participant", entity_id: String(result.ok && result.value) });
    const detail = entries[0].detail ?? "";
    expect(detail).toContain("personnummer");
    for (const personal of [PNR, PNR.slice(0, 8), "Åsa", "Öberg", "asa.oberg", "Socialförvaltningen"]) expect(detail).not.toContain(personal);
  });

  it("refuses a second participant with the same e-mail in the municipality, whatever the case", async () => {
    await createParticipant(hultsfredCtx, checked(input()));
    const again = await createParticipant(hultsfredCtx, checked(input({ firstName: "Annan", email: "ASA.Oberg@Hultsfred.example".toLowerCase() })));
    expect(again).toEqual({ ok: false, status: 400, fieldErrors: { email: ["Det finns redan en deltagare med den e-postadressen i kommunen."] } });
    // Another municipality may have a participant with the same address.
    expect((await createParticipant(vimmerbyCtx, checked(input()))).ok).toBe(true);
  });

  it("participant search is case-insensitive on both backends, for å, ä and ö too, however the term is typed", async () => {
    await insertParticipant(db, { municipalityId: hultsfred, firstName: "Anna", lastName: "McKenzie", email: "p1@example.se", department: "Kultur- och fritidsförvaltningen" });
    await insertParticipant(db, { municipalityId: hultsfred, firstName: "Åsa", lastName: "Öberg", email: "p2@example.se", department: "Socialförvaltningen" });
    await insertParticipant(db, { municipalityId: vimmerby, firstName: "Anna", lastName: "Åström" });
    const found = async (q: string) => (await listParticipants(hultsfredCtx, { q })).items.map((p) => p.firstName).sort();

    expect(await found("anna")).toEqual(["Anna"]);
    expect(await found("ÅSA")).toEqual(["Åsa"]);
    // Spellings no list of case variants foresees: mixed case, a name's inner capital, a whole-name search.
    expect(await found("aNNa")).toEqual(["Anna"]);
    expect(await found("åSA")).toEqual(["Åsa"]);
    expect(await found("mckenzie")).toEqual(["Anna"]);
    expect(await found("ÅSA öBERG")).toEqual(["Åsa"]);
    expect(await found("FRITIDSförvaltningen")).toEqual(["Anna"]);
    expect(await found("%")).toEqual([]);
  });

  it("pages 25 at a time, searches name, e-mail and department without minding case, and filters active and ended", async () => {
    for (let i = 0; i < 30; i++) {
      await insertParticipant(db, {
        municipalityId: hultsfred,
        firstName: `Person${String(i).padStart(2, "0")}`,
        lastName: i === 3 ? "Ågren" : "Andersson",
        department: i % 2 ? "Socialförvaltningen" : "Barn- och utbildningsförvaltningen",
      });
    }
    const first = await listParticipants(hultsfredCtx);
    expect(first.total).toBe(30);
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(first.pageCount).toBe(2);
    const second = await listParticipants(hultsfredCtx, { page: 2 });
    expect(second.items).toHaveLength(5);
    expect(new Set([...first.items, ...second.items].map((p) => p.id)).size).toBe(30);
    // A page past the end shows the last page rather than nothing.
    expect((await listParticipants(hultsfredCtx, { page: 9 })).page).toBe(2);

    expect((await listParticipants(hultsfredCtx, { q: "ågren" })).items.map((p) => p.lastName)).toEqual(["Ågren"]);
    expect((await listParticipants(hultsfredCtx, { q: "person03 ågren" })).total).toBe(1);
    expect((await listParticipants(hultsfredCtx, { q: "SOCIAL" })).total).toBe(15);
    expect((await listParticipants(hultsfredCtx, { q: "person07.andersson@" })).total).toBe(1);
    expect((await listParticipants(hultsfredCtx, { q: "100%_" })).total).toBe(0);

    const someone = first.items[0].id;
    await endParticipation(hultsfredCtx, someone, checked({ endedOn: stockholmToday(), endReason: "Nytt arbete" }));
    expect((await listParticipants(hultsfredCtx)).total).toBe(29);
    expect((await listParticipants(hultsfredCtx, { status: "ended" })).items.map((p) => p.id)).toEqual([someone]);
    expect((await listParticipants(hultsfredCtx, { status: "all" })).total).toBe(30);
  });

  it("exports the filtered list with the personnummer masked", async () => {
    await createParticipant(hultsfredCtx, checked(input()));
    const { municipalitySlug, rows } = await exportParticipants(hultsfredCtx);
    expect(municipalitySlug).toBe("hultsfred");
    const csv = toCsv(PARTICIPANT_EXPORT_HEADER, rows.map(participantExportCells));
    expect(csv.startsWith("\uFEFFFörnamn;Efternamn;E-post")).toBe(true);
    expect(csv).toContain(`${PNR.slice(0, 8)}-****`);
    expect(csv).not.toContain(PNR);
    expect(csv).not.toContain(PNR.slice(8));
  });
});

describe("editing and ending", () => {
  it("updates the fields, records which ones changed, and removes a cleared personnummer", async () => {
    const created = await createParticipant(hultsfredCtx, checked(input()));
    const id = created.ok ? created.value : 0;
    const result = await updateParticipant(hultsfredCtx, id, checked(input({ title: "Avdelningschef", personnummer: undefined })));
    expect(result).toEqual({ ok: true, value: undefined });
    const row = await db.selectFrom("participants").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.title).toBe("Avdelningschef");
    expect(await db.selectFrom("participant_identities").selectAll().execute()).toEqual([]);
    const last = (await auditRows()).at(-1)!;
    expect(last.action).toBe("participant.updated");
    expect(JSON.parse(last.detail!)).toEqual({ source: "form", fields: ["title", "personnummer"] });
  });

  it("ends a participation with date and reason, refuses a future date, and can undo it", async () => {
    const created = await createParticipant(hultsfredCtx, checked(input()));
    const id = created.ok ? created.value : 0;
    const tomorrow = addDaysToDate(stockholmToday(), 1);
    expect(await endParticipation(hultsfredCtx, id, checked({ endedOn: tomorrow, endReason: "x" }))).toMatchObject({ ok: false, status: 400 });

    await endParticipation(hultsfredCtx, id, checked({ endedOn: "2026-10-01", endReason: "Nytt arbete utanför kommunen" }));
    const detail = await getParticipant(hultsfredCtx, id);
    expect(detail).toMatchObject({ endedOn: "2026-10-01", endReason: "Nytt arbete utanför kommunen" });
    await reopenParticipation(hultsfredCtx, id);
    expect((await getParticipant(hultsfredCtx, id)).endedOn).toBeNull();
    expect((await auditRows()).map((a) => a.action)).toEqual(["participant.created", "participant.ended", "participant.reopened"]);
  });
});

describe("another municipality's participant", () => {
  it("can be neither read nor written by a coordinator of another municipality", async () => {
    const created = await createParticipant(hultsfredCtx, checked(input()));
    const id = created.ok ? created.value : 0;
    const before = await db.selectFrom("participants").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

    const attempts: Promise<unknown>[] = [
      getParticipant(vimmerbyCtx, id),
      getParticipantForEdit(vimmerbyCtx, id),
      updateParticipant(vimmerbyCtx, id, checked(input({ firstName: "Kapad" }))),
      endParticipation(vimmerbyCtx, id, checked({ endedOn: "2026-10-01", endReason: "x" })),
      reopenParticipation(vimmerbyCtx, id),
      giveLogin(vimmerbyCtx, id),
    ];
    // Observed at once: on PostgreSQL a later attempt rejects while an earlier one is still awaited.
    const statuses = (await Promise.all(attempts.map(responseOf))).map((r) => r.status);
    expect(statuses).toEqual(attempts.map(() => 404));

    expect(await db.selectFrom("participants").selectAll().where("id", "=", id).executeTakeFirstOrThrow()).toEqual(before);
    expect(await db.selectFrom("users").select("id").where("email", "=", before.email).execute()).toEqual([]);
    expect((await listParticipants(vimmerbyCtx)).items).toEqual([]);

    const denials = (await auditRows()).filter((a) => a.action === "authz.denied");
    expect(denials).toHaveLength(attempts.length);
    for (const d of denials) expect(d).toMatchObject({ actor_user_id: vimmerbyCtx.user.id, entity: "participant", entity_id: String(id) });
  });

  it("answers an id that does not exist the same way, with 404", async () => {
    expect((await responseOf(getParticipant(vimmerbyCtx, 999_999))).status).toBe(404);
  });

  it("refuses anyone who is not a coordinator with 403 and an audit entry", async () => {
    const lead = await ctxFor(db, await createUser(db, { email: "lead@example.se", name: "Lea", grants: [{ role: "admin" }] }));
    expect((await responseOf(listParticipants(lead))).status).toBe(403);
    expect((await responseOf(createParticipant(lead, checked(input())))).status).toBe(403);
    expect((await auditRows()).map((a) => a.action)).toEqual(["authz.denied", "authz.denied"]);
  });
});

describe("giving a participant a login", () => {
  it("creates a user with a one-time password and a participant grant, once", async () => {
    const created = await createParticipant(hultsfredCtx, checked(input()));
    const id = created.ok ? created.value : 0;
    const result = await giveLogin(hultsfredCtx, id);
    if (!result.ok) throw new Error(`expected a new user, got ${result.message}`);
    const login = result.value;
    expect(login.email).toBe("asa.oberg@hultsfred.example");
    expect(login.oneTimePassword.length).toBeGreaterThanOrEqual(12);

    const user = await db.selectFrom("users").selectAll().where("email", "=", login.email).executeTakeFirstOrThrow();
    expect(user.name).toBe("Åsa Öberg");
    expect(await verifyPassword(user.password_hash, login.oneTimePassword)).toBe(true);
    expect(await loadGrants(db, user.id)).toEqual([{ role: "participant", municipalityId: hultsfred, participantId: id, programmeId: null }]);

    const audit = (await auditRows()).at(-1)!;
    expect(audit.action).toBe("participant.login_created");
    expect(audit.detail).not.toContain(login.oneTimePassword);

    expect(await giveLogin(hultsfredCtx, id)).toEqual({ ok: false, status: 400, message: "Deltagaren har redan en inloggning." });
    expect((await getParticipant(hultsfredCtx, id)).loginEmail).toBe(login.email);
  });

  it("gives two participants different passwords", async () => {
    const a = await createParticipant(hultsfredCtx, checked(input()));
    const b = await createParticipant(hultsfredCtx, checked(input({ email: "b@hultsfred.example", personnummer: undefined })));
    const first = await giveLogin(hultsfredCtx, a.ok ? a.value : 0);
    const second = await giveLogin(hultsfredCtx, b.ok ? b.value : 0);
    expect(first.ok && second.ok && first.value.oneTimePassword !== second.value.oneTimePassword).toBe(true);
  });

  it("finding 3: gives no login on an address already in use, never touching that account, with one answer whatever the reason", async () => {
    // Vimmerby's trainee (an account with a grant), a staff account without any grant, and a Vimmerby participant without a login.
    const vimmerbyPerson = await insertParticipant(db, { municipalityId: vimmerby, firstName: "Vera", lastName: "Vik", email: "vera.vik@vimmerby.example" });
    const traineePerson = await insertParticipant(db, { municipalityId: vimmerby, firstName: "Tina", lastName: "Trainee", email: "trainee@vimmerby.example" });
    const trainee = await createUser(db, {
      email: "trainee@vimmerby.example",
      name: "Tina Trainee",
      password: "tinas-eget-lösenord",
      grants: [{ role: "participant", municipalityId: vimmerby, participantId: traineePerson }],
    });
    const bare = await createUser(db, { email: "bare@example.se", name: "Utan roll", password: "ett-eget-lösenord" });
    const before = await db.selectFrom("role_grants").selectAll().orderBy("id").execute();

    const answers = [];
    for (const email of ["TRAINEE@vimmerby.example", "bare@example.se", "vera.vik@vimmerby.example", "samordnare@vimmerby.example"]) {
      const created = await createParticipant(hultsfredCtx, checked(input({ email, personnummer: undefined })));
      answers.push(await giveLogin(hultsfredCtx, created.ok ? created.value : 0));
    }
    expect(answers).toEqual(Array(4).fill({ ok: false, status: 400, message: LOGIN_ADDRESS_UNAVAILABLE }));
    expect(await db.selectFrom("role_grants").selectAll().orderBy("id").execute()).toEqual(before);
    const user = await db.selectFrom("users").selectAll().where("id", "=", trainee).executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash, "tinas-eget-lösenord")).toBe(true);
    expect(await loadGrants(db, bare)).toEqual([]);

    // The earlier registration keeps its claim: Vimmerby can still give its participant a login.
    expect((await giveLogin(vimmerbyCtx, vimmerbyPerson)).ok).toBe(true);
  });
});

describe("the participant schema", () => {
  const valid = {
    firstName: "Åsa",
    lastName: "Öberg",
    email: "Asa.Oberg@Hultsfred.example",
    department: "Socialförvaltningen",
    gender: "kvinna",
    birthYear: 1985,
    salaryGroup: "2",
  };

  it("accepts the required fields, lower-cases the e-mail and leaves the optional ones out", () => {
    const result = participantSchema.safeParse(valid);
    if (!result.success) throw result.error;
    expect(result.data.email).toBe("asa.oberg@hultsfred.example");
    expect(result.data.personnummer).toBeUndefined();
    expect(result.data.educationLevel).toBeUndefined();
  });

  it("explains in Swedish what is wrong", () => {
    const bad = participantSchema.safeParse({ ...valid, personnummer: "19850101-1234", gender: "okänt", birthYear: 1800 });
    expect(bad.success).toBe(false);
    const messages = bad.success ? {} : bad.error.flatten().fieldErrors;
    expect(messages.personnummer).toEqual(["Personnumret har fel kontrollsiffra."]);
    expect(messages.gender).toEqual(["Välj kön: kvinna, man, icke-binär eller vill ej uppge."]);
    expect(messages.birthYear?.[0]).toMatch(/^Födelseåret ska vara mellan 1940 och/);
  });

  it("wants the birth year to match the personnummer", () => {
    const bad = participantSchema.safeParse({ ...valid, birthYear: 1986, personnummer: PNR });
    expect(bad.success ? [] : bad.error.flatten().fieldErrors.birthYear).toEqual(["Födelseåret stämmer inte med personnumret."]);
  });
});
