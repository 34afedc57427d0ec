/**
 * What every kind of user should get from every route. A new route fails the
 * matrix until it has a line here: decide who may use it, and write it down.
 *
 * ok: 2xx; forbidden: 403, the user's roles may never use the page (or the
 * action); notFound: 404, the page is for their role but the object is not
 * theirs, answered exactly like an id that does not exist; login: sent to
 * /login; redirect: another 3xx; bad: 4xx refusal of the (empty or bogus)
 * input; none: 405, no action.
 *
 * The matrix also asks every route with an id with a made-up id: a forbidden
 * user stays forbidden, everyone else gets notFound with the same body as for
 * a real id that is not theirs (`madeUp` overrides this where a page ignores its id).
 */
export const ACTORS = ["anonymous", "trainee", "coordOwn", "coordOther", "lead", "leadOther", "funder", "coach", "admin"] as const;
export type Actor = (typeof ACTORS)[number];
export type Outcome = "ok" | "forbidden" | "notFound" | "login" | "redirect" | "bad" | "none" | "error";
type PerActor = Record<Actor, Outcome>;

export interface Expectation {
  get: PerActor;
  post?: PerActor;
  query?: string;
  body?: Record<string, string>;
  /** What a made-up id gets, where that is not derived from the real one. */
  madeUp?: { get?: PerActor; post?: PerActor };
  /** The same public document for everyone, with nothing personal in it: it may be cached. */
  sameForEveryone?: true;
}

/** The answers a denied or refused request may give: nothing may have changed. */
export const REFUSALS: Outcome[] = ["forbidden", "notFound", "login", "none"];

const LOGGED_IN = ACTORS.filter((a) => a !== "anonymous");
const COORDINATORS: Actor[] = ["coordOwn", "coordOther"];

/**
 * Logged-in users in `allowed` get `yes`, those in `notYours` (their role
 * uses the page, but not for this object) 404, every other logged-in user
 * 403, and anonymous users the login page.
 */
function only(allowed: Actor[], yes: Outcome = "ok", notYours: Actor[] = []): PerActor {
  const result = { anonymous: "login" } as PerActor;
  for (const a of LOGGED_IN) result[a] = allowed.includes(a) ? yes : notYours.includes(a) ? "notFound" : "forbidden";
  return result;
}
const everyone = (outcome: Outcome): PerActor => Object.fromEntries(ACTORS.map((a) => [a, outcome])) as PerActor;
const allLoggedIn = (outcome: Outcome): PerActor => only([...LOGGED_IN], outcome);

/** A made-up id for a route the caller may use: 404; for one they may never use: still 403. */
export function madeUpOutcome(real: Outcome): Outcome {
  return ["ok", "bad", "redirect", "notFound"].includes(real) ? "notFound" : real;
}

