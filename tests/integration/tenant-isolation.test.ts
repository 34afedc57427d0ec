/**
 * The data-dependent authorization matrix: an attacker with a real role
 * against every object of someone else, over HTTP against the built server.
 *
 * - Hultsfred's coordinator against every object of Vimmerby: participants,
 *   their extracts, time reports, the sessions Vimmerby hosts in cohorts the
 *   two share (which Hultsfred could host too), and, in the bodies of the
 *   forms Hultsfred may use, Vimmerby's participants (nominations,
 *   attendance), enrolments (status changes, outcomes) and own activities.
 * - The regional trainee programme's lead against the ESF programme: the
 *   programme, its cohorts and sessions, and its enrolments, participants and
 *   programme id in the bodies of the lead's own forms.
 *
 * GET and every POST intent, read from the route's source (so a new intent is
 * tried as soon as it is written), with a body that would pass validation. Each
 * answer must be a refusal that is exactly the answer for a made-up id (404,
 * or 403 where the role may never act), and the victim's rows must be byte for
 * byte what they were (a checksum over every row of the tenant).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { stockholmToday } from "~/utils/format";
import { serverBuildPath } from "../../server/build-path";
import { startTestServer, type TestServer } from "../support/http";

const MADE_UP_ID = 987_654;

interface RouteInfo {
  id: string;
  path: string;
  hasLoader: boolean;
  hasAction: boolean;
}

async function routesOfBuild(): Promise<RouteInfo[]> {
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const routes: RouteInfo[] = [];
  for (const route of Object.values(build.routes)) {
    if (route.id === "root") continue;
    let full = "";
    for (let r: typeof route | undefined = route; r; r = r.parentId ? build.routes[r.parentId] : undefined) {
      if (r.path) full = `/${r.path}${full}`;
    }
    routes.push({ id: route.id, path: full || "/", hasLoader: !!route.module.loader, hasAction: !!route.module.action });
  }
  return routes.sort((a, b) => a.id.localeCompare(b.id));
}

function sourceOf(routeId: string): string {
  const file = ["tsx", "ts"].map((ext) => path.join("app", `${routeId}.${ext}`)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`No source file for ${routeId}`);
  return fs.readFileSync(file, "utf8");
}

/**
 * Every intent a route's action knows, from its source and the schema modules
 * it imports: buttons and hidden fields named "intent", comparisons with an
 * intent, and zod literals and enums of an intent field. "" stands for a post
 * without an intent (the default branch).
 */
