/** Words and number formats of the evaluation pages and the effect report. */
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
  learning: "Deltagarnas självskattning mot programmets mål vid start och slut. Byggs ännu: siffrorna visas här när skattningarna finns.",
  behaviour: "Förändring i andras 360-bedömningar per dimension och andel uppnådda mål i handlingsplanerna. Siffrorna kommer från 360-omgångarna när programmet har sådana.",
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
