/**
 * The demo consortium: "Ledarutveckling över gränserna", eight municipalities
 * in two counties, and a regional trainee programme. Deterministic: the same
 * people, names and seats every time; session dates are placed around the day
 * the database is created so there is always something past and upcoming.
 */
import type { Db } from "../../app/db/connection.server";
import type { EducationLevel, Gender } from "../../app/db/schema";
import { stockholmToday } from "../../app/utils/format";
import { addDaysToDate, stockholmToUtcIso } from "../../app/utils/time";
import {
  createCohort,
  createEnrolment,
  createMunicipality,
  createParticipant,
  createProgramme,
  createSession,
  createUser,
} from "./factories";
import { seedAttendanceDemo } from "./attendance-demo";
import { seedScheduleDemo } from "./schedule-demo";
import { seedEvaluationsDemo } from "./evaluations-demo";
import { seedOutcomesDemo } from "./outcomes-demo";
import { seedPrivacyDemo } from "./privacy-demo";
import { seedFeedbackDemo } from "./feedback-demo";
import { DEMO_COACH_EMAIL, seedCoachDemo } from "./coach-demo";
import { seedSelfRatingsDemo } from "./self-ratings-demo";
import { seedMaterialDemo } from "./material-demo";
import { DEPARTMENTS, FACILITATORS, personnummerFor, seededRandom, SESSION_PLAN, TITLES } from "./people";

export const DEMO_PASSWORD = "portal-demo-2026";

/** Seats per cohort of 40, by headcount; Vimmerby had ten over the two cohorts. */
export const CONSORTIUM = [
  { name: "Aneby", slug: "aneby", county: "Jönköpings län", seats: 3, venue: "Kommunhuset Aneby", address: "Parkgatan 1, Aneby" },
  { name: "Eksjö", slug: "eksjo", county: "Jönköpings län", seats: 6, venue: "Stadshuset Eksjö", address: "Stora Torget 1, Eksjö" },
  { name: "Hultsfred", slug: "hultsfred", county: "Kalmar län", seats: 5, venue: "Kommunhuset Hultsfred", address: "Köpmangatan 1, Hultsfred" },
  { name: "Högsby", slug: "hogsby", county: "Kalmar län", seats: 2, venue: "Kommunhuset Högsby", address: "Stora vägen 37, Högsby" },
  { name: "Nässjö", slug: "nassjo", county: "Jönköpings län", seats: 9, venue: "Stadshuset Nässjö", address: "Storgatan 33, Nässjö" },
  { name: "Sävsjö", slug: "savsjo", county: "Jönköpings län", seats: 4, venue: "Kommunhuset Sävsjö", address: "Djurgårdsgatan 14, Sävsjö" },
  { name: "Vetlanda", slug: "vetlanda", county: "Jönköpings län", seats: 6, venue: "Stadshuset Vetlanda", address: "Stortorget 6, Vetlanda" },
  { name: "Vimmerby", slug: "vimmerby", county: "Kalmar län", seats: 5, venue: "Stadshuset Vimmerby", address: "Sevedegatan 39, Vimmerby" },
] as const;

const FIRST_NAMES: { name: string; gender: Gender }[] = [
  { name: "Anna", gender: "kvinna" }, { name: "Maria", gender: "kvinna" }, { name: "Karin", gender: "kvinna" },
  { name: "Sara", gender: "kvinna" }, { name: "Emma", gender: "kvinna" }, { name: "Linnea", gender: "kvinna" },
  { name: "Johanna", gender: "kvinna" }, { name: "Elin", gender: "kvinna" }, { name: "Malin", gender: "kvinna" },
  { name: "Helena", gender: "kvinna" }, { name: "Sofia", gender: "kvinna" }, { name: "Ida", gender: "kvinna" },
  { name: "Fatima", gender: "kvinna" }, { name: "Amira", gender: "kvinna" }, { name: "Lena", gender: "kvinna" },
  { name: "Erik", gender: "man" }, { name: "Lars", gender: "man" }, { name: "Johan", gender: "man" },
  { name: "Anders", gender: "man" }, { name: "Per", gender: "man" }, { name: "Mikael", gender: "man" },
  { name: "Oskar", gender: "man" }, { name: "Ahmed", gender: "man" }, { name: "Jonas", gender: "man" },
  { name: "Daniel", gender: "man" }, { name: "Henrik", gender: "man" }, { name: "Robin", gender: "icke_binar" },
  { name: "Kim", gender: "vill_ej_uppge" },
];
const LAST_NAMES = [
  "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
  "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Berg", "Holm", "Sandberg", "Ekström",
  "Hassan", "Ali", "Lundgren", "Forsberg", "Wikström", "Björk", "Nyström",
];