function intentsOf(routeId: string): string[] {
  const source = sourceOf(routeId);
  const schemas = [...source.matchAll(/from "~\/schemas\/([\w-]+)"/g)].map((m) => fs.readFileSync(path.join("app/schemas", `${m[1]}.ts`), "utf8"));
  const found = new Set<string>([""]);
  const literals = (text: string) => [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  for (const text of [source, ...schemas]) {
    for (const m of text.matchAll(/name="intent"\s+value=(?:"([^"]+)"|\{([^}]*)\})/g)) for (const v of m[1] ? [m[1]] : literals(m[2])) found.add(v);
    for (const m of text.matchAll(/intent"?\)?\s*===\s*"([^"]+)"/g)) found.add(m[1]);
    for (const m of text.matchAll(/intent:\s*z\.literal\("([^"]+)"\)/g)) found.add(m[1]);
    for (const m of text.matchAll(/intent:\s*z\.enum\(\[([^\]]*)\]/g)) for (const v of literals(m[1])) found.add(v);
  }
  return [...found].sort();
}

/** A field that names one object (`participantId`) or several (`participantIds`). */
const OBJECT_ID = /\b((?:participant|enrolment|activity|programme|session|cohort|report|user|grant|material)Ids?)\b/g;
/** A list of objects each named by its `id` (`reports: z.array(z.object({ id: ...`), posted as `reports[0].id`. */
const OBJECT_LIST = /\b(\w+):\s*z\s*\.array\(\s*z\s*\.object\(\s*\{\s*id\s*:/g;

/**
 * The object ids a route's action may read from its body: keys of the zod
 * schemas it parses (inline or imported from app/schemas) and fields it reads
 * from the form data by name.
 */
function bodyIdFields(routeId: string): string[] {
  const source = sourceOf(routeId);
  const action = source.slice(source.indexOf("export async function action"));
  const used = new Set([...action.matchAll(/schema:\s*(\w+)/g)].map((m) => m[1]));
  const texts = [...action.matchAll(/formData\.get\("(\w+)"\)/g)].map((m) => `${m[1]}:`);
  for (const file of [...source.matchAll(/from "~\/schemas\/([\w-]+)"/g)].map((m) => path.join("app/schemas", `${m[1]}.ts`))) {
    for (const chunk of fs.readFileSync(file, "utf8").split(/(?=export const )/)) {
      const name = /^export const (\w+)/.exec(chunk)?.[1];
      if (name && used.has(name)) texts.push(chunk);
    }
  }
  // Schemas written in the route file itself.
  for (const chunk of source.split(/(?=\nconst |\nexport )/)) {
    const name = /^\n(?:export )?const (\w+)/.exec(chunk)?.[1];
    if (name && used.has(name)) texts.push(chunk);
  }
  const fields = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(new RegExp(`${OBJECT_ID.source}\\s*:`, "g"))) fields.add(m[1]);
    for (const m of text.matchAll(OBJECT_LIST)) fields.add(`${m[1]}[].id`);
  }
  return [...fields].sort();
}

/** Field values that pass every form's validation, so that a missing check would show as a write. */
function validFields(today: string, hostMunicipalityId: number): Record<string, string> {
  return {
    // participant form, ending and anonymising
    firstName: "Kapad",
    lastName: "Person",
    email: "kapad.person@example.se",
    department: "Kommunledning",
    title: "Chef",
    gender: "kvinna",
    birthYear: "1980",
    salaryGroup: "1",
    endedOn: today,
    endReason: "Slutat",
    confirm: "on",
    // enrolments, outcomes, own activities, time reports
    status: "dropped",
    date: today,
    reason: "Prov",
    checkpoint: "4_weeks",
    result: "became_manager",
    decision: "approve",
    version: "1",
    // sessions (a session starting today, with the attacker's meeting link)
    kind: "workshop",
    startDate: today,
    startTime: "00:00",
    endTime: "23:45",
    hostMunicipalityId: String(hostMunicipalityId),
    venue: "Rum 1",
    address: "Gatan 1",
    meetingUrl: "https://evil.example/möte",
    // attendance: 8 hours for the participant in the body
    "rows[0].status": "narvarande",
    "rows[0].hours": "8",
    "rows[0].version": "0",
    // a lead's programme and cohort forms
    name: "Kapat namn",
    startsOn: "2027-01-01",
    endsOn: "2027-12-31",
    capacity: "40",
    months: "1",
    year: "2026",
    hourlyCost: "1",
    completionPercent: "1",
    rounding: "quarter_down",
    coordinatorsPlanSessions: "on",
    seats: "1",
    month: "2026-10",
    // a month's time reports certified at once, each at the version the list showed
    "reports[0].version": "1",
    certifiedAs: "on_behalf",
  };
}

/** The form fields that carry an object's id in a body, per kind of object. */
const BODY_ID_FIELDS = {
  participant: ["participantId", "rows[0].participantId", "participantIds"],
  enrolment: ["enrolmentId"],
  timeReport: ["reports[0].id"],
  cohort: ["cohortId"],
  ownActivity: ["activityId"],
  programme: ["programmeId"],
  material: ["materialId"],
} as const;
type BodyKind = keyof typeof BODY_ID_FIELDS;
/** The kind of object each id field found in a schema names (as `bodyIdFields` spells them). */
const FIELD_KINDS: Record<string, BodyKind> = {
  participantId: "participant",
  participantIds: "participant",
  enrolmentId: "enrolment",
  activityId: "ownActivity",
  programmeId: "programme",
  "reports[].id": "timeReport",
  cohortId: "cohort",
  materialId: "material",
};

/**
 * Routes whose actions take an object id from the body, not the address. A
 * route that mentions one of these fields outside `params` must be listed
 * here (the last test checks), so a new one cannot be left out.
 */
const BODY_ID_ROUTES: Record<string, BodyKind[]> = {
  "routes/omgangar.$cohortId._index": ["participant", "enrolment"],
  "routes/trafar.$sessionId.narvaro": ["participant"],
  "routes/uppfoljning._index": ["enrolment"],
  "routes/tidrapporter._index": ["ownActivity", "timeReport"],
  "routes/scb._index": ["programme"],
  "routes/deltagare.$participantId._index": ["cohort"],
  "routes/trafar.$sessionId.material._index": ["material"],
  "routes/omgangar.$cohortId.meddelanden": ["participant"],
};
/**
 * Where only some of a route's forms read the id (the others act on the
 * attacker's own object in the address and ignore it): the intents that do.
 */
const BODY_ID_INTENTS: Record<string, Partial<Record<BodyKind, string[]>>> = {
  "routes/deltagare.$participantId._index": { cohort: ["nominate"] },
};
/** Routes that mention such a field only to show or link, never reading it from a posted body, and why. */
const NO_BODY_IDS: Record<string, string> = {
  "routes/admin.anvandare.$userId": "administrators act on every user; a grant id is only looked up with the user in the address",
  "routes/tid": "a trainee's programme id only selects among their own active enrolments (any other id: the same 400)",
  "routes/aterkoppling.$subjectId._index":
    "a trainee's own round: userId is looked up among the programme's leads, raterId/shareId within the subject (any other: 400 or 404); feedback.test.ts shares with a coordinator and is refused",
  "routes/program.$programmeId.aterkoppling": "cohortId and roundId are looked up within the programme in the address (another programme's: 400 or 404)",
};

/** SHA-256 over every row the queries return, table by table. */
async function checksum(db: Db, queries: [string, ReturnType<typeof sql>][]): Promise<string> {
  const hash = crypto.createHash("sha256");
  for (const [label, query] of queries) {
    const rows = await query.execute(db);
    hash.update(label);
    hash.update(JSON.stringify(rows.rows));
  }
  return hash.digest("hex");
}

/** Every row that belongs to a municipality, or to its participants, users, enrolments, reports or hosted sessions. */
function tenantRows(m: number): [string, ReturnType<typeof sql>][] {
  const participants = sql`select id from participants where municipality_id = ${m}`;
  const users = sql`select user_id from role_grants where municipality_id = ${m}`;
  const direct = [
    "participants",
    "participant_identities",
    "enrolments",
    "attendance",
    "attendance_corrections",
    "own_activities",
    "time_reports",
    "outcomes",
    "cohort_seats",
    "role_grants",
    "scb_reports",
  ];
  return [
    ...direct.map((t): [string, ReturnType<typeof sql>] => [t, sql`select * from ${sql.table(t)} where municipality_id = ${m} order by 1, 2`]),
    ["users", sql`select * from users where id in (${users}) order by id`],
    ["enrolment_events", sql`select * from enrolment_events where enrolment_id in (select id from enrolments where municipality_id = ${m}) order by id`],
    ["time_report_events", sql`select * from time_report_events where time_report_id in (select id from time_reports where municipality_id = ${m}) order by id`],
    ["notifications", sql`select * from notifications where user_id in (${users}) order by id`],
    ["calendar_feeds", sql`select * from calendar_feeds where user_id in (${users}) order by id`],
    ["mail_outbox", sql`select * from mail_outbox where recipient_user_id in (${users}) or lower(to_address) in (select lower(email) from users where id in (${users})) order by id`],
    ["session_reminders", sql`select * from session_reminders where participant_id in (${participants}) order by 1, 2`],
    ["sessions", sql`select * from sessions where host_municipality_id = ${m} order by id`],
    ["session_changes", sql`select * from session_changes where session_id in (select id from sessions where host_municipality_id = ${m}) order by id`],
    ["session_materials", sql`select * from session_materials where session_id in (select id from sessions where host_municipality_id = ${m}) order by id`],
    ["programmes", sql`select * from programmes where owner_municipality_id = ${m} order by id`],
  ];
}

/** Every row of a programme: its settings, cohorts, sessions, enrolments, attendance, reports and what hangs on them. */
function programmeRows(p: number): [string, ReturnType<typeof sql>][] {
  const cohorts = sql`select id from cohorts where programme_id = ${p}`;
  const sessions = sql`select id from sessions where cohort_id in (${cohorts})`;
  const enrolments = sql`select id from enrolments where cohort_id in (${cohorts})`;
  const reports = sql`select id from time_reports where programme_id = ${p}`;
  return [
    ["programmes", sql`select * from programmes where id = ${p}`],
    ...["programme_partners", "programme_settings", "unit_costs", "programme_retention", "scb_reports", "own_activities", "time_reports"].map(
      (t): [string, ReturnType<typeof sql>] => [t, sql`select * from ${sql.table(t)} where programme_id = ${p} order by 1, 2`],
    ),
    ["cohorts", sql`select * from cohorts where programme_id = ${p} order by id`],
    ["cohort_seats", sql`select * from cohort_seats where cohort_id in (${cohorts}) order by 1, 2`],
    ["seat_transfers", sql`select * from seat_transfers where cohort_id in (${cohorts}) order by id`],
    ["sessions", sql`select * from sessions where id in (${sessions}) order by id`],
    ["session_changes", sql`select * from session_changes where session_id in (${sessions}) order by id`],
    ["session_materials", sql`select * from session_materials where session_id in (${sessions}) order by id`],
    ["enrolments", sql`select * from enrolments where id in (${enrolments}) order by id`],
    ["enrolment_events", sql`select * from enrolment_events where enrolment_id in (${enrolments}) order by id`],
    ["attendance", sql`select * from attendance where session_id in (${sessions}) order by id`],
    ["attendance_corrections", sql`select * from attendance_corrections where session_id in (${sessions}) order by id`],
    ["time_report_events", sql`select * from time_report_events where time_report_id in (${reports}) order by id`],
    ["outcomes", sql`select * from outcomes where enrolment_id in (${enrolments}) order by id`],
    ["notifications", sql`select * from notifications where session_id in (${sessions}) or enrolment_id in (${enrolments}) order by id`],
  ];
}

interface Answer {
  status: number;
  body: string;
}

describe("tenant isolation: every object of another municipality or programme, GET and every POST intent", () => {
  let server: TestServer;
  let routes: RouteInfo[];
  const today = stockholmToday();
  const ids = {} as {
    vimmerby: number;
    hultsfred: number;
    esf: number;
    trainee: number;
    sharedCohort: number;
    hultsfredSession: number;
    traineeCohort: number;
    traineeSession: number;
  };

  beforeAll(async () => {
    server = await startTestServer();
    routes = await routesOfBuild();
    const db = server.db;
    const municipality = async (slug: string) => (await db.selectFrom("municipalities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
    ids.vimmerby = await municipality("vimmerby");
    ids.hultsfred = await municipality("hultsfred");
    ids.esf = (await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow()).id;
    ids.trainee = (await db.selectFrom("programmes").select("id").where("name", "=", "Regionalt traineeprogram").executeTakeFirstOrThrow()).id;
    const cohort = async (programmeId: number, municipalityId?: number) => {
      let query = db.selectFrom("cohorts as c").select("c.id").where("c.programme_id", "=", programmeId);
      if (municipalityId) query = query.where("c.id", "in", db.selectFrom("cohort_seats").select("cohort_id").where("municipality_id", "=", municipalityId));
      return (await query.orderBy("c.starts_on", "desc").executeTakeFirstOrThrow()).id;
    };
    ids.sharedCohort = await cohort(ids.esf, ids.hultsfred);
    ids.traineeCohort = await cohort(ids.trainee);
    // A held session of the attacker's own, whose attendance sheet they may open.
    const heldSession = async (programmeId: number, hostId?: number) => {
      let query = db
        .selectFrom("sessions as s")
        .innerJoin("cohorts as c", "c.id", "s.cohort_id")
        .select("s.id")
        .where("c.programme_id", "=", programmeId)
        .where("s.starts_at", "<", new Date().toISOString());
      if (hostId) query = query.where("s.host_municipality_id", "=", hostId);
      return (await query.orderBy("s.starts_at", "desc").executeTakeFirstOrThrow()).id;
    };
    ids.hultsfredSession = await heldSession(ids.esf, ids.hultsfred);
    ids.traineeSession = await heldSession(ids.trainee);
  }, 60_000);
  afterAll(() => server.close());

  /**
   * Tries every route whose address holds one of `victims` and every route
   * whose body can carry one, as `email`; returns what was asked and every
   * problem found.
   */
  async function attack(options: {
    email: string;
    /** Ids of the victim's objects by route parameter. */
    urlVictims: Record<string, number[]>;
    /** Reading these routes is allowed (shared, not personal: a session in a cohort both take part in). */
    allowedReads: string[];
    /** Ids of the victim's objects by body kind. */
    bodyVictims: Partial<Record<BodyKind, number[]>>;
    /** The attacker's own objects, for the address of the forms that take ids in their body. */
    own: Record<string, number>;
    hostMunicipalityId: number;
    victimRows: [string, ReturnType<typeof sql>][];
  }) {
    const cookie = await server.login(options.email);
    const fields = validFields(today, options.hostMunicipalityId);
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    const madeUpAnswers = new Map<string, Answer>();
    let requests = 0;

    const send = async (url: string, method: "GET" | "POST", body?: Record<string, string>): Promise<Answer> => {
      const response = await server.fetch(url, { method, cookie, body: body ? new URLSearchParams(body) : undefined });
      requests++;
      const text = (await response.text()).replace(/nonce="[^"]*"/g, "");
      return { status: response.status, body: text.split(url).join("#") };
    };
    /** The action's own answer (Remix's data request), without the echo of what was posted. */
    const sendData = async (url: string, routeId: string, body: Record<string, string>): Promise<Answer> => {
      const response = await server.fetch(`${url}?_data=${encodeURIComponent(routeId)}`, { method: "POST", cookie, body: new URLSearchParams(body) });
      requests++;
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.stringify(JSON.parse(text), (key, value) => (key === "initialValue" ? undefined : value)) };
      } catch {
        return { status: response.status, body: text };
      }
    };
    const expectSameAsMadeUp = (label: string, got: Answer, madeUp: Answer, allowed = false) => {
      statuses[got.status] = (statuses[got.status] ?? 0) + 1;
      if (allowed && got.status === 200) return;
      if (![400, 403, 404].includes(got.status)) problems.push(`${label}: answered ${got.status}, not a refusal`);
      else if (got.status !== madeUp.status || got.body !== madeUp.body) {
        problems.push(`${label}: answered ${got.status}, a made-up id ${madeUp.status}${got.status === madeUp.status ? " with another page" : ""}`);
      }
    };

    const before = await checksum(server.db, options.victimRows);

    // Victims in the address.
    for (const route of routes) {
      const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      if (params.length !== 1 || !options.urlVictims[params[0]]) continue;
      const intents = route.hasAction ? intentsOf(route.id) : [];
      for (const victim of options.urlVictims[params[0]]) {
        const url = route.path.replace(`:${params[0]}`, String(victim));
        const madeUrl = route.path.replace(`:${params[0]}`, String(MADE_UP_ID));
        const probes: { method: "GET" | "POST"; intent?: string }[] = [
          ...(route.hasLoader ? [{ method: "GET" as const }] : []),
          ...intents.map((intent) => ({ method: "POST" as const, intent })),
        ];
        for (const probe of probes) {
          const body = probe.method === "POST" ? { ...fields, ...(probe.intent ? { intent: probe.intent } : {}) } : undefined;
          const key = `${route.id} ${probe.method} ${probe.intent ?? ""}`;
          if (!madeUpAnswers.has(key)) madeUpAnswers.set(key, await send(madeUrl, probe.method, body));
          const got = await send(url, probe.method, body);
          const allowed = probe.method === "GET" && options.allowedReads.includes(route.id);
          expectSameAsMadeUp(`${probe.method} ${url}${probe.intent ? ` intent=${probe.intent}` : ""}`, got, madeUpAnswers.get(key)!, allowed);
        }
      }
    }

    // Victims in the body of forms the attacker may use.
    for (const route of routes) {
      const kinds = BODY_ID_ROUTES[route.id];
      if (!kinds || !route.hasAction || !kinds.some((kind) => options.bodyVictims[kind]?.length)) continue;
      const url = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
        if (options.own[name] === undefined) throw new Error(`No own ${name} for ${route.id}`);
        return String(options.own[name]);
      });
      for (const kind of kinds) {
        for (const intent of BODY_ID_INTENTS[route.id]?.[kind] ?? intentsOf(route.id)) {
          const body = (id: number) => ({
            ...fields,
            ...(intent ? { intent } : {}),
            ...Object.fromEntries(BODY_ID_FIELDS[kind].map((f) => [f, String(id)])),
          });
          const victims = options.bodyVictims[kind] ?? [];
          if (!victims.length) continue;
          const madeUp = await sendData(url, route.id, body(MADE_UP_ID));
          for (const victim of victims) {
            expectSameAsMadeUp(`POST ${url} intent=${intent} with ${kind} ${victim}`, await sendData(url, route.id, body(victim)), madeUp);
          }
        }
      }
    }

    const after = await checksum(server.db, options.victimRows);
    if (after !== before) problems.push("the victim's rows changed");
    return { problems, statuses, requests };
  }

  it("one municipality's coordinator gets 404 for every object of another, for GET and every POST intent, and changes none of its rows", async () => {
    const db = server.db;
    const v = ids.vimmerby;
    const pluck = <T,>(rows: { id: T }[]) => rows.map((r) => r.id);
    const participants = pluck(await db.selectFrom("participants").select("id").where("municipality_id", "=", v).execute());
    const enrolments = pluck(await db.selectFrom("enrolments").select("id").where("municipality_id", "=", v).execute());
    const reports = pluck(await db.selectFrom("time_reports").select("id").where("municipality_id", "=", v).execute());
    const activities = pluck(await db.selectFrom("own_activities").select("id").where("municipality_id", "=", v).execute());
    // Sessions Vimmerby hosts in the cohorts Hultsfred shares with it: Hultsfred could host sessions there too.
    const sessions = pluck(
      await db
        .selectFrom("sessions")
        .select("id")
        .where("host_municipality_id", "=", v)
        .where("cohort_id", "in", db.selectFrom("cohort_seats").select("cohort_id").where("municipality_id", "=", ids.hultsfred))
        .execute(),
    );
    const ownParticipant = (await db.selectFrom("participants").select("id").where("municipality_id", "=", ids.hultsfred).where("ended_on", "is", null).executeTakeFirstOrThrow()).id;
    // Cohorts Hultsfred has no seats in: its participants cannot be nominated there.
    const closedCohorts = pluck(
      await db
        .selectFrom("cohorts")
        .select("id")
        .where("id", "not in", db.selectFrom("cohort_seats").select("cohort_id").where("municipality_id", "=", ids.hultsfred))
        .execute(),
    );
    // Material on one of them (a link; the demo's files may be on sessions other municipalities host).
    const lead = await db.selectFrom("users").select("id").where("email", "=", "programledare@programportalen.test").executeTakeFirstOrThrow();
    await db.insertInto("session_materials").values({ session_id: sessions[0], kind: "link", title: "Läsning", url: "https://www.esf.se/", created_by: lead.id, created_at: new Date().toISOString() }).execute();
    const material = pluck(await db.selectFrom("session_materials").select("id").where("session_id", "in", sessions).execute());
    expect(participants.length * enrolments.length * reports.length * activities.length * sessions.length * closedCohorts.length * material.length).toBeGreaterThan(0);

    const result = await attack({
      email: "samordnare.hultsfred@programportalen.test",
      urlVictims: { participantId: participants, reportId: reports, sessionId: sessions, materialId: material },
      // A partner municipality reads the sessions of a cohort it shares, and so their material.
      allowedReads: ["routes/trafar.$sessionId._index", "routes/material.$materialId"],
      bodyVictims: { participant: participants, enrolment: enrolments, ownActivity: activities, timeReport: reports, cohort: closedCohorts, material },
      own: { cohortId: ids.sharedCohort, sessionId: ids.hultsfredSession, participantId: ownParticipant },
      hostMunicipalityId: ids.hultsfred,
      victimRows: tenantRows(v),
    });
    console.log(
      `tenant isolation, coordinator: ${participants.length} participants, ${enrolments.length} enrolments, ${reports.length} time reports, ${activities.length} own activities, ${sessions.length} sessions: ${result.requests} requests, answers ${JSON.stringify(result.statuses)}, ${result.problems.length} problems`,
    );
    expect(result.problems).toEqual([]);
    expect(result.statuses[404]).toBeGreaterThan(participants.length * 5);
  }, 300_000);

  it("a programme lead gets 404 for every object of another programme, for GET and every POST intent, and changes none of its rows", async () => {
    const db = server.db;
    const p = ids.esf;
    const pluck = <T,>(rows: { id: T }[]) => rows.map((r) => r.id);
    const cohorts = pluck(await db.selectFrom("cohorts").select("id").where("programme_id", "=", p).execute());
    const sessions = pluck(await db.selectFrom("sessions").select("id").where("cohort_id", "in", cohorts).execute());
    const enrolments = pluck(await db.selectFrom("enrolments").select("id").where("cohort_id", "in", cohorts).execute());
    const participants = [...new Set((await db.selectFrom("enrolments").select("participant_id").where("cohort_id", "in", cohorts).execute()).map((e) => e.participant_id))];
    const material = pluck(await db.selectFrom("session_materials").select("id").where("session_id", "in", sessions).execute());
    expect(material.length).toBeGreaterThan(0);

    const result = await attack({
      email: "traineeledare@programportalen.test",
      urlVictims: { programmeId: [p], cohortId: cohorts, sessionId: sessions, materialId: material },
      allowedReads: [],
      bodyVictims: { participant: participants, enrolment: enrolments, programme: [p], material },
      own: { cohortId: ids.traineeCohort, sessionId: ids.traineeSession },
      hostMunicipalityId: ids.vimmerby,
      victimRows: programmeRows(p),
    });
    console.log(
      `tenant isolation, programme lead: ${cohorts.length} cohorts, ${sessions.length} sessions, ${enrolments.length} enrolments, ${participants.length} participants: ${result.requests} requests, answers ${JSON.stringify(result.statuses)}, ${result.problems.length} problems`,
    );
    expect(result.problems).toEqual([]);
    expect(result.statuses[404]).toBeGreaterThan(sessions.length);
  }, 300_000);

  it("knows every route that reads an object id from a posted body", () => {
    const unlisted = routes
      .filter((r) => r.hasAction && !BODY_ID_ROUTES[r.id] && !NO_BODY_IDS[r.id])
      .map((r) => `${r.id}: ${bodyIdFields(r.id).join(", ")}`)
      .filter((line) => !line.endsWith(": "));
    expect(unlisted, "add them to BODY_ID_ROUTES (or NO_BODY_IDS, with the reason)").toEqual([]);
    // A listed route is attacked through every id field it reads, not only the one it was listed for.
    const untried = Object.entries(BODY_ID_ROUTES).flatMap(([id, kinds]) =>
      bodyIdFields(id)
        .filter((field) => !FIELD_KINDS[field] || !kinds.includes(FIELD_KINDS[field]))
        .map((field) => `${id}: ${field}`),
    );
    expect(untried, "add the field's kind to the route in BODY_ID_ROUTES (and to BODY_ID_FIELDS and FIELD_KINDS if new)").toEqual([]);
    // The lists hold no route that takes no id from its body (so the check above is what keeps them true).
    const needless = [...Object.keys(BODY_ID_ROUTES), ...Object.keys(NO_BODY_IDS)].filter((id) => !bodyIdFields(id).length);
    expect(needless).toEqual([]);
  });
});
