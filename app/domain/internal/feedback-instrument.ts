/**
 * The 360 questionnaire's shape and our own default wording, and the one rule
 * for which answers may be shown (docs/decisions/022-360-anonymity.md). Pure
 * functions: no database, no grants.
 */
import type { FeedbackShownAs } from "~/db/schema";

export interface Instrument {
  dimensions: { key: string; title: string; statements: { id: string; text: string }[] }[];
  questions: [string, string];
}

const dimension = (key: string, title: string, statements: string[]) => ({
  key,
  title,
  statements: statements.map((text, i) => ({ id: `${key}-${i + 1}`, text })),
});

/** Our own wording of common leadership dimensions; the programme lead may change it until the first answers arrive. */
export const DEFAULT_INSTRUMENT: Instrument = {
  dimensions: [
    dimension("direction", "Riktning", [
      "Förklarar varför vi gör det vi gör och vart vi är på väg.",
      "Gör mål och prioriteringar tydliga i vardagen.",
      "Fattar beslut när det behövs, också när läget är oklart.",
      "Kopplar vårt arbete till vad kommuninvånarna behöver.",
    ]),
    dimension("trust", "Tillit", [
      "Gör det hen har lovat.",
      "Är öppen med vad hen vet och inte vet.",
      "Behandlar alla rättvist och med respekt.",
      "Vågar ta upp svåra frågor på ett sätt som känns tryggt.",
    ]),
    dimension("communication", "Kommunikation", [
      "Lyssnar in andras synpunkter innan hen bestämmer sig.",
      "Ger information i tid och på ett begripligt sätt.",
      "Ger återkoppling som går att använda.",
      "Tar emot kritik utan att gå i försvar.",
    ]),
    dimension("developing", "Utveckla andra", [
      "Ser vad var och en är bra på och tar vara på det.",
      "Ger andra ansvar och utrymme att växa.",
      "Tar sig tid för samtal om utveckling.",
      "Uppmuntrar till att lära av misstag.",
    ]),
    dimension("collaboration", "Samarbete", [
      "Samarbetar över gränser mellan enheter och förvaltningar.",
      "Bygger förtroende med kollegor i andra verksamheter.",
      "Hanterar konflikter på ett konstruktivt sätt.",
      "Delar med sig av kunskap och resurser.",
    ]),
    dimension("change", "Förändring", [
      "Tar initiativ till förbättringar.",
      "Hjälper andra att förstå och hantera förändringar.",
      "Håller fast vid det viktiga när mycket förändras.",
      "Prövar nya arbetssätt och följer upp hur de fungerar.",
    ]),
  ],
  questions: ["Vad gör personen särskilt bra som ledare?", "Vad skulle göra störst skillnad om personen utvecklade det?"],
};

export function parseInstrument(content: string): Instrument {
  return JSON.parse(content) as Instrument;
}

/** A group is shown from this many answers (never fewer; the rule). */
export const MIN_GROUP_ANSWERS = 3;

export type ShownGroup = "manager" | "colleague" | "report" | "other";
export type Scores = Record<string, number | null>;

export interface GroupedAnswers {
  /** Groups whose answers may be shown, each with its answers. */
  shown: { group: ShownGroup; answers: Scores[] }[];
  /** How many answers are left out because even "Övriga" stayed under the threshold. */
  hiddenCount: number;
}

/**
 * Which answers of others may be shown. Colleagues and direct reports are
 * shown as a group only from 3 answers; smaller groups, and a manager who was
 * not told that their answers would be shown apart, go to "Övriga", shown only
 * from 3 answers too. A manager who was told so is shown as their own group.
 */
export function groupAnswers(responses: { shownAs: FeedbackShownAs; scores: Scores }[]): GroupedAnswers {
  const byGroup = new Map<FeedbackShownAs, Scores[]>();
  for (const r of responses) {
    if (r.shownAs === "self") continue;
    byGroup.set(r.shownAs, [...(byGroup.get(r.shownAs) ?? []), r.scores]);
  }
  const shown: GroupedAnswers["shown"] = [];
  const others: Scores[] = [...(byGroup.get("other") ?? [])];
  const manager = byGroup.get("manager") ?? [];
  if (manager.length) shown.push({ group: "manager", answers: manager });
  for (const group of ["colleague", "report"] as const) {
    const answers = byGroup.get(group) ?? [];
    if (answers.length >= MIN_GROUP_ANSWERS) shown.push({ group, answers });
    else others.push(...answers);
  }
  if (others.length >= MIN_GROUP_ANSWERS) return { shown: [...shown, { group: "other", answers: others }], hiddenCount: 0 };
  return { shown, hiddenCount: others.length };
}

/** The mean of a dimension's statements over some answers ("kan inte bedöma" left out); null without any score. */
export function dimensionMean(instrumentDimension: Instrument["dimensions"][number], answers: Scores[]): number | null {
  let sum = 0;
  let n = 0;
  for (const a of answers) {
    for (const s of instrumentDimension.statements) {
      const v = a[s.id];
      if (typeof v === "number") {
        sum += v;
        n++;
      }
    }
  }
  return n ? sum / n : null;
}