const EDUCATION: (EducationLevel | null)[] = ["isced_5_8", "isced_5_8", "isced_5_8", "isced_3_4", "isced_3_4", null];

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

export async function seedDemo(db: Db, today: string = stockholmToday()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const municipalityIds: Record<string, number> = {};
    for (const m of CONSORTIUM) {
      municipalityIds[m.slug] = await createMunicipality(trx, { name: m.name, slug: m.slug, county: m.county });
    }
    const allIds = Object.values(municipalityIds);

    const esf = await createProgramme(trx, {
      name: "Ledarutveckling över gränserna",
      kind: "ledarutveckling",
      funding: "esf",
      ownerMunicipalityId: municipalityIds.vimmerby,
      partnerMunicipalityIds: allIds,
      esfProjectNumber: "DEMO-2026-0001",
      startsOn: addMonths(today, -11),
      endsOn: addMonths(today, 12),
      description:
        "Ett ESF-finansierat program för möjliga framtida ledare i åtta kommuner. Cirka 25 utbildningsdagar under ett år, skuggning av en chef i en annan kommun och en personlig handlingsplan byggd på återkoppling.",
    });
    const trainee = await createProgramme(trx, {
      name: "Regionalt traineeprogram",
      kind: "trainee",
      funding: "regional",
      ownerMunicipalityId: municipalityIds.nassjo,
      partnerMunicipalityIds: [municipalityIds.aneby, municipalityIds.eksjo, municipalityIds.savsjo, municipalityIds.vetlanda],
      startsOn: addMonths(today, -6),
      endsOn: addMonths(today, 12),
      description: "Arton månader med roterande placeringar mellan kommunerna och en mentor för varje trainee.",
    });

    const seats = Object.fromEntries(CONSORTIUM.map((m) => [municipalityIds[m.slug], m.seats]));
    const cohorts = [
      { name: "Omgång 1", startsOn: addMonths(today, -10), endsOn: addMonths(today, 2) },
      { name: "Omgång 2", startsOn: addMonths(today, -3), endsOn: addMonths(today, 9) },
    ];
    const random = seededRandom(2026);
    const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    let personIndex = 0;
    const usedEmails = new Set<string>();

    async function newParticipant(slug: string) {
      const first = FIRST_NAMES[(personIndex * 7) % FIRST_NAMES.length];
      const last = LAST_NAMES[(personIndex * 11 + 3) % LAST_NAMES.length];
      personIndex += 1;
      let email = `${ascii(first.name)}.${ascii(last)}@${slug}.example`;
      for (let n = 2; usedEmails.has(email); n++) email = `${ascii(first.name)}.${ascii(last)}${n}@${slug}.example`;
      usedEmails.add(email);
      const birthYear = 1966 + Math.floor(random() * 36);
      return createParticipant(trx, {
        municipalityId: municipalityIds[slug],
        firstName: first.name,
        lastName: last,
        email,
        department: pick(DEPARTMENTS),
        title: pick(TITLES),
        gender: first.gender,
        birthYear,
        educationLevel: pick(EDUCATION),
        salaryGroup: String(1 + Math.floor(random() * 3)),
        personnummer: personnummerFor(birthYear, personIndex),
        ...demoManager(slug, personIndex),
      });
    }

    let demoTraineeId = 0;
    for (const [index, cohort] of cohorts.entries()) {
      const cohortId = await createCohort(trx, { programmeId: esf, name: cohort.name, startsOn: cohort.startsOn, endsOn: cohort.endsOn, seats });
      for (const m of CONSORTIUM) {
        for (let seat = 0; seat < m.seats; seat++) {
          const participantId = await newParticipant(m.slug);
          // A few leave early in the first cohort: the statistics need drop-outs.
          const dropped = index === 0 && seat === 1 && ["nassjo", "hultsfred", "eksjo"].includes(m.slug);
          await createEnrolment(trx, {
            cohortId,
            participantId,
            municipalityId: municipalityIds[m.slug],
            status: dropped ? "dropped" : "active",
            nominatedAt: new Date(`${addDaysToDate(cohort.startsOn, -30)}T09:00:00Z`).toISOString(),
            startedOn: cohort.startsOn,
            endedOn: dropped ? addMonths(cohort.startsOn, 3) : null,
            dropReason: dropped ? "Nytt arbete utanför kommunen" : null,
          });
          if (index === 1 && m.slug === "vimmerby" && seat === 0) demoTraineeId = participantId;
        }
      }
      // Nominations waiting for a decision, and a waiting list, so the coordination pages have work to show.
      if (index === 1) {
        for (const [slug, position] of [["nassjo", 1], ["nassjo", 2], ["vimmerby", 1]] as const) {
          await createEnrolment(trx, {
            cohortId,
            participantId: await newParticipant(slug),
            municipalityId: municipalityIds[slug],
            status: "waitlisted",
            waitlistPosition: position,
            nominatedAt: new Date(`${addDaysToDate(today, -10)}T10:00:00Z`).toISOString(),
          });
        }
      }
      await seedSessions(trx, cohortId, cohort.startsOn, cohort.endsOn, index);
    }

    const traineeSeats = { [municipalityIds.nassjo]: 3, [municipalityIds.aneby]: 1, [municipalityIds.eksjo]: 2, [municipalityIds.savsjo]: 1, [municipalityIds.vetlanda]: 3 };
    const traineeCohort = await createCohort(trx, {
      programmeId: trainee,
      name: "Traineeomgång 1",
      startsOn: addMonths(today, -6),
      endsOn: addMonths(today, 12),
      seats: traineeSeats,
    });
    for (const [municipalityId, count] of Object.entries(traineeSeats)) {
      const slug = Object.entries(municipalityIds).find(([, id]) => id === Number(municipalityId))![0];
      for (let i = 0; i < count; i++) {
        await createEnrolment(trx, {
          cohortId: traineeCohort,
          participantId: await newParticipant(slug),
          municipalityId: Number(municipalityId),
          status: "active",
          startedOn: addMonths(today, -6),
          nominatedAt: new Date(`${addMonths(today, -7)}T09:00:00Z`).toISOString(),
        });
      }
    }
    for (let month = 0; month < 18; month++) {
      const date = onWeekday(addMonths(addMonths(today, -6), month));
      const host = CONSORTIUM.find((m) => m.slug === ["nassjo", "eksjo", "vetlanda", "savsjo", "aneby"][month % 5])!;
      await createSession(trx, {
        cohortId: traineeCohort,
        title: month % 6 === 0 ? "Rotation: ny placering" : "Traineeträff med mentorer",
        kind: "natverkstraff",
        startsAt: stockholmToUtcIso(date, "13:00"),
        endsAt: stockholmToUtcIso(date, "16:00"),
        hostMunicipalityId: municipalityIds[host.slug],
        venue: host.venue,
        address: host.address,
        facilitator: "Regionens traineesamordnare",
      });
    }

    // The demo accounts log in with the README's password alone (ADR 024); a real installation requires two-factor.
    await trx.updateTable("portal_settings").set({ two_factor_required: 0 }).where("id", "=", 1).execute();
    await createUser(trx, { email: "admin@programportalen.test", name: "Alva Admin", password: DEMO_PASSWORD, grants: [{ role: "admin" }] });
    await createUser(trx, {
      email: "programledare@programportalen.test",
      name: "Petra Programledare",
      password: DEMO_PASSWORD,
      grants: [{ role: "programme_lead", programmeId: esf }],
    });
    await createUser(trx, {
      email: "traineeledare@programportalen.test",
      name: "Tomas Traineeledare",
      password: DEMO_PASSWORD,
      grants: [{ role: "programme_lead", programmeId: trainee }],
    });
    for (const m of CONSORTIUM) {
      await createUser(trx, {
        email: `samordnare.${m.slug}@programportalen.test`,
        name: `Samordnare ${m.name}`,
        password: DEMO_PASSWORD,
        grants: [{ role: "coordinator", municipalityId: municipalityIds[m.slug] }],
      });
    }
    const demoTrainee = await trx
      .selectFrom("participants")
      .select(["first_name", "last_name"])
      .where("id", "=", demoTraineeId)
      .executeTakeFirstOrThrow();
    await createUser(trx, {
      email: "deltagare@programportalen.test",
      name: `${demoTrainee.first_name} ${demoTrainee.last_name}`,
      password: DEMO_PASSWORD,
      grants: [{ role: "participant", municipalityId: municipalityIds.vimmerby, participantId: demoTraineeId }],
    });
    await createUser(trx, {
      email: "finansiar@programportalen.test",
      name: "Fredrik Finansiär",
      password: DEMO_PASSWORD,
      grants: [{ role: "funder", programmeId: esf }],
    });
    await createUser(trx, {
      email: DEMO_COACH_EMAIL,
      name: "Cecilia Coach",
      password: DEMO_PASSWORD,
      grants: [{ role: "coach", programmeId: esf }],
    });
    await seedCoordinationDemo(trx, esf, today);
    await seedAttendanceDemo(trx, today);
    await seedScheduleDemo(trx, today);
    await seedOutcomesDemo(trx, today);
    await seedEvaluationsDemo(trx, esf, today);
    await seedPrivacyDemo(trx, today);
    await seedFeedbackDemo(trx, today);
    await seedCoachDemo(trx, esf, today);
    await seedSelfRatingsDemo(trx, esf, today);
    await seedMaterialDemo(trx, today);
  });
}

