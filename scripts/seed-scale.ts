/**
 * `npm run db:seed:scale [-- path/to/scale.sqlite] [--today YYYY-MM-DD]`
 *
 * A national-scale database for the benchmark (docs/performance.md): about 290
 * municipalities, 60 000 participants, 3 000 cohorts, 40 000 sessions and
 * 1.5 million attendance rows with their monthly time reports. Written to a
 * separate file (default db/data/scale.sqlite; SCALE_DATABASE_URL or the first
 * argument overrides), which is deleted and created anew.
 *
 * Deterministic: a seeded PRNG, and every date and timestamp is derived from
 * `today` (default: today in Stockholm, like the demo data), so the same day
 * gives the same file.
 *
 * The demo consortium is part of it under the same names and e-mail
 * addresses (password portal-demo-2026), so the benchmark can log in as the
 * demo trainee, coordinator, programme lead and funder. The demo trainee is
 * active in "Omgång 2" of "Ledarutveckling över gränserna" with 25 sessions,
 * as in the demo data. Extra accounts: samordnare.<slug>@programportalen.test
 * for every municipality, programledare.p<id>@programportalen.test for every
 * other programme, bench.finansiar@programportalen.test (funder of every
 * programme) and a login for every participant in a running cohort.
 *
 * NOTE: this is a data generator, not application code. It migrates with the
 * app's own migrations (migrateToLatest) and then talks to SQLite through
 * better-sqlite3 directly, with prepared statements inside big transactions,
 * because inserting millions of rows one Kysely query at a time would take far
 * too long. Foreign keys and check constraints stay switched on during the
 * load, so every row obeys the same rules as rows the portal writes. Only the
 * load itself runs with synchronous=OFF and journal_mode=OFF; the file is put
 * back in WAL mode and ANALYZEd at the end.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { hashPassword } from "../app/auth/password.server";
import { databasePathFromUrl, migrateToLatest, openDatabase } from "../app/db/connection.server";
import type { AttendanceStatus, EducationLevel, EnrolmentStatus, Funding, Gender, OutcomeResult, ProgrammeKind } from "../app/db/schema";
import { followUpWindow } from "../app/domain/outcomes.server";
import { stockholmToday } from "../app/utils/format";
import { addMonthsToMonth, floorToQuarter, roundMonthTotal } from "../app/utils/hours";
import { addDaysToDate, stockholmToUtcIso } from "../app/utils/time";
import { CONSORTIUM, DEMO_PASSWORD } from "../db/seed/demo";
import { DEPARTMENTS, FACILITATORS, personnummerFor, seededRandom, SESSION_PLAN, TITLES } from "../db/seed/people";
import { sessionKindLabels } from "../app/ui/labels";

export const DEFAULT_SCALE_DATABASE = "db/data/scale.sqlite";

// ---------------------------------------------------------------- sizes

const MUNICIPALITIES = 290;
const COHORTS = 3000;
const NATIONAL_COHORTS = 400;
const TARGET_PARTICIPANTS = 60_000;
const AUDIT_ROWS = 150_000;

const COUNTIES = [
  "Stockholms län", "Uppsala län", "Södermanlands län", "Östergötlands län", "Jönköpings län", "Kronobergs län",
  "Kalmar län", "Gotlands län", "Blekinge län", "Skåne län", "Hallands län", "Västra Götalands län", "Värmlands län",
  "Örebro län", "Västmanlands län", "Dalarnas län", "Gävleborgs län", "Västernorrlands län", "Jämtlands län",
  "Västerbottens län", "Norrbottens län",
];
// Fictional place names built from common Swedish name parts.
const NAME_START = [
  "Björk", "Sjö", "Ek", "Lind", "Berg", "Strand", "Ås", "Dal", "Hag", "Mark", "Al", "Gran", "Tall", "Sten", "Bro", "Holm",
  "Löv", "Mo", "Vik", "Nor", "Sunn", "Väst", "Öst", "Rönn", "Asp", "Hult", "Fors", "Kull", "Mal", "Torp",
];
const NAME_END = ["by", "hult", "köping", "torp", "ås", "vik", "dal", "berga", "sala", "fors", "näs", "ryd", "stad", "hamn", "mo", "sjö", "lunda", "red", "inge", "holm"];

const FIRST_NAMES: { name: string; gender: Gender }[] = [
  ...["Anna", "Maria", "Karin", "Sara", "Emma", "Linnea", "Johanna", "Elin", "Malin", "Helena", "Sofia", "Ida", "Fatima", "Amira", "Lena", "Eva", "Frida", "Hanna", "Julia", "Moa", "Nora", "Vera", "Tove", "Selma", "Ebba", "Alice", "Greta", "Ingrid", "Leila", "Zeynep"].map(
    (name) => ({ name, gender: "kvinna" as Gender }),
  ),
  ...["Erik", "Lars", "Johan", "Anders", "Per", "Mikael", "Oskar", "Ahmed", "Jonas", "Daniel", "Henrik", "Hugo", "Axel", "Leo", "Viktor", "Nils", "Magnus", "Fredrik", "Stefan", "Mattias", "Ali", "Omar", "Emil", "Gustav", "Karl", "Tobias", "Martin", "Peter"].map(
    (name) => ({ name, gender: "man" as Gender }),
  ),
  { name: "Robin", gender: "icke_binar" },
  { name: "Kim", gender: "vill_ej_uppge" },
  { name: "Sam", gender: "vill_ej_uppge" },
];
const LAST_NAMES = [
  "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
  "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Berg", "Holm", "Sandberg", "Ekström", "Hassan", "Ali", "Lundgren",
  "Forsberg", "Wikström", "Björk", "Nyström", "Mattsson", "Sjöberg", "Blom", "Strand", "Hedlund", "Falk", "Engström",
  "Axelsson", "Dahl", "Lund", "Sundberg", "Wallin", "Jakobsson", "Magnusson", "Lindström", "Håkansson", "Bengtsson",
];

const EDUCATION: (EducationLevel | null)[] = ["isced_5_8", "isced_5_8", "isced_5_8", "isced_3_4", "isced_3_4", "isced_0_2", null];

const OUTCOME_RESULTS: OutcomeResult[] = ["new_role", "became_manager", "same_role", "same_role", "studying", "left_municipality", "unknown"];
const UNIT_COSTS: Record<string, number> = { "1": 38_500, "2": 45_200, "3": 52_800 };
const AUDIT_ACTIONS = ["login.succeeded", "login.succeeded", "login.succeeded", "login.failed", "participant.updated", "attendance.recorded", "time_report.certified", "authz.denied"];

// ---------------------------------------------------------------- plan types

interface Muni {
  id: number;
  name: string;
  slug: string;
  county: string;
  weight: number;
}
interface Programme {
  id: number;
  name: string;
  kind: ProgrammeKind;
  funding: Funding;
  owner: number;
  partners: number[];
  esf: string | null;
  cohortCount: number;
  cohorts: Cohort[];
  demo?: "esf" | "trainee";
  leadUserId: number;
}
interface Cohort {
  id: number;
  programmeId: number;
  name: string;
  startsOn: string;
  endsOn: string;
  seats: Map<number, number>;
  sessionCount: number;
  sessionTime?: "afternoon";
  enrolments: Enrolment[];
}
interface Enrolment {
  id: number;
  cohortId: number;
  municipalityId: number;
  participantId: number;
  status: EnrolmentStatus;
  startedOn: string | null;
  endedOn: string | null;
  waitlistPosition: number | null;
  nominatedAt: string;
}
interface Participant {
  id: number;
  municipalityId: number;
  first: string;
  last: string;
  gender: Gender;
  birthYear: number;
  education: EducationLevel | null;
  salaryGroup: string;
  department: string;
  title: string;
  email: string;
  endedOn: string | null;
  lastEnd: string | null;
  running: boolean;
  userId: number | null;
}

// ---------------------------------------------------------------- helpers

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Moves a date forward to the next Tuesday–Thursday, when training days are held. */
function onWeekday(date: string): string {
  let d = date;
  while (![2, 3, 4].includes(new Date(`${d}T12:00:00Z`).getUTCDay())) d = addDaysToDate(d, 1);
  return d;
}