export const expectations: Record<string, Expectation> = {
  "routes/_index": { get: allLoggedIn("ok") },
  // Any unknown address: the Swedish 404 inside the layout, also for a post.
  "routes/$": { get: allLoggedIn("notFound"), post: allLoggedIn("notFound") },
  // A logged-in user is sent on from the login page, whatever they post to it.
  "routes/login": { get: { ...everyone("redirect"), anonymous: "ok" }, post: { ...everyone("redirect"), anonymous: "bad" } },
  "routes/logout": { get: everyone("login"), post: everyone("login") },
  // Asking for a reset link: anyone not logged in (a logged-in user is sent to Mitt konto); an empty form is refused.
  "routes/glomt-losenord": { get: { ...everyone("redirect"), anonymous: "ok" }, post: { ...everyone("redirect"), anonymous: "bad" } },
  // A reset link's page answers every token alike (it says when a link no longer works); an empty form is refused.
  "routes/nytt-losenord.$token": { get: everyone("ok"), post: everyone("bad"), madeUp: { get: everyone("ok"), post: everyone("bad") } },
  // The code after the password: only a login waiting for its code (a signed cookie) gets the page; anyone else starts at /login.
  "routes/tvastegskod": { get: everyone("login"), post: everyone("login") },
  "routes/healthz": { get: everyone("ok") },
  "routes/tillganglighet": { get: everyone("ok") },
  "routes/integritet": { get: everyone("ok") },
  // Mitt konto: everyone logged in changes their own password; an empty form is refused.
  "routes/konto": { get: allLoggedIn("ok"), post: allLoggedIn("bad") },
  // Confirming the password before a sensitive action: everyone logged in; an empty form is refused.
  "routes/bekrafta": { get: allLoggedIn("ok"), post: allLoggedIn("bad") },
  "routes/admin.anvandare._index": { get: only(["admin"]) },
  "routes/admin.anvandare.ny": { get: only(["admin"]), post: only(["admin"], "bad") },
  "routes/admin.anvandare.$userId": { get: only(["admin"]), post: only(["admin"], "bad") },
  "routes/admin.logg": { get: only(["admin"]) },
  "routes/admin.inloggning._index": { get: only(["admin"]) },
  "routes/admin.inloggning.ny": { get: only(["admin"]), post: only(["admin"], "bad") },
  "routes/admin.inloggning.$providerId": { get: only(["admin"], "notFound"), post: only(["admin"], "notFound") },
  // The OIDC redirect URI: without the signed cookie of a login under way everyone is sent back to the login page.
  "routes/login.sso.oidc": { get: everyone("login") },
  // SAML: the SP metadata is public (IdPs import it by URL); the ACS without the signed cookie of a login under way sends everyone to the login page.
  "routes/sso.saml.metadata": { get: everyone("ok"), sameForEveryone: true },
  "routes/sso.saml.acs": { get: everyone("login"), post: everyone("login") },
  // Without a signed LogoutRequest or LogoutResponse from an IdP: refused, nobody logged out.
  "routes/sso.saml.slo": { get: everyone("bad") },
  // Sessions (Träffar) of "Omgång 2"; the session is hosted by Vimmerby (coordOwn). Hultsfred is a partner too.
  // The ESF programme does not let coordinators plan sessions: only its lead does (ADR 013).
  "routes/omgangar.$cohortId.trafar._index": { get: only(["trainee", "coordOwn", "coordOther", "lead"], "ok", ["leadOther"]) },
  "routes/omgangar.$cohortId.trafar.ny": {
    get: only(["lead"], "ok", ["coordOwn", "coordOther", "leadOther"]),
    post: only(["lead"], "bad", ["coordOwn", "coordOther", "leadOther"]),
  },
  "routes/trafar.$sessionId._index": {
    get: only(["trainee", "coordOwn", "coordOther", "lead"], "ok", ["leadOther"]),
    post: only(["lead"], "bad", ["coordOwn", "coordOther", "leadOther"]),
  },
  "routes/trafar.$sessionId.redigera": {
    get: only(["lead"], "ok", ["coordOwn", "coordOther", "leadOther"]),
    post: only(["lead"], "bad", ["coordOwn", "coordOther", "leadOther"]),
  },
  // A session's material: its planner adds and removes (the lead; ESF does not let coordinators plan); whoever reads the
  // session reads the files. The material is a PDF on one of Omgång 2's next sessions.
  "routes/trafar.$sessionId.material._index": {
    get: only(["lead"], "ok", ["coordOwn", "coordOther", "leadOther"]),
    post: only(["lead"], "bad", ["coordOwn", "coordOther", "leadOther"]),
  },
  "routes/material.$materialId": { get: only(["trainee", "coordOwn", "coordOther", "lead"], "ok", ["leadOther"]) },
  // Mitt schema and calendar feeds; POST issues a new feed address, shown in the answer.
  "routes/schema": { get: only(["trainee"]), post: only(["trainee"]) },
  "routes/kalender._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), post: only(["coordOwn", "coordOther", "lead", "leadOther"]) },
  // The feed needs no login, only its token: an unknown one is a 404 to everyone.
  "routes/kalender.$token": { get: everyone("notFound"), post: everyone("none") },
  // Marking a notice seen: nobody owns notice 1 in the demo data. The page itself only sends you home.
  "routes/notiser.$noticeId": {
    get: allLoggedIn("redirect"),
    post: allLoggedIn("notFound"),
    madeUp: { get: allLoggedIn("redirect") },
  },
  // Participants: each coordinator has their own list; the participant is Vimmerby's (coordOwn).
  "routes/deltagare._index": { get: only(COORDINATORS) },
  "routes/deltagare[.csv]": { get: only(COORDINATORS) },
  "routes/deltagare.ny": { get: only(COORDINATORS), post: only(COORDINATORS, "bad") },
  "routes/deltagare.import._index": { get: only(COORDINATORS), post: only(COORDINATORS, "bad") },
  "routes/deltagare.import.mall[.csv]": { get: only(COORDINATORS) },
  "routes/deltagare.$participantId._index": { get: only(["coordOwn"], "ok", ["coordOther"]), post: only(["coordOwn"], "bad", ["coordOther"]) },
  "routes/deltagare.$participantId.redigera": { get: only(["coordOwn"], "ok", ["coordOther"]), post: only(["coordOwn"], "bad", ["coordOther"]) },
  // Privacy: the participant is Vimmerby's (coordOwn) demo trainee, still active, so anonymising is refused (400).
  "routes/deltagare.$participantId.registerutdrag": { get: only(["coordOwn"], "ok", ["coordOther"]) },
  "routes/deltagare.$participantId.registerutdrag[.json]": { get: only(["coordOwn"], "ok", ["coordOther"]) },
  "routes/deltagare.$participantId.anonymisera": { get: only(["coordOwn"], "ok", ["coordOther"]), post: only(["coordOwn"], "bad", ["coordOther"]) },
  "routes/deltagare.gallring": { get: only(["coordOwn", "coordOther"]) },
  "routes/mina-uppgifter": { get: only(["trainee"]) },
  // The demo trainee's enrolment is still active, so it has no certificate yet: those who could read one get 404
  // (tests/integration/course-certificates.test.ts completes it and shows who gets the page).
  "routes/utbildningsbevis.$enrolmentId": { get: only([], "ok", ["trainee", "coordOwn", "coordOther"]) },
  "routes/mina-uppgifter[.json]": { get: only(["trainee"]) },
  "routes/program.$programmeId.gallring": { get: only(["lead", "admin"], "ok", ["leadOther"]), post: only(["lead", "admin"], "bad", ["leadOther"]) },
  // Attendance and time reports: the session is Vimmerby-hosted and held; the report is the Vimmerby trainee's.
  "routes/trafar.$sessionId.narvaro": {
    get: only(["coordOwn", "lead"], "ok", ["coordOther", "leadOther"]),
    post: only(["coordOwn", "lead"], "redirect", ["coordOther", "leadOther"]),
  },
  "routes/omgangar.$cohortId.narvarorapport._index": { get: only(["coordOwn", "coordOther", "lead"], "ok", ["leadOther"]) },
  "routes/omgangar.$cohortId.narvarorapport[.csv]": { get: only(["coordOwn", "coordOther", "lead"], "ok", ["leadOther"]) },
  "routes/tid": { get: only(["trainee"]), post: only(["trainee"], "bad") },
  "routes/tidrapporter._index": { get: only(["coordOwn", "coordOther"]), post: only(["coordOwn", "coordOther"], "bad") },
  "routes/tidrapporter.$reportId": { get: only(["trainee", "coordOwn"], "ok", ["coordOther"]), post: only(["trainee", "coordOwn"], "bad", ["coordOther"]) },
  "routes/tidrapporter.$reportId_.intyg": { get: only(["trainee", "coordOwn"], "ok", ["coordOther"]) },
  "routes/medfinansiering._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]) },
  "routes/medfinansiering[.csv]": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]) },
  "routes/program.$programmeId.kostnader": { get: only(["lead", "admin"], "ok", ["leadOther"]), post: only(["lead", "admin"], "bad", ["leadOther"]) },
  // Programmes and cohorts: the ESF programme is owned by Vimmerby (coordOwn); Hultsfred (coordOther) is a partner.
  "routes/program._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder", "admin"]) },
  "routes/program.ny": { get: only(["coordOwn", "coordOther", "admin"]), post: only(["coordOwn", "coordOther", "admin"], "bad") },
  "routes/program.$programmeId._index": { get: only(["coordOwn", "coordOther", "lead", "funder", "admin"], "ok", ["leadOther"]) },
  "routes/program.$programmeId.redigera": {
    get: only(["coordOwn", "lead", "admin"], "ok", ["coordOther", "leadOther"]),
    post: only(["coordOwn", "lead", "admin"], "bad", ["coordOther", "leadOther"]),
  },
  "routes/program.$programmeId.omgangar.ny": { get: only(["lead"], "ok", ["leadOther"]), post: only(["lead"], "bad", ["leadOther"]) },
  // Funders and administrators see the cohort's seat figures but no roster and no forms.
  "routes/omgangar.$cohortId._index": {
    get: only(["coordOwn", "coordOther", "lead", "funder", "admin"], "ok", ["leadOther"]),
    post: only(["coordOwn", "coordOther", "lead"], "bad", ["leadOther"]),
  },
  "routes/omgangar.$cohortId.redigera": { get: only(["lead"], "ok", ["leadOther"]), post: only(["lead"], "bad", ["leadOther"]) },
  "routes/omgangar.$cohortId.platser": { get: only(["lead"], "ok", ["leadOther"]), post: only(["lead"], "bad", ["leadOther"]) },
  "routes/omgangar.$cohortId.deltagarlista[.csv]": { get: only(["coordOwn", "coordOther", "lead"], "ok", ["leadOther"]) },
  // Statistics: every funder, lead and coordinator has a programme to see (leadOther the trainee programme); admins none.
  // Statistics are asked for in whole months (ADR 017).
  "routes/statistik._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder"]), query: "?fran=2026-01&till=2026-06" },
  "routes/statistik[.xlsx]": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder"]), query: "?fran=2026-01&till=2026-06" },
  "routes/statistik[.csv]": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder"]), query: "?fran=2026-01&till=2026-06" },
  // Outcome follow-up is the coordinators'; SCB lists are the leads' and coordinators', never a funder's.
  // Effects (issue 16). A trainee answers only evaluations they were asked; the matrix's session is an earlier one of theirs, closed (409).
  "routes/utvardering.$sessionId": { get: only(["trainee"]), post: only(["trainee"], "bad") },
  "routes/program.$programmeId.utvardering": { get: only(["lead"], "ok", ["leadOther"]), post: only(["lead"], "bad", ["leadOther"]) },
  "routes/omgangar.$cohortId.utvardering": { get: only(["coordOwn", "coordOther", "lead"], "ok", ["leadOther"]) },
  // Messages to a cohort: the lead to everyone, a coordinator to their own municipality's participants (both partners here).
  "routes/omgangar.$cohortId.meddelanden": {
    get: only(["coordOwn", "coordOther", "lead"], "ok", ["leadOther"]),
    post: only(["coordOwn", "coordOther", "lead"], "bad", ["leadOther"]),
  },
  // The trainee's reminder setting (shown on Mitt schema, saved here); the opt-out link in a reminder needs no login.
  "routes/paminnelser": { get: only(["trainee"], "redirect"), post: only(["trainee"], "bad") },
  "routes/avsluta-paminnelser.$token": { get: everyone("notFound"), post: everyone("notFound") },
  "routes/program.$programmeId.effektrapport": { get: only(["coordOwn", "coordOther", "lead", "funder"], "ok", ["leadOther"]) },
  "routes/program.$programmeId.effektrapport[.xlsx]": { get: only(["coordOwn", "coordOther", "lead", "funder"], "ok", ["leadOther"]) },
  "routes/uppfoljning._index": { get: only(["coordOwn", "coordOther"]), post: only(["coordOwn", "coordOther"], "bad") },
  "routes/scb._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), post: only(["coordOwn", "coordOther", "lead", "leadOther"], "bad") },
  "routes/scb[.csv]": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), query: "?manad=2026-10" },
  // 360 feedback and action plans (ADR 022). The subject is the demo trainee's first round; its report is shared with nobody,
  // so everyone but its owner gets the made-up id's 404, coordinators and funders included. Links without login: unknown = 404.
  "routes/program.$programmeId.aterkoppling": { get: only(["lead"], "ok", ["leadOther"]), post: only(["lead"], "bad", ["leadOther"]) },
  "routes/aterkoppling._index": { get: only(["trainee"]) },
  "routes/aterkoppling.$subjectId._index": { get: only(["trainee"]), post: only(["trainee"], "bad") },
  "routes/aterkoppling.$subjectId.rapport": { get: only(["trainee"], "ok", ["coordOwn", "coordOther", "lead", "leadOther", "funder", "coach", "admin"]) },
  // The coach (ADR 036) reads only reports shared with them; the demo coach has one of Omgång 1's, not the trainee's above.
  // Leads and coaches list the reports shared with them; nobody else has such a list.
  "routes/delade-rapporter": { get: only(["lead", "leadOther", "coach"]) },
  "routes/svara.$token": { get: everyone("notFound"), post: everyone("notFound") },
  "routes/handlingsplan._index": { get: only(["trainee"]), post: only(["trainee"], "bad") },
  "routes/handlingsplan.chef.$token": { get: everyone("notFound"), post: everyone("none") },
  "routes/scb[.xlsx]": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), query: "?manad=2026-10" },
  // Self-rating (issue 16, ADR 035). The cohort is the demo trainee's Omgång 2: only they rate themselves in it; everyone
  // else gets the made-up id's 404 (nobody reads another's rating), coordinators and funders included.
  "routes/program.$programmeId.mal": { get: only(["lead"], "ok", ["leadOther"]), post: only(["lead"], "bad", ["leadOther"]) },
  "routes/sjalvskattning._index": { get: only(["trainee"]) },
  "routes/sjalvskattning.$cohortId": {
    get: only(["trainee"], "ok", ["coordOwn", "coordOther", "lead", "leadOther", "funder", "coach", "admin"]),
    post: only(["trainee"], "bad", ["coordOwn", "coordOther", "lead", "leadOther", "funder", "coach", "admin"]),
  },
};
