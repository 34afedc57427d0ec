/**
 * What every kind of user should get from every route. A new route fails the
 * matrix until it has a line here: decide who may use it, and write it down.
 *
 * ok: 2xx; deny: 403 or 404; login: sent to /login; redirect: another 3xx;
 * bad: 4xx refusal of the (empty or bogus) input; none: 405, no action.
 */
export const ACTORS = ["anonymous", "trainee", "coordOwn", "coordOther", "lead", "leadOther", "funder", "admin"] as const;
export type Actor = (typeof ACTORS)[number];
export type Outcome = "ok" | "deny" | "login" | "redirect" | "bad" | "none" | "error";
type PerActor = Record<Actor, Outcome>;

export interface Expectation {
  get: PerActor;
  post?: PerActor;
  query?: string;
  body?: Record<string, string>;
}

const LOGGED_IN = ACTORS.filter((a) => a !== "anonymous");
const COORDINATORS: Actor[] = ["coordOwn", "coordOther"];

/** Logged-in users in `allowed` get `yes`, the other logged-in users `no`, anonymous users the login page. */
function only(allowed: Actor[], yes: Outcome = "ok", no: Outcome = "deny"): PerActor {
  const result = { anonymous: "login" } as PerActor;
  for (const a of LOGGED_IN) result[a] = allowed.includes(a) ? yes : no;
  return result;
}
const everyone = (outcome: Outcome): PerActor => Object.fromEntries(ACTORS.map((a) => [a, outcome])) as PerActor;
const allLoggedIn = (outcome: Outcome): PerActor => only([...LOGGED_IN], outcome);


