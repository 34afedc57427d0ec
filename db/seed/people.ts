import type { SessionKind } from "../../app/db/schema";

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same demo data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A valid personnummer in the range Skatteverket sets aside for testing
 * (birth numbers 980–999), so demo data never holds a real person's number.
 */
export function personnummerFor(birthYear: number, index: number): string {
  const month = 1 + (index % 12);
  const day = 1 + (index % 28);
  const serial = 980 + (index % 20);
  const nine = `${String(birthYear).slice(2)}${pad(month)}${pad(day)}${serial}`;
  return `${birthYear}${pad(month)}${pad(day)}${serial}${luhnCheckDigit(nine)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let v = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

/** Vocabulary for fictional participants and sessions, shared by the demo data and the national-scale data. */
export const DEPARTMENTS = [
  "Barn- och utbildningsförvaltningen", "Socialförvaltningen", "Vård- och omsorgsförvaltningen",
  "Samhällsbyggnadsförvaltningen", "Kommunledningsförvaltningen", "Kultur- och fritidsförvaltningen",
];
export const TITLES = ["Enhetschef", "Handläggare", "Specialpedagog", "Sjuksköterska", "Ekonom", "HR-specialist", "Projektledare", "Biståndshandläggare", "Förskollärare", "Gruppledare"];
export const SESSION_PLAN: { title: string; kind: SessionKind }[] = [
  { title: "Uppstart: ledarskap över gränserna", kind: "utbildningsdag" },
  { title: "Att leda sig själv", kind: "utbildningsdag" },
  { title: "Feedback som verktyg", kind: "workshop" },
  { title: "Nätverksträff i lärgrupper", kind: "natverkstraff" },
  { title: "Kommunens uppdrag och styrning", kind: "utbildningsdag" },
  { title: "Skuggning av chef i annan kommun", kind: "skuggning" },
  { title: "Kommunikation och förändring", kind: "workshop" },
  { title: "Digital lärgrupp", kind: "digital" },
  { title: "Studiebesök: samverkan i praktiken", kind: "studiebesok" },
  { title: "Personlig handlingsplan", kind: "workshop" },
];
export const FACILITATORS = ["Eva Lindahl, extern processledare", "Magnus Ek, HR-strateg", "Cecilia Ström, organisationskonsult", "Jan Wallin, ledarskapsutbildare"];
