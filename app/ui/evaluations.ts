/** Words and number formats of the evaluation pages and the effect report. */
import { formatDate } from "~/utils/format";

export const SCALE = [1, 2, 3, 4, 5] as const;
export const scaleLabels: Record<(typeof SCALE)[number], string> = {
  1: "1 – Instämmer inte alls",
  2: "2",
  3: "3",
  4: "4",
  5: "5 – Instämmer helt",
};

export function formatMean(mean: number | null): string {
  return mean === null ? ".." : mean.toLocaleString("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function formatRate(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)} %` : "–";
}

export const anonymityNote =
  "Svaren är anonyma: de sparas utan koppling till vem som svarade. Det enda som sparas om dig är att du har svarat, så att du inte får fler påminnelser.";

export function thresholdNote(minAnswers: number): string {
  return `Resultat visas först när minst ${minAnswers} har svarat. En omgångs sammanställning räknar bara med träffar som visas, så att ingen träff med färre svar kan räknas fram.`;
}

/** A change in points with its sign and one decimal ("+0,4"); ".." when hidden. */
export function formatMeanChange(change: number | null): string {
  if (change === null) return "..";
  const text = Math.abs(change).toLocaleString("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return text === "0,0" ? text : `${change > 0 ? "+" : "−"}${text}`;
}

/** A count that is an n: 1-4 shows as "<5", as everywhere in the statistics. */
export function formatN(n: number): string {
  return n > 0 && n < 5 ? "<5" : String(n);
}

export function formatShare(share: { count: number | null; n: number; shown: boolean }): string {
  return share.shown && share.count !== null ? `${Math.round((share.count / share.n) * 100)} %` : "..";
}

/** The effect report's figures: what each counts, said beside it. */
export const effectDefinitions = {
  reaction:
    "Medelvärde av alla påståenden (1–5) i deltagarnas utvärderingar av träffarna. Bara träffar med minst 5 svar räknas; svarsfrekvens = svar / tillfrågade på de träffarna.",
  inWorkOrStudies: "Andel av dem som följts upp 6 månader efter avslut som arbetar (samma roll, ny roll eller chef) eller studerar.",
  employedInPartner: "Andel av de uppföljda som har samma roll, ny roll eller blivit chef i kommunen (en partnerkommun).",
  becameManager: "Andel av de uppföljda som blivit chef.",
  dropped: "Andel av dem som började som avbröt.",
  learning:
    "Deltagarna skattar sig själva 1–5 mot varje mål i programmet i början och i slutet av omgången. Förändring = medel vid slut minus medel vid start, bland dem som skattat sig båda gångerna (n). ”Alla mål” räknar varje deltagares medel över målen. Visas för grupper om minst 5.",
  behaviour:
    "Hur andra (chef, kollegor, medarbetare) bedömer deltagarens ledarskap i 360-återkopplingen, per dimension: andras medel (1–5) i första rundan och i uppföljningsrundan och förändringen, bland deltagare som har båda rundorna avslutade (n). Bara svar som deltagarens egen rapport får visa räknas (grupper om minst 3). Visas för grupper om minst 5 deltagare.",
  goalsReached:
    "Andel av målen i deltagarnas handlingsplaner som deltagaren markerat som uppnådda. Visas när målen kommer från minst 5 deltagare och minst 5 mål är uppnådda och minst 5 inte är det.",
  publication:
    "Siffror som fortfarande kan ändras visas inte: en omgångs lärande visas först när slutskattningen har stängt, och en träffs utvärderingar räknas först när svarstiden (två veckor efter träffen) har gått ut. Annars skulle man kunna jämföra rapporten före och efter en enskild persons svar och räkna ut vad den personen svarade.",
  protection:
    "Ingen siffra bygger på en grupp under 5 personer. En andel visas som \"..\" när färre än 5 har eller saknar egenskapen. Summan för programmet räknar bara omgångar vars egen siffra visas.",
} as const;

export const effectColumns = [
  "Grupp",
  "Utvärderade träffar",
  "Svar",
  "Tillfrågade",
  "Svarsfrekvens",
  "Medelbetyg (1–5)",
  "Lämnat omgången",
  "Uppföljda efter 6 mån (n)",
  "I arbete eller studier",
  "Anställd i partnerkommun",
  "Blivit chef",
  "Började (n)",
  "Avbröt",
];

interface EffectRowLike {
  reaction: { sessions: number; answers: number; invited: number; mean: number | null; shown: boolean } | null;
  results: {
    left: number;
    followedUp: number;
    inWorkOrStudies: { count: number | null; n: number; shown: boolean };
    employedInPartner: { count: number | null; n: number; shown: boolean };
    becameManager: { count: number | null; n: number; shown: boolean };
    dropped: { count: number | null; n: number; shown: boolean };
  };
}

/** One row of the effect table, as the page and the XLSX file show it (same cells in both). */
export function effectRowCells(label: string, row: EffectRowLike): string[] {
  const r = row.reaction;
  const reaction = !r
    ? ["–", "–", "–", "–", "–"]
    : r.shown
      ? [String(r.sessions), String(r.answers), String(r.invited), formatRate(r.answers, r.invited), formatMean(r.mean)]
      : [String(r.sessions), "..", "..", "..", ".."];
  const s = row.results;
  return [
    label,
    ...reaction,
    formatN(s.left),
    formatN(s.followedUp),
    formatShare(s.inWorkOrStudies),
    formatShare(s.employedInPartner),
    formatShare(s.becameManager),
    formatN(s.dropped.n),
    formatShare(s.dropped),
  ];
}

interface PairedMeanLike {
  n: number;
  before: number | null;
  after: number | null;
  change: number | null;
  shown: boolean;
}

const pairedCells = (m: PairedMeanLike) => [formatN(m.n), formatMean(m.before), formatMean(m.after), formatMeanChange(m.change)];

export const learningColumns = ["Grupp", "Mål", "Deltagare med båda skattningarna (n)", "Medel vid start (1–5)", "Medel vid slut (1–5)", "Förändring"];

/** A group's learning rows: all goals first, then each goal (same cells on the page and in the XLSX file). */
export function learningRowCells(label: string, figures: { all: PairedMeanLike; goals: (PairedMeanLike & { text: string })[] }): string[][] {
  return [[label, "Alla mål", ...pairedCells(figures.all)], ...figures.goals.map((g) => [label, g.text, ...pairedCells(g)])];
}

export const behaviourColumns = ["Grupp", "Dimension", "Deltagare med båda rundorna (n)", "Andras medel, första rundan (1–5)", "Andras medel, uppföljningen (1–5)", "Förändring"];

export function behaviourRowCells(label: string, figures: { dimensions: (PairedMeanLike & { title: string })[] }): string[][] {
  return figures.dimensions.map((d) => [label, d.title, ...pairedCells(d)]);
}

export const goalsReachedColumns = ["Grupp", "Deltagare med handlingsplan", "Mål i handlingsplanerna (n)", "Uppnådda mål", "Andel uppnådda"];

export function goalsReachedCells(label: string, figures: { plans: number; goalsReached: { count: number | null; n: number; shown: boolean } }): string[] {
  const g = figures.goalsReached;
  return [label, formatN(figures.plans), formatN(g.n), g.shown && g.count !== null ? String(g.count) : "..", formatShare(g)];
}

/** On a cohort's evaluation page: why a session's results wait for its answer window (ADR 036). */
export const evaluationPublicationNote =
  "En träffs resultat visas först när svarstiden (två veckor efter träffen) har gått ut, så att ingen kan jämföra sidan före och efter ett enskilt svar och räkna ut vad den personen svarade.";

/** Why a cohort's Learning is not shown yet, and when it will be (ADR 036). */
export function learningPendingText(cohortName: string, closesOn: string): string {
  return `${cohortName}: visas när slutskattningen har stängt den ${formatDate(closesOn)}.`;
}

/** Sessions whose evaluations are still open and so not counted yet (ADR 036). */
export function reactionPendingText(cohortName: string, sessions: number, firstClosesAt: string): string {
  if (sessions === 1) return `${cohortName}: 1 träff räknas in när dess svarstid har gått ut den ${formatDate(firstClosesAt)}.`;
  return `${cohortName}: ${sessions} träffar räknas in när deras svarstid har gått ut, den första den ${formatDate(firstClosesAt)}.`;
}