export const expectations: Record<string, Expectation> = {
  "routes/_index": { get: allLoggedIn("ok") },
  // A logged-in user is sent on from the login page, whatever they post to it.
  "routes/login": { get: { ...everyone("redirect"), anonymous: "ok" }, post: { ...everyone("redirect"), anonymous: "bad" } },
  "routes/logout": { get: everyone("login"), post: everyone("login") },
  "routes/healthz": { get: everyone("ok") },
  "routes/tillganglighet": { get: everyone("ok") },
  "routes/integritet": { get: everyone("ok") },
  // Mitt konto: everyone logged in changes their own password; an empty form is refused.
  "routes/konto": { get: allLoggedIn("ok"), post: allLoggedIn("bad") },
  "routes/admin.anvandare._index": { get: only(["admin"]) },
  "routes/admin.anvandare.ny": { get: only(["admin"]), post: only(["admin"], "bad") },
  "routes/admin.anvandare.$userId": { get: only(["admin"]), post: only(["admin"], "bad") },
  "routes/admin.logg": { get: only(["admin"]) },
  // Sessions (Träffar) of "Omgång 2"; the session is hosted by Vimmerby (coordOwn). Hultsfred is a partner too.
  "routes/omgangar_.$cohortId_.trafar._index": { get: only(["trainee", "coordOwn", "coordOther", "lead"]) },
  "routes/omgangar_.$cohortId_.trafar.ny": { get: only(["coordOwn", "coordOther", "lead"]), post: only(["coordOwn", "coordOther", "lead"], "bad") },
  "routes/trafar.$sessionId._index": { get: only(["trainee", "coordOwn", "coordOther", "lead"]), post: only(["coordOwn", "lead"], "bad") },
  "routes/trafar.$sessionId.redigera": { get: only(["coordOwn", "lead"]), post: only(["coordOwn", "lead"], "bad") },
  // Mitt schema and calendar feeds; POST issues a new feed address.
  "routes/schema": { get: only(["trainee"]), post: only(["trainee"], "redirect") },
  "routes/kalender._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), post: only(["coordOwn", "coordOther", "lead", "leadOther"], "redirect") },
  // The feed needs no login, only its token: an unknown one is a 404 to everyone.
  "routes/kalender.$token": { get: everyone("deny"), post: everyone("none") },
  // Marking a notice seen: nobody owns notice 1 in the demo data.
  "routes/notiser.$noticeId": { get: allLoggedIn("redirect"), post: allLoggedIn("deny") },
  // Participants: each coordinator has their own list; the participant is Vimmerby's (coordOwn).
  "routes/deltagare._index": { get: only(COORDINATORS) },
  "routes/deltagare[.csv]": { get: only(COORDINATORS) },
  "routes/deltagare.ny": { get: only(COORDINATORS), post: only(COORDINATORS, "bad") },
  "routes/deltagare.import._index": { get: only(COORDINATORS), post: only(COORDINATORS, "bad") },
  "routes/deltagare.import.mall[.csv]": { get: only(COORDINATORS) },
  "routes/deltagare.$participantId._index": { get: only(["coordOwn"]), post: only(["coordOwn"], "bad") },
  "routes/deltagare.$participantId.redigera": { get: only(["coordOwn"]), post: only(["coordOwn"], "bad") },
  // Privacy: the participant is Vimmerby's (coordOwn) demo trainee, still active, so anonymising is refused (400).
  "routes/deltagare.$participantId.registerutdrag": { get: only(["coordOwn"]) },
  "routes/deltagare.$participantId.registerutdrag[.json]": { get: only(["coordOwn"]) },
  "routes/deltagare.$participantId.anonymisera": { get: only(["coordOwn"]), post: only(["coordOwn"], "bad") },
  "routes/deltagare.gallring": { get: only(["coordOwn", "coordOther"]) },
  "routes/mina-uppgifter": { get: only(["trainee"]) },
  "routes/mina-uppgifter[.json]": { get: only(["trainee"]) },
  "routes/program_.$programmeId_.gallring": { get: only(["lead", "admin"]), post: only(["lead", "admin"], "bad") },
  // Attendance and time reports: the session is Vimmerby-hosted and held; the report is the Vimmerby trainee's.
  "routes/trafar_.$sessionId_.narvaro": { get: only(["coordOwn", "lead"]), post: only(["coordOwn", "lead"], "redirect") },
  "routes/omgangar_.$cohortId_.narvarorapport._index": { get: only(["coordOwn", "coordOther", "lead"]) },
  "routes/omgangar_.$cohortId_.narvarorapport[.csv]": { get: only(["coordOwn", "coordOther", "lead"]) },
  "routes/tid": { get: only(["trainee"]), post: only(["trainee"], "bad") },
  "routes/tidrapporter._index": { get: only(["coordOwn", "coordOther"]), post: only(["coordOwn", "coordOther"], "bad") },
  "routes/tidrapporter.$reportId": { get: only(["trainee", "coordOwn"]), post: only(["trainee", "coordOwn"], "bad") },
  "routes/tidrapporter.$reportId_.intyg": { get: only(["trainee", "coordOwn"]) },
  "routes/medfinansiering._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]) },
  "routes/medfinansiering[.csv]": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]) },
  "routes/program_.$programmeId_.kostnader": { get: only(["lead", "admin"]), post: only(["lead", "admin"], "bad") },
  // Programmes and cohorts: the ESF programme is owned by Vimmerby (coordOwn); Hultsfred (coordOther) is a partner.
  "routes/program._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder", "admin"]) },
  "routes/program.ny": { get: only(["coordOwn", "coordOther", "admin"]), post: only(["coordOwn", "coordOther", "admin"], "bad") },
  "routes/program.$programmeId._index": { get: only(["coordOwn", "coordOther", "lead", "funder", "admin"]) },
  "routes/program.$programmeId.redigera": { get: only(["coordOwn", "lead", "admin"]), post: only(["coordOwn", "lead", "admin"], "bad") },
  "routes/program.$programmeId.omgangar.ny": { get: only(["lead"]), post: only(["lead"], "bad") },
  // Funders and administrators see the cohort's seat figures but no roster and no forms.
  "routes/omgangar.$cohortId._index": { get: only(["coordOwn", "coordOther", "lead", "funder", "admin"]), post: only(["coordOwn", "coordOther", "lead"], "bad") },
  "routes/omgangar.$cohortId.redigera": { get: only(["lead"]), post: only(["lead"], "bad") },
  "routes/omgangar.$cohortId.platser": { get: only(["lead"]), post: only(["lead"], "bad") },
  "routes/omgangar.$cohortId.deltagarlista[.csv]": { get: only(["coordOwn", "coordOther", "lead"]) },
  // Statistics: every funder, lead and coordinator has a programme to see (leadOther the trainee programme); admins none.
  "routes/statistik._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder"]) },
  "routes/statistik[.xlsx]": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder"]) },
  "routes/statistik[.csv]": { get: only(["coordOwn", "coordOther", "lead", "leadOther", "funder"]) },
  // Outcome follow-up is the coordinators'; SCB lists are the leads' and coordinators', never a funder's.
  "routes/uppfoljning._index": { get: only(["coordOwn", "coordOther"]), post: only(["coordOwn", "coordOther"], "bad") },
  "routes/scb._index": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), post: only(["coordOwn", "coordOther", "lead", "leadOther"], "bad") },
  "routes/scb[.csv]": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), query: "?manad=2026-10" },
  "routes/scb[.xlsx]": { get: only(["coordOwn", "coordOther", "lead", "leadOther"]), query: "?manad=2026-10" },
};
