/**
 * Objects of a test's own, made with the seed factories (the code that builds
 * the demo data) straight in the e2e server's database, so a test that writes
 * never changes what another test, or the same test run again, reads.
 * Why this and not a database per worker: docs/decisions/026-e2e-tests-on-their-own-data.md.
 */
import type { Db } from "../../app/db/connection.server";
import type { EnrolmentStatus } from "../../app/db/schema";
import { stockholmToday } from "../../app/utils/format";
import { addDaysToDate, stockholmToUtcIso } from "../../app/utils/time";
import { createCohort, createEnrolment, createMunicipality, createOutcome, createParticipant, createSession, createUser } from "../../db/seed/factories";
import { nowIso } from "../../app/db/connection.server";
import { DEMO_PASSWORD } from "../../db/seed/demo";

const PROGRAMMES = { esf: "Ledarutveckling över gränserna", trainee: "Regionalt traineeprogram" } as const;
const ESF_PROGRAMME = PROGRAMMES.esf;

/** A name part of letters only (names and e-mail addresses accept it), distinct per test and run. */
function letters(n: number): string {
  let out = "";
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

let made = 0;

export class TestData {
  /** Letters no other test (nor an earlier run against the same database) uses; put into names and e-mail addresses. */
  readonly tag: string;
  readonly today = stockholmToday();
  private cohorts = 0;

  constructor(
    private readonly db: Db,
    workerIndex: number,
  ) {
    made += 1;
    this.tag = letters(Date.now() % 26 ** 6) + letters(workerIndex) + letters(made);
  }

  /** The tag with a capital, for a surname: "Provström" + suffix() = "ProvströmXyz". */
  suffix(): string {
    return this.tag[0].toUpperCase() + this.tag.slice(1);
  }

  async municipalityId(slug: string): Promise<number> {
    return (await this.db.selectFrom("municipalities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
  }

  private async programmeId(name: string): Promise<number> {
    return (await this.db.selectFrom("programmes").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
  }

  private async seatsById(seats: Record<string, number>): Promise<Record<number, number>> {
    const byId: Record<number, number> = {};
    for (const [slug, n] of Object.entries(seats)) byId[await this.municipalityId(slug)] = n;
    return byId;
  }

  /** A cohort named "Testomgång <tag>" of the ESF programme (or the trainee programme), upcoming unless dates are given. */
  async cohort(input: {
    seats: Record<string, number>;
    programme?: keyof typeof PROGRAMMES;
    startsOn?: string;
    endsOn?: string;
  }): Promise<{ id: number; name: string }> {
    const name = `Testomgång ${this.tag}${(this.cohorts += 1)}`;
    const id = await createCohort(this.db, {
      programmeId: await this.programmeId(PROGRAMMES[input.programme ?? "esf"]),
      name,
      startsOn: input.startsOn ?? addDaysToDate(this.today, 30),
      endsOn: input.endsOn ?? addDaysToDate(this.today, 200),
      seats: await this.seatsById(input.seats),
    });
    return { id, name };
  }

  /** A participant of `slug` with a tagged surname; returns the id and the name as lists show it ("Efternamn, Förnamn"). */
  async participant(slug: string, input: { firstName: string; lastName: string; endedMonthsAgo?: number }): Promise<{ id: number; firstName: string; lastName: string }> {
    const lastName = `${input.lastName}${this.suffix()}`;
    const id = await createParticipant(this.db, {
      municipalityId: await this.municipalityId(slug),
      firstName: input.firstName,
      lastName,
      email: `${input.firstName}.${lastName}@${slug}.example`.toLowerCase(),
      department: "Samhällsbyggnadsförvaltningen",
      title: "Handläggare",
      gender: "kvinna",
      birthYear: 1980,
      salaryGroup: "2",
    });
    if (input.endedMonthsAgo !== undefined) {
      await this.db
        .updateTable("participants")
        .set({ ended_on: addDaysToDate(this.today, -Math.round(input.endedMonthsAgo * 30.5)), end_reason: "Flyttade till annan kommun" })
        .where("id", "=", id)
        .execute();
    }
    return { id, firstName: input.firstName, lastName };
  }

  async enrol(
    cohortId: number,
    participantId: number,
    slug: string,
    input: { status: EnrolmentStatus; waitlistPosition?: number; startedOn?: string; endedOn?: string },
  ): Promise<number> {
    return createEnrolment(this.db, { cohortId, participantId, municipalityId: await this.municipalityId(slug), ...input });
  }

  /** A session of `cohortId` earlier today, so its attendance can be taken now; titled "<title> <tag>". */
  async sessionToday(cohortId: number, title: string, hostSlug: string): Promise<{ id: number; title: string }> {
    const tagged = `${title} ${this.tag}`;
    const id = await createSession(this.db, {
      cohortId,
      title: tagged,
      startsAt: stockholmToUtcIso(this.today, "00:15"),
      endsAt: stockholmToUtcIso(this.today, "03:15"),
      hostMunicipalityId: await this.municipalityId(hostSlug),
      // A place, as every planned session has: run after midnight, this session has not ended yet and is the
      // demo trainee's next one, which the schedule journey moves through the form (a place is required there).
      venue: "Stadshuset, sal Linden",
      address: "Storgatan 1, Eksjö",
    });
    return { id, title: tagged };
  }

  /** A session of `cohortId` `days` days from today, 09:00-16:00, titled "<title> <tag>". */
  async sessionInDays(cohortId: number, title: string, hostSlug: string, days: number): Promise<{ id: number; title: string }> {
    const tagged = `${title} ${this.tag}`;
    const day = addDaysToDate(this.today, days);
    const id = await createSession(this.db, {
      cohortId,
      title: tagged,
      startsAt: stockholmToUtcIso(day, "09:00"),
      endsAt: stockholmToUtcIso(day, "16:00"),
      hostMunicipalityId: await this.municipalityId(hostSlug),
      venue: "Stadshuset, sal Linden",
      address: "Storgatan 1, Eksjö",
    });
    return { id, title: tagged };
  }

  /** A login for the participant (password: the demo password); returns its e-mail address. */
  async traineeLogin(participantId: number, slug: string): Promise<string> {
    const email = `deltagare.${this.tag}${participantId}@programportalen.test`;
    await createUser(this.db, { email, name: `Deltagare ${this.tag}`, password: DEMO_PASSWORD, grants: [{ role: "participant", municipalityId: await this.municipalityId(slug), participantId }] });
    return email;
  }

  /**
   * A municipality of this test's own, partner in the ESF programme, with a
   * coordinator (password: the demo password). For tests whose assertion is
   * about everything a municipality has ("nothing left to do").
   */
  async municipality(): Promise<{ id: number; slug: string; name: string; coordinatorEmail: string; password: string }> {
    const name = `Testkommun ${this.tag}`;
    const slug = `test-${this.tag}`;
    const id = await createMunicipality(this.db, { name, slug, county: "Kalmar län" });
    await this.db
      .insertInto("programme_partners")
      .values({ programme_id: await this.programmeId(ESF_PROGRAMME), municipality_id: id })
      .execute();
    const coordinatorEmail = `samordnare.${slug}@programportalen.test`;
    await createUser(this.db, { email: coordinatorEmail, name: `Samordnare ${name}`, password: DEMO_PASSWORD, grants: [{ role: "coordinator", municipalityId: id }] });
    return { id, slug, name, coordinatorEmail, password: DEMO_PASSWORD };
  }

  /**
   * `count` participants of `slug` taking part in a cohort of its own, each
   * with last month's time report confirmed and a nearest manager on record:
   * a month for the coordinator to certify at once. Returns the month and names.
   */
  async confirmedMonth(slug: string, count: number): Promise<{ month: string; names: string[] }> {
    const startedOn = addDaysToDate(this.today, -90);
    const cohort = await this.cohort({ seats: { [slug]: count }, startsOn: startedOn, endsOn: addDaysToDate(this.today, 120) });
    const month = addDaysToDate(`${this.today.slice(0, 7)}-01`, -1).slice(0, 7);
    const municipalityId = await this.municipalityId(slug);
    const programmeId = await this.programmeId(ESF_PROGRAMME);
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const person = await this.participant(slug, { firstName: ["Agnes", "Bertil", "Cornelia", "Dag", "Edit"][i % 5], lastName: "Attest" });
      await this.db.updateTable("participants").set({ manager_name: "Chef Chefsson" }).where("id", "=", person.id).execute();
      await this.enrol(cohort.id, person.id, slug, { status: "active", startedOn });
      await this.db
        .insertInto("time_reports")
        .values({
          participant_id: person.id,
          municipality_id: municipalityId,
          programme_id: programmeId,
          month,
          status: "confirmed",
          confirmed_by: null,
          confirmed_at: nowIso(),
          certified_by: null,
          certified_at: null,
          needs_review: 0,
          rounding: null,
          certified_raw_minutes: null,
          certified_minutes: null,
          certified_salary_group: null,
          certified_lines: null,
          certified_hourly_cost_ore: null,
          certified_value_ore: null,
          certified_as: null,
          certified_manager_name: null,
          version: 1,
          created_at: nowIso(),
          updated_at: nowIso(),
        })
        .execute();
      names.push(`${person.firstName} ${person.lastName}`);
    }
    return { month, names };
  }

  /**
   * A participant of `slug` with a login (the demo password) who completed a
   * past cohort of three sessions, all attended: they have earned a course
   * certificate. Returns the login, the cohort and the sessions' titles.
   */
  async certificateEarner(slug: string): Promise<{ email: string; cohortName: string; themes: string[]; name: string }> {
    const endedOn = addDaysToDate(this.today, -20);
    const startedOn = addDaysToDate(endedOn, -120);
    const cohort = await this.cohort({ seats: { [slug]: 1 }, startsOn: startedOn, endsOn: endedOn });
    const person = await this.participant(slug, { firstName: "Bodil", lastName: "Bevis" });
    const municipalityId = await this.municipalityId(slug);
    await this.enrol(cohort.id, person.id, slug, { status: "completed", startedOn, endedOn });
    const themes = [`Att leda sig själv ${this.tag}`, `Svåra samtal ${this.tag}`, `Förändringsledning ${this.tag}`];
    for (const [i, title] of themes.entries()) {
      const date = addDaysToDate(startedOn, 10 + i * 30);
      const sessionId = await createSession(this.db, {
        cohortId: cohort.id,
        title,
        startsAt: stockholmToUtcIso(date, "09:00"),
        endsAt: stockholmToUtcIso(date, "12:00"),
        hostMunicipalityId: municipalityId,
      });
      await this.db
        .insertInto("attendance")
        .values({ session_id: sessionId, participant_id: person.id, municipality_id: municipalityId, status: "narvarande", minutes: 180, recorded_by: null, recorded_at: nowIso(), version: 1 })
        .execute();
    }
    const email = `bodil.${this.tag}@${slug}.example`;
    await createUser(this.db, { email, name: `Bodil ${person.lastName}`, password: DEMO_PASSWORD, grants: [{ role: "participant", municipalityId, participantId: person.id }] });
    return { email, cohortName: cohort.name, themes, name: `Bodil ${person.lastName}` };
  }

  /** A participant of `slug` who completed a past cohort about seven months ago, the 4-week follow-up recorded: the 6-month one is due. */
  async sixMonthFollowUpDue(slug: string): Promise<void> {
    const endedOn = addDaysToDate(this.today, -215);
    const cohort = await this.cohort({ seats: { [slug]: 1 }, startsOn: addDaysToDate(endedOn, -180), endsOn: endedOn });
    const person = await this.participant(slug, { firstName: "Ulla", lastName: "Uppföljning" });
    const enrolmentId = await this.enrol(cohort.id, person.id, slug, { status: "completed", startedOn: addDaysToDate(endedOn, -180), endedOn });
    await createOutcome(this.db, { enrolmentId, checkpoint: "4_weeks", result: "same_role" });
  }
}