// Names outside the generated ones above, so these people are easy to tell apart in the demo.
const UNENROLLED_FIRST: { name: string; gender: Gender }[] = [
  { name: "Nora", gender: "kvinna" }, { name: "Hugo", gender: "man" }, { name: "Vera", gender: "kvinna" },
  { name: "Axel", gender: "man" }, { name: "Tove", gender: "kvinna" }, { name: "Leo", gender: "man" },
  { name: "Selma", gender: "kvinna" }, { name: "Viktor", gender: "man" }, { name: "Ebba", gender: "kvinna" },
  { name: "Nils", gender: "man" }, { name: "Alice", gender: "kvinna" }, { name: "Sam", gender: "vill_ej_uppge" },
];
const UNENROLLED_LAST = ["Mattsson", "Sjöberg", "Blom", "Strand", "Hedlund", "Falk", "Engström", "Axelsson", "Dahl", "Lund", "Sundberg", "Wallin"];
const UNENROLLED_TITLES = ["Socialsekreterare", "Lärare", "Controller", "Undersköterska", "Planarkitekt", "Kommunikatör"];

/**
 * Coordination work still to do: an upcoming "Omgång 3" of the ESF programme
 * with the same seats and no enrolments yet, and a few participants in every
 * municipality who are in no cohort, so coordinators have someone to nominate.
 */