function ascii(s: string): string {
  return s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z]/g, "");
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

const stockholmCache = new Map<string, string>();
/** stockholmToUtcIso, memoised: the same few wall-clock times recur on many days. */
function wallClock(date: string, time: string): string {
  const key = `${date} ${time}`;
  let v = stockholmCache.get(key);
  if (!v) {
    v = stockholmToUtcIso(date, time);
    stockholmCache.set(key, v);
  }
  return v;
}

// ---------------------------------------------------------------- main

export interface ScaleSummary {
  file: string;
  seconds: number;
  counts: Record<string, number>;
}

export async function seedScale(file: string, today: string = stockholmToday(), log: (line: string) => void = console.log): Promise<ScaleSummary> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });

  // The real migrations, through the app's own migrator.
  const kdb = openDatabase(`file:${file}`);
  await migrateToLatest(kdb);
  await kdb.destroy();
  // One hash for every account: Argon2id is slow on purpose.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const random = seededRandom(290_060);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const now = new Date(`${today}T12:00:00Z`);
  const nowIso = now.toISOString();
  const thisMonth = today.slice(0, 7);
  const lastMonth = addMonthsToMonth(thisMonth, -1);
  const year = Number(today.slice(0, 4));
  const stamp = (date: string, hour = 8) => `${date}T${String(hour).padStart(2, "0")}:00:00.000Z`;

  // ---------------------------------------------------------- plan: municipalities
  const munis: Muni[] = [];
  for (const m of CONSORTIUM) {
    munis.push({ id: munis.length + 1, name: m.name, slug: m.slug, county: m.county, weight: m.seats / 4 });
  }
  const usedNames = new Set(munis.flatMap((m) => [m.name, m.slug]));
  while (munis.length < MUNICIPALITIES) {
    let name = `${pick(NAME_START)}${pick(NAME_END)}`;
    if (usedNames.has(name) || usedNames.has(ascii(name))) name = `${name}${pick(["-Sjö", "-Berg", "-Dal", "-Ås", "-Näs"])}`;
    if (usedNames.has(name) || usedNames.has(ascii(name))) continue;
    usedNames.add(name);
    usedNames.add(ascii(name));
    const i = munis.length;
    // A few big cities, many small towns.
    const weight = 0.4 + Math.pow(random(), 4) * 12;
    munis.push({ id: i + 1, name, slug: ascii(name), county: COUNTIES[i % COUNTIES.length], weight });
  }
  const muniById = new Map(munis.map((m) => [m.id, m]));
  const idOfSlug = (slug: string) => munis.find((m) => m.slug === slug)!.id;

  // ---------------------------------------------------------- plan: programmes
  const programmes: Programme[] = [];
  const addProgramme = (p: Omit<Programme, "id" | "cohorts" | "leadUserId">) => {
    const programme: Programme = { ...p, id: programmes.length + 1, cohorts: [], leadUserId: 0 };
    programmes.push(programme);
    return programme;
  };
  const demoEsf = addProgramme({
    name: "Ledarutveckling över gränserna",
    kind: "ledarutveckling",
    funding: "esf",
    owner: idOfSlug("vimmerby"),
    partners: CONSORTIUM.map((m) => idOfSlug(m.slug)),
    esf: "DEMO-2026-0001",
    cohortCount: 3,
    demo: "esf",
  });
  const demoTrainee = addProgramme({
    name: "Regionalt traineeprogram",
    kind: "trainee",
    funding: "regional",
    owner: idOfSlug("nassjo"),
    partners: ["nassjo", "aneby", "eksjo", "savsjo", "vetlanda"].map(idOfSlug),
    esf: null,
    cohortCount: 1,
    demo: "trainee",
  });
  const national = addProgramme({
    name: "Nationellt chefsprogram",
    kind: "ledarutveckling",
    funding: "esf",
    owner: munis[8].id,
    partners: munis.map((m) => m.id),
    esf: "SCALE-2026-0000",
    cohortCount: NATIONAL_COHORTS,
  });
  const countyProgrammes: Programme[] = [];
  const remaining = COHORTS - 4 - NATIONAL_COHORTS;
  for (const [c, county] of COUNTIES.entries()) {
    const members = munis.filter((m) => m.county === county).map((m) => m.id);
    const short = county.replace(/ län$/, "").replace(/s$/, "");
    const owner = [...members].sort((a, b) => muniById.get(b)!.weight - muniById.get(a)!.weight)[0];
    for (const [kind, funding, name] of [
      ["ledarutveckling", "esf", `Ledarlyft ${short}`],
      ["trainee", "regional", `Traineeprogram ${short}`],
      ["internutbildning", "own", `Chefsakademin ${short}`],
    ] as const) {
      countyProgrammes.push(
        addProgramme({ name, kind, funding, owner, partners: members, esf: funding === "esf" ? `SCALE-2026-${String(c + 1).padStart(4, "0")}` : null, cohortCount: 0 }),
      );
    }
  }
  const totalWeight = countyProgrammes.reduce((s, p) => s + p.partners.length, 0);
  let assigned = 0;
  for (const p of countyProgrammes) {
    p.cohortCount = Math.floor((remaining * p.partners.length) / totalWeight);
    assigned += p.cohortCount;
  }
  for (let i = 0; assigned < remaining; i++, assigned++) countyProgrammes[i % countyProgrammes.length].cohortCount += 1;

  // ---------------------------------------------------------- plan: cohorts
  const cohorts: Cohort[] = [];
  const newCohort = (c: Omit<Cohort, "id" | "enrolments">) => {
    const cohort: Cohort = { ...c, id: 0, enrolments: [] };
    cohorts.push(cohort);
    programmes[c.programmeId - 1].cohorts.push(cohort);
    return cohort;
  };
  const demoSeats = new Map(CONSORTIUM.map((m) => [idOfSlug(m.slug), m.seats]));
  newCohort({ programmeId: demoEsf.id, name: "Omgång 1", startsOn: addMonths(today, -10), endsOn: addMonths(today, 2), seats: demoSeats, sessionCount: 25 });
  newCohort({ programmeId: demoEsf.id, name: "Omgång 2", startsOn: addMonths(today, -3), endsOn: addMonths(today, 9), seats: demoSeats, sessionCount: 25 });
  newCohort({ programmeId: demoEsf.id, name: "Omgång 3", startsOn: onWeekday(addMonths(today, 4)), endsOn: addMonths(today, 12), seats: demoSeats, sessionCount: 0 });
  newCohort({
    programmeId: demoTrainee.id,
    name: "Traineeomgång 1",
    startsOn: addMonths(today, -6),
    endsOn: addMonths(today, 12),
    seats: new Map(["nassjo:3", "aneby:1", "eksjo:2", "savsjo:1", "vetlanda:3"].map((s) => [idOfSlug(s.split(":")[0]), Number(s.split(":")[1])])),
    sessionCount: 18,
    sessionTime: "afternoon",
  });
  const earliest = addMonths(today, -72);
  for (const p of [national, ...countyProgrammes]) {
    for (let i = 0; i < p.cohortCount; i++) {
      // Spread over six years up to half a year ahead; a trainee programme runs 18 months.
      const startsOn = onWeekday(addDaysToDate(earliest, Math.floor(random() * (daysBetween(earliest, today) + 180))));
      const months = p.kind === "trainee" ? 18 : p.kind === "internutbildning" ? 4 + Math.floor(random() * 4) : 8 + Math.floor(random() * 7);
      const capacity = 40 + Math.floor(random() * 15);
      const k = Math.min(p.partners.length, 4 + Math.floor(random() * 9));
      // Partners with seats, drawn by size.
      const chosen = new Set<number>();
      while (chosen.size < k) {
        const total = p.partners.reduce((s, id) => (chosen.has(id) ? s : s + muniById.get(id)!.weight), 0);
        let r = random() * total;
        for (const id of p.partners) {
          if (chosen.has(id)) continue;
          r -= muniById.get(id)!.weight;
          if (r <= 0) {
            chosen.add(id);
            break;
          }
        }
        if (r > 0) chosen.add(p.partners.find((id) => !chosen.has(id))!);
      }
      const ids = [...chosen];
      const w = ids.reduce((s, id) => s + muniById.get(id)!.weight, 0);
      const seats = new Map(ids.map((id) => [id, 1]));
      let left = capacity - ids.length;
      for (const id of ids) {
        const extra = Math.min(left, Math.floor(((capacity - ids.length) * muniById.get(id)!.weight) / w));
        seats.set(id, seats.get(id)! + extra);
        left -= extra;
      }
      for (let j = 0; left > 0; j++, left--) seats.set(ids[j % ids.length], seats.get(ids[j % ids.length])! + 1);
      newCohort({
        programmeId: p.id,
        name: `Omgång ${i + 1}`,
        startsOn,
        endsOn: addMonths(startsOn, months),
        seats,
        sessionCount: p.kind === "internutbildning" ? 7 + Math.floor(random() * 6) : 10 + Math.floor(random() * 12),
      });
    }
  }
  // Numbered by start date within each programme, ids in creation order.
  for (const p of programmes) {
    if (p.demo) continue;
    p.cohorts.sort((a, b) => a.startsOn.localeCompare(b.startsOn));
    p.cohorts.forEach((c, i) => (c.name = `Omgång ${i + 1}`));
  }
  cohorts.forEach((c, i) => (c.id = i + 1));

  // ---------------------------------------------------------- plan: participants and enrolments
  const demand = new Map<number, number>();
  const maxSeats = new Map<number, number>();
  for (const c of cohorts) {
    if (programmes[c.programmeId - 1].demo) continue;
    for (const [m, s] of c.seats) {
      demand.set(m, (demand.get(m) ?? 0) + s);
      maxSeats.set(m, Math.max(maxSeats.get(m) ?? 0, s + 2));
    }
  }
  const totalDemand = [...demand.values()].reduce((a, b) => a + b, 0);
  const perParticipant = totalDemand / (TARGET_PARTICIPANTS * 0.97);
  const participants: Participant[] = [];
  const newParticipant = (municipalityId: number): Participant => {
    const id = participants.length + 1;
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const p: Participant = {
      id,
      municipalityId,
      first: first.name,
      last,
      gender: first.gender,
      birthYear: 1962 + Math.floor(random() * 42),
      education: pick(EDUCATION),
      salaryGroup: String(1 + Math.floor(random() * 3)),
      department: pick(DEPARTMENTS),
      title: pick(TITLES),
      email: `${ascii(first.name)}.${ascii(last)}.${id}@${muniById.get(municipalityId)!.slug}.example`,
      endedOn: null,
      lastEnd: null,
      running: false,
      userId: null,
    };
    participants.push(p);
    return p;
  };
  const pools = new Map<number, Participant[]>();
  for (const m of munis) {
    const size = Math.max(Math.ceil((demand.get(m.id) ?? 0) / perParticipant), maxSeats.get(m.id) ?? 0, 8);
    pools.set(m.id, Array.from({ length: size }, () => newParticipant(m.id)));
  }
  const cursor = new Map<number, number>();
  const nextFrom = (m: number) => {
    const pool = pools.get(m)!;
    const i = cursor.get(m) ?? 0;
    cursor.set(m, i + 1);
    return pool[i % pool.length];
  };

  let enrolmentId = 0;
  const enrol = (c: Cohort, p: Participant, status: EnrolmentStatus, extra: Partial<Enrolment> = {}) => {
    const e: Enrolment = {
      id: ++enrolmentId,
      cohortId: c.id,
      municipalityId: p.municipalityId,
      participantId: p.id,
      status,
      startedOn: null,
      endedOn: null,
      waitlistPosition: null,
      nominatedAt: stamp(addDaysToDate(c.startsOn, -30), 9),
      ...extra,
    };
    c.enrolments.push(e);
    if (e.endedOn && (!p.lastEnd || e.endedOn > p.lastEnd)) p.lastEnd = e.endedOn;
    if (["active", "accepted", "nominated", "waitlisted"].includes(status)) p.running = true;
    return e;
  };
  const yesterday = addDaysToDate(today, -1);
  let demoTraineeParticipant: Participant | null = null;

  // Chronological, so a participant's two cohorts come one after the other.
  for (const c of [...cohorts].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id - b.id)) {
    const programme = programmes[c.programmeId - 1];
    const future = c.startsOn > today;
    const ended = c.endsOn < today;
    for (const [m, seats] of c.seats) {
      for (let s = 0; s < seats; s++) {
        // Demo cohorts get their own people, like the demo data; the demo trainee is in Omgång 2 only.
        const p = programme.demo ? newParticipant(m) : nextFrom(m);
        if (programme.demo === "esf" && c.name === "Omgång 2" && m === idOfSlug("vimmerby") && s === 0) demoTraineeParticipant = p;
        if (future) {
          if (programme.demo === "esf") continue; // Omgång 3: seats, no enrolments yet.
          const r = random();
          enrol(c, p, r < 0.75 ? "accepted" : "nominated");
          continue;
        }
        const r = random();
        const isDemoTrainee = p === demoTraineeParticipant;
        if (!isDemoTrainee && r < 0.1) {
          const last = ended ? c.endsOn : yesterday;
          const span = Math.max(1, daysBetween(c.startsOn, last));
          enrol(c, p, "dropped", { startedOn: c.startsOn, endedOn: addDaysToDate(c.startsOn, 1 + Math.floor(random() * span)) });
        } else if (ended) {
          enrol(c, p, "completed", { startedOn: c.startsOn, endedOn: c.endsOn });
        } else {
          enrol(c, p, "active", { startedOn: c.startsOn });
        }
      }
      // Waiting lists on upcoming and running cohorts.
      if (!ended && !programme.demo && random() < 0.15) {
        const p = nextFrom(m);
        if (!c.enrolments.some((e) => e.participantId === p.id)) enrol(c, p, "waitlisted", { waitlistPosition: 1 });
      }
    }
  }
  if (!demoTraineeParticipant) throw new Error("the demo trainee was not placed");
  // The demo's waiting list in Omgång 2.
  const omgang2 = demoEsf.cohorts.find((c) => c.name === "Omgång 2")!;
  for (const [slug, position] of [["nassjo", 1], ["nassjo", 2], ["vimmerby", 1]] as const) {
    enrol(omgang2, newParticipant(idOfSlug(slug)), "waitlisted", { waitlistPosition: position, nominatedAt: stamp(addDaysToDate(today, -10), 10) });
  }
  // A few people in every municipality who are in no cohort, to nominate.
  for (const m of munis) for (let i = 0; i < 3; i++) newParticipant(m.id);
  // People who left long ago have an end date.
  for (const p of participants) {
    if (!p.running && p.lastEnd && p.lastEnd < addMonths(today, -12) && random() < 0.5) p.endedOn = p.lastEnd;
  }

  // ---------------------------------------------------------- load
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("temp_store = MEMORY");
  const counts: Record<string, number> = {};
  const count = (table: string, n = 1) => (counts[table] = (counts[table] ?? 0) + n);
  const insert = (table: string, columns: string[]) => {
    const stmt = sqlite.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
    return (...values: unknown[]) => {
      stmt.run(...values);
      count(table);
    };
  };

  const insMuni = insert("municipalities", ["id", "name", "slug", "county", "created_at"]);
  // The scale accounts share the demo password: no one-time password to change.
  const insUser = insert("users", ["id", "email", "name", "password_hash", "password_change_required", "disabled_at", "created_at"]);
  const insGrant = insert("role_grants", ["user_id", "role", "municipality_id", "programme_id", "participant_id", "created_at", "created_by"]);
  const insProgramme = insert("programmes", [
    "id", "name", "kind", "funding", "owner_municipality_id", "esf_project_number", "starts_on", "ends_on", "description", "created_at", "updated_at",
  ]);
  const insPartner = insert("programme_partners", ["programme_id", "municipality_id"]);
  const insSettings = insert("programme_settings", ["programme_id", "completion_percent", "rounding", "updated_by", "updated_at"]);
  const insUnitCost = insert("unit_costs", ["programme_id", "salary_group", "year", "hourly_cost_ore", "updated_by", "updated_at"]);
  const insParticipant = insert("participants", [
    "id", "municipality_id", "first_name", "last_name", "email", "department", "title", "gender", "birth_year", "education_level", "salary_group",
    "ended_on", "end_reason", "created_at", "updated_at", "anonymised_at",
  ]);
  const insIdentity = insert("participant_identities", ["participant_id", "municipality_id", "personnummer"]);
  const insCohort = insert("cohorts", ["id", "programme_id", "name", "starts_on", "ends_on", "capacity", "created_at", "updated_at"]);
  const insSeat = insert("cohort_seats", ["cohort_id", "programme_id", "municipality_id", "seats"]);
  const insSession = insert("sessions", [
    "id", "cohort_id", "title", "kind", "starts_at", "ends_at", "host_municipality_id", "venue", "address", "meeting_url", "facilitator", "description",
    "status", "sequence", "created_at", "updated_at",
  ]);
  const insEnrolment = insert("enrolments", [
    "id", "cohort_id", "municipality_id", "participant_id", "status", "nominated_at", "waitlist_position", "status_changed_at", "started_on", "ended_on", "drop_reason",
  ]);
  const insEnrolmentEvent = insert("enrolment_events", ["enrolment_id", "status", "occurred_on", "recorded_at", "recorded_by", "reason"]);
  const insAttendance = insert("attendance", ["session_id", "participant_id", "municipality_id", "status", "minutes", "recorded_by", "recorded_at", "version"]);
  const insReport = insert("time_reports", [
    "id", "participant_id", "municipality_id", "programme_id", "month", "status", "confirmed_by", "confirmed_at", "certified_by", "certified_at", "needs_review",
    "rounding", "certified_raw_minutes", "certified_minutes", "certified_salary_group", "certified_lines", "version", "created_at", "updated_at",
  ]);
  const insReportEvent = insert("time_report_events", ["time_report_id", "kind", "actor_user_id", "at", "reason"]);
  const insOutcome = insert("outcomes", ["enrolment_id", "participant_id", "municipality_id", "checkpoint", "result", "recorded_by", "recorded_at"]);
  const insAudit = insert("audit_log", ["at", "actor_user_id", "municipality_id", "action", "entity", "entity_id", "detail"]);

  const created = stamp(addMonths(today, -73));
  let userId = 0;
  const newUser = (email: string, name: string) => {
    userId += 1;
    insUser(userId, email.toLowerCase(), name, passwordHash, 0, null, created);
    return userId;
  };
  const coordinatorOf = new Map<number, number>();

  sqlite.transaction(() => {
    for (const m of munis) insMuni(m.id, m.name, m.slug, m.county, created);
    for (const p of programmes) {
      const starts = p.cohorts.reduce((min, c) => (c.startsOn < min ? c.startsOn : min), addMonths(today, -11));
      const ends = p.cohorts.reduce((max, c) => (c.endsOn > max ? c.endsOn : max), addMonths(today, 12));
      insProgramme(p.id, p.name, p.kind, p.funding, p.owner, p.esf, starts, ends, `${p.name}: ett program för kommunernas ledare och medarbetare.`, created, created);
      for (const m of new Set([p.owner, ...p.partners])) insPartner(p.id, m);
    }

    // The demo accounts log in with the README's password alone, as in the demo data (ADR 024).
    sqlite.prepare("update portal_settings set two_factor_required = 0 where id = 1").run();
    // Accounts: the demo ones first, then one coordinator per municipality and one lead per programme.
    newUser("admin@programportalen.test", "Alva Admin");
    insGrant(userId, "admin", null, null, null, created, null);
    demoEsf.leadUserId = newUser("programledare@programportalen.test", "Petra Programledare");
    insGrant(userId, "programme_lead", null, demoEsf.id, null, created, null);
    demoTrainee.leadUserId = newUser("traineeledare@programportalen.test", "Tomas Traineeledare");
    insGrant(userId, "programme_lead", null, demoTrainee.id, null, created, null);
    for (const m of munis) {
      coordinatorOf.set(m.id, newUser(`samordnare.${m.slug}@programportalen.test`, `Samordnare ${m.name}`));
      insGrant(userId, "coordinator", m.id, null, null, created, null);
    }
    newUser("finansiar@programportalen.test", "Fredrik Finansiär");
    insGrant(userId, "funder", null, demoEsf.id, null, created, null);
    newUser("bench.finansiar@programportalen.test", "Bengt Benchfinansiär");
    for (const p of programmes) insGrant(userId, "funder", null, p.id, null, created, null);
    for (const p of programmes) {
      if (p.leadUserId) continue;
      p.leadUserId = newUser(`programledare.p${p.id}@programportalen.test`, `Programledare ${p.name}`);
      insGrant(userId, "programme_lead", null, p.id, null, created, null);
    }
    for (const p of programmes) {
      insSettings(p.id, 80, "hour_down", p.leadUserId, created);
      for (const [group, ore] of Object.entries(UNIT_COSTS)) {
        for (let y = year - 6; y <= year + 1; y++) {
          insUnitCost(p.id, group, y, Math.round((ore * Math.pow(0.97, year - y)) / 100) * 100, p.leadUserId, created);
        }
      }
    }

    for (const [i, p] of participants.entries()) {
      insParticipant(
        p.id, p.municipalityId, p.first, p.last, p.email, p.department, p.title, p.gender, p.birthYear, p.education, p.salaryGroup,
        p.endedOn, p.endedOn ? "Programmet avslutat" : null, created, created, null,
      );
      if (i % 3 === 0) insIdentity(p.id, p.municipalityId, personnummerFor(p.birthYear, i + 1));
    }
    // Logins: the demo trainee, and everyone in a running cohort.
    demoTraineeParticipant!.userId = newUser("deltagare@programportalen.test", `${demoTraineeParticipant!.first} ${demoTraineeParticipant!.last}`);
    insGrant(userId, "participant", demoTraineeParticipant!.municipalityId, null, demoTraineeParticipant!.id, created, null);
    for (const p of participants) {
      if (!p.running || p.userId) continue;
      p.userId = newUser(p.email, `${p.first} ${p.last}`);
      insGrant(userId, "participant", p.municipalityId, null, p.id, created, null);
    }
  })();
  log(`  ${elapsed()}: ${munis.length} municipalities, ${programmes.length} programmes, ${participants.length} participants, ${userId} users`);

  // Cohorts, sessions, enrolments, attendance and time reports, programme by programme.
  let sessionId = 0;
  let reportId = 0;
  const participantById = (id: number) => participants[id - 1];
  const loadProgramme = sqlite.transaction((p: Programme) => {
    /** participant|month -> the report's lines */
    const months = new Map<string, { participant: Participant; month: string; lines: { date: string; source: "session"; sourceId: number; activity: string; minutes: number }[] }>();
    for (const c of p.cohorts) {
      insCohort(c.id, p.id, c.name, c.startsOn, c.endsOn, [...c.seats.values()].reduce((a, b) => a + b, 0), created, created);
      for (const [m, s] of c.seats) insSeat(c.id, p.id, m, s);
      const hosts = [...c.seats.keys()];
      const span = daysBetween(c.startsOn, c.endsOn);
      for (const e of c.enrolments) {
        const changed = e.endedOn ? stamp(e.endedOn, 15) : e.startedOn ? stamp(e.startedOn, 7) : e.nominatedAt;
        insEnrolment(e.id, c.id, e.municipalityId, e.participantId, e.status, e.nominatedAt, e.waitlistPosition, changed, e.startedOn, e.endedOn,
          e.status === "dropped" ? "Nytt arbete utanför kommunen" : null);
        insEnrolmentEvent(e.id, e.status, (e.endedOn ?? e.startedOn ?? e.nominatedAt).slice(0, 10), changed, null, e.status === "dropped" ? "Nytt arbete utanför kommunen" : null);
      }
      for (let i = 0; i < c.sessionCount; i++) {
        const date = onWeekday(addDaysToDate(c.startsOn, Math.round((i * span) / c.sessionCount)));
        const plan = SESSION_PLAN[i % SESSION_PLAN.length];
        const digital = plan.kind === "digital";
        const afternoon = digital || c.sessionTime === "afternoon";
        const startsAt = wallClock(date, afternoon ? "13:00" : "09:00");
        const endsAt = wallClock(date, digital ? "15:30" : "16:00");
        const host = muniById.get(hosts[(i + c.id) % hosts.length])!;
        const cancelled = !p.demo && random() < 0.03;
        sessionId += 1;
        const createdAt = stamp(addDaysToDate(c.startsOn, -45));
        insSession(
          sessionId, c.id, c.sessionTime === "afternoon" ? "Traineeträff med mentorer" : plan.title, c.sessionTime === "afternoon" ? "natverkstraff" : plan.kind,
          startsAt, endsAt, host.id, digital ? "" : `Kommunhuset ${host.name}`, digital ? "" : `Storgatan ${1 + (i % 40)}, ${host.name}`,
          digital ? "https://moten.example/ledarutveckling" : "", FACILITATORS[i % FACILITATORS.length], "Ta med din handlingsplan. Lunch och fika ingår.",
          cancelled ? "cancelled" : "planned", cancelled ? 1 : 0, createdAt, cancelled ? stamp(addDaysToDate(date, -7)) : createdAt,
        );
        if (cancelled || date >= today) continue;
        const full = floorToQuarter(Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000));
        const month = date.slice(0, 7);
        const activity = `${sessionKindLabels[c.sessionTime === "afternoon" ? "natverkstraff" : plan.kind]}: ${c.sessionTime === "afternoon" ? "Traineeträff med mentorer" : plan.title}`;
        for (const e of c.enrolments) {
          if (!(e.status === "active" || e.status === "completed" || e.status === "dropped")) continue;
          if (e.startedOn && date < e.startedOn) continue;
          if (e.status !== "active" && e.endedOn && date > e.endedOn) continue;
          const participant = participantById(e.participantId);
          let status: AttendanceStatus = "narvarande";
          let minutes = full;
          if (participant !== demoTraineeParticipant) {
            const r = random();
            if (r >= 0.82 && r < 0.9) {
              status = "sen_ankomst";
              minutes = Math.max(60, full - 60 * (1 + Math.floor(random() * 2)) - (random() < 0.5 ? 30 : 0));
            } else if (r >= 0.9 && r < 0.96) {
              status = "giltig_franvaro";
              minutes = 0;
            } else if (r >= 0.96) {
              status = "franvarande";
              minutes = 0;
            }
          }
          insAttendance(sessionId, e.participantId, e.municipalityId, status, minutes, p.leadUserId, endsAt, 1);
          const key = `${e.participantId}|${month}`;
          let entry = months.get(key);
          if (!entry) months.set(key, (entry = { participant, month, lines: [] }));
          if (minutes > 0) entry.lines.push({ date, source: "session", sourceId: sessionId, activity, minutes });
        }
      }
      // Outcomes for those who have left, once each follow-up is due.
      for (const [i, e] of c.enrolments.entries()) {
        if (!(e.status === "completed" || e.status === "dropped") || !e.endedOn) continue;
        for (const checkpoint of ["4_weeks", "6_months"] as const) {
          const window = followUpWindow(checkpoint, e.endedOn);
          if (window.opensOn > today || random() < 0.12) continue;
          const at = window.dueOn < today ? window.dueOn : today;
          insOutcome(e.id, e.participantId, e.municipalityId, checkpoint, OUTCOME_RESULTS[(i + (checkpoint === "6_months" ? 1 : 0) + Math.floor(random() * 3)) % OUTCOME_RESULTS.length],
            coordinatorOf.get(e.municipalityId) ?? null, stamp(at, 9));
        }
      }
    }
    // Time reports: this month open, last month mixed, older ones certified (a few only confirmed).
    for (const { participant, month, lines } of [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || a.participant.id - b.participant.id)) {
      const r = random();
      let status: "draft" | "confirmed" | "certified";
      if (month >= thisMonth) status = "draft";
      else if (month === lastMonth) status = participant === demoTraineeParticipant ? "draft" : r < 0.35 ? "draft" : r < 0.7 ? "confirmed" : "certified";
      else status = r < 0.04 ? "confirmed" : "certified";
      lines.sort((a, b) => a.date.localeCompare(b.date) || a.activity.localeCompare(b.activity, "sv"));
      const raw = lines.reduce((s, l) => s + l.minutes, 0);
      const next = `${addMonthsToMonth(month, 1)}-0`;
      const confirmedAt = `${next}2T08:02:00.000Z` < nowIso ? `${next}2T08:02:00.000Z` : stamp(yesterday);
      const certifiedAt = `${next}4T08:04:00.000Z` < nowIso ? `${next}4T08:04:00.000Z` : stamp(yesterday);
      const certified = status === "certified";
      const confirmed = status !== "draft";
      const coordinator = coordinatorOf.get(participant.municipalityId) ?? null;
      reportId += 1;
      insReport(
        reportId, participant.id, participant.municipalityId, p.id, month, status, confirmed ? participant.userId : null, confirmed ? confirmedAt : null,
        certified ? coordinator : null, certified ? certifiedAt : null, 0, certified ? "hour_down" : null, certified ? raw : null,
        certified ? roundMonthTotal(raw, "hour_down") : null, certified ? participant.salaryGroup : null, certified ? JSON.stringify(lines) : null, 1,
        `${month}-01T08:00:00.000Z`, certified ? certifiedAt : confirmed ? confirmedAt : `${month}-01T08:00:00.000Z`,
      );
      if (confirmed) insReportEvent(reportId, "confirmed", participant.userId, confirmedAt, null);
      if (certified) insReportEvent(reportId, "certified", coordinator, certifiedAt, null);
    }
  });
  for (const [i, p] of programmes.entries()) {
    loadProgramme(p);
    if (i % 10 === 9 || i === programmes.length - 1) {
      log(`  ${elapsed()}: ${i + 1}/${programmes.length} programmes, ${counts.sessions ?? 0} sessions, ${counts.attendance ?? 0} attendance rows, ${counts.time_reports ?? 0} time reports`);
    }
  }

  // A history in the audit log, as years of use leave it (ids and field names only).
  sqlite.transaction(() => {
    const from = Date.parse(`${addMonths(today, -36)}T00:00:00Z`);
    const step = (Date.parse(`${today}T00:00:00Z`) - from) / AUDIT_ROWS;
    for (let i = 0; i < AUDIT_ROWS; i++) {
      const m = munis[Math.floor(random() * munis.length)];
      const action = AUDIT_ACTIONS[i % AUDIT_ACTIONS.length];
      const entity = action.startsWith("login") ? "user" : action.split(".")[0];
      insAudit(new Date(from + i * step).toISOString(), coordinatorOf.get(m.id) ?? null, m.id, action, entity, String(1 + Math.floor(random() * 60_000)),
        action === "participant.updated" ? '{"fields":["title","department"]}' : null);
    }
  })();

  log(`  ${elapsed()}: ANALYZE`);
  sqlite.exec("ANALYZE");
  sqlite.pragma("journal_mode = WAL");
  const fk = sqlite.prepare("PRAGMA foreign_key_check").all();
  if (fk.length) throw new Error(`foreign_key_check found ${fk.length} problems`);
  sqlite.close();

  const seconds = (Date.now() - started) / 1000;
  return { file, seconds, counts };
}

function scaleFileFrom(arg: string | undefined): string {
  return databasePathFromUrl(arg ?? process.env.SCALE_DATABASE_URL ?? DEFAULT_SCALE_DATABASE);
}

async function main() {
  const { values, positionals } = parseArgs({ options: { today: { type: "string" } }, allowPositionals: true });
  if (values.today && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) {
    console.error("--today must be YYYY-MM-DD");
    process.exit(2);
  }
  const file = scaleFileFrom(positionals[0]);
  console.log(`Generating the national-scale database in ${path.relative(process.cwd(), file) || file} ...`);
  const summary = await seedScale(file, values.today ?? stockholmToday());
  const c = summary.counts;
  console.log(
    `Done in ${summary.seconds.toFixed(1)} s: ${c.municipalities} municipalities, ${c.participants} participants, ${c.cohorts} cohorts, ` +
      `${c.sessions} sessions, ${c.enrolments} enrolments, ${c.attendance} attendance rows, ${c.time_reports} time reports, ${c.users} users.`,
  );
  console.log(`File size: ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("seed-scale.ts")) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