async function seedCoordinationDemo(db: Db, esfProgrammeId: number, today: string) {
  const municipalities = await db.selectFrom("municipalities").select(["id", "slug"]).execute();
  const idOf = (slug: string) => municipalities.find((m) => m.slug === slug)!.id;
  await createCohort(db, {
    programmeId: esfProgrammeId,
    name: "Omgång 3",
    startsOn: onWeekday(addMonths(today, 4)),
    endsOn: addMonths(today, 12),
    seats: Object.fromEntries(CONSORTIUM.map((m) => [idOf(m.slug), m.seats])),
  });
  for (const [index, m] of CONSORTIUM.entries()) {
    for (let n = 0; n < 3; n++) {
      const i = index * 3 + n;
      const first = UNENROLLED_FIRST[i % UNENROLLED_FIRST.length];
      const last = UNENROLLED_LAST[(i * 5 + Math.floor(i / UNENROLLED_LAST.length)) % UNENROLLED_LAST.length];
      await createParticipant(db, {
        municipalityId: idOf(m.slug),
        firstName: first.name,
        lastName: last,
        email: `${ascii(first.name)}.${ascii(last)}@${m.slug}.example`,
        department: DEPARTMENTS[i % DEPARTMENTS.length],
        title: UNENROLLED_TITLES[i % UNENROLLED_TITLES.length],
        gender: first.gender,
        birthYear: 1980 + ((i * 7) % 20),
        educationLevel: "isced_5_8",
        salaryGroup: String(1 + (i % 3)),
        personnummer: personnummerFor(1980 + ((i * 7) % 20), 200 + i),
        ...demoManager(m.slug, i),
      });
    }
  }
}

/** About 25 sessions over the cohort, rotating the venue between the municipalities. */
async function seedSessions(db: Db, cohortId: number, startsOn: string, endsOn: string, cohortIndex: number) {
  const count = 25;
  const span = (Date.parse(endsOn) - Date.parse(startsOn)) / 86_400_000;
  for (let i = 0; i < count; i++) {
    const date = onWeekday(addDaysToDate(startsOn, Math.round((i * span) / count)));
    // Start with the kick-off, end with the closing day, and cycle through the themes in between.
    const plan =
      i === 0
        ? SESSION_PLAN[0]
        : i === count - 1
          ? { title: "Avslutning: handlingsplanerna redovisas", kind: "utbildningsdag" as const }
          : SESSION_PLAN[1 + ((i - 1) % (SESSION_PLAN.length - 1))];
    const host = CONSORTIUM[(i + cohortIndex * 3) % CONSORTIUM.length];
    const digital = plan.kind === "digital";
    await createSession(db, {
      cohortId,
      title: plan.title,
      kind: plan.kind,
      startsAt: stockholmToUtcIso(date, digital ? "13:00" : "09:00"),
      endsAt: stockholmToUtcIso(date, digital ? "15:30" : "16:00"),
      hostMunicipalityId: (await db.selectFrom("municipalities").select("id").where("slug", "=", host.slug).executeTakeFirstOrThrow()).id,
      venue: digital ? "" : host.venue,
      address: digital ? "" : host.address,
      meetingUrl: digital ? "https://moten.example/ledarutveckling" : "",
      facilitator: FACILITATORS[i % FACILITATORS.length],
      description: "Ta med din handlingsplan. Lunch och fika ingår.",
    });
  }
}

// Fictional nearest managers (närmaste chef), who certify the monthly time reports.
const MANAGER_FIRST = ["Birgitta", "Göran", "Annika", "Stefan", "Margareta", "Thomas", "Ulrika", "Peter"];
const MANAGER_LAST = ["Ahlström", "Berglund", "Claesson", "Dahlberg", "Eklund", "Fransson", "Gunnarsson"];

function demoManager(slug: string, index: number): { managerName: string; managerEmail: string } {
  const first = MANAGER_FIRST[index % MANAGER_FIRST.length];
  const last = MANAGER_LAST[(index * 3) % MANAGER_LAST.length];
  return { managerName: `${first} ${last}`, managerEmail: `${ascii(first)}.${ascii(last)}@${slug}.example` };
}

function ascii(s: string): string {
  return s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z]/g, "");
}
