/**
 * Which new passwords are accepted: 12-256 characters that a strength
 * estimator (zxcvbn-ts) gives at least 3 of 4, that is, a password an
 * attacker holding our hashes would need far more than a year of guesses at
 * Argon2id speed to find. The estimator knows common passwords, English words
 * and names, keyboard patterns, dates and years; the Swedish words people
 * build passwords from are added here, since no Swedish list is published
 * for it. Stored passwords are never re-checked (the demo accounts keep theirs).
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
export const PASSWORD_MIN_SCORE = 3;

/** Words Swedish users put in passwords (seasons, months, days, places, names, work words), written as typed, with and without å, ä, ö. */
const SWEDISH_WORDS = `
lösenord losenord hemlig hemligt hemligheter välkommen valkommen hejsan hejhej tjena tjenare
sommar sommaren vinter vintern vår våren var varen höst hösten host hosten midsommar jul julafton påsk pask nyår nyar semester
januari februari mars april maj juni juli augusti september oktober november december
måndag mandag tisdag onsdag torsdag fredag lördag lordag söndag sondag
sverige svensk svenska stockholm göteborg goteborg malmö malmo uppsala linköping linkoping örebro orebro västerås vasteras
jönköping jonkoping kalmar växjö vaxjo småland smaland skåne skane norrland
aneby eksjö eksjo hultsfred högsby hogsby nässjö nassjo sävsjö savsjo vetlanda vimmerby
kommun kommunen kommunal region regionen landsting förvaltning forvaltning kontoret kontor jobbet arbete arbetet
programportalen portalen portal ledare ledarskap chef chefen trainee deltagare samordnare utbildning
kärlek karlek älskling alskling hjärta hjarta mamma pappa mormor morfar farmor farfar familjen familj barnen
katten katt hunden hund hästen hast fotboll hockey innebandy fika kaffe glass solsken blomma stjärna stjarna prinsessa
anna eva maria karin kristina lena sara emma elsa alice maja ella wilma ebba
erik lars karl anders johan per nils lennart mikael jan hans oscar lucas william liam hugo
sol regn snö sno himmel havet skogen fjällen fjallen sjön sjon stugan
ett två tva tre fyra fem sex sju åtta atta nio tio
`
  .split(/\s+/)
  .filter(Boolean);

/**
 * What people add to a word to pass a rule about digits and symbols: a year or
 * a count, then a symbol or two. As one word each, the estimator counts them
 * as the few guesses they are; on its own it prices "2026!!" as a year plus
 * another part, and every extra part as ten thousand times more guesses.
 */
const SUFFIX_SYMBOLS = ["", "!", "!!", "!!!", "?", "#", "*", ".", "-", "_", "@", "$", "%", "&"];
const SUFFIX_NUMBERS = ["", "1", "12", "123", "1234", "12345", "01", "0", "00", "11", "22", "69", "99"];
for (let year = 1950; year <= new Date().getFullYear() + 10; year++) SUFFIX_NUMBERS.push(String(year), String(year).slice(2));
const DECORATIONS = SUFFIX_NUMBERS.flatMap((n) => SUFFIX_SYMBOLS.map((s) => n + s)).filter(Boolean);

const estimator = new ZxcvbnFactory({
  dictionary: { ...dictionary, swedish: SWEDISH_WORDS, decorations: DECORATIONS },
  graphs: adjacencyGraphs,
});

const HINT = "Välj en mening med fyra eller fler vanliga ord som bara du kopplar ihop, till exempel ”cykeln står under äppelträdet i regn”.";

/**
 * A Swedish message saying why the password can't be used, or null when it is
 * fine. `personal` holds what an attacker would try first: the user's e-mail and name.
 */
export function passwordProblem(password: string, personal: string[] = []): string | null {
  if (password.length < PASSWORD_MIN) return `Lösenordet måste ha minst ${PASSWORD_MIN} tecken.`;
  if (password.length > PASSWORD_MAX) return `Lösenordet får ha högst ${PASSWORD_MAX} tecken.`;
  // The estimator's cost grows with the length; past 100 characters every password scores high anyway.
  const result = estimator.check(password.slice(0, 100), [...personal.flatMap((p) => p.toLowerCase().split(/[\s@.]+/)), "programportalen"]);
  if (result.score >= PASSWORD_MIN_SCORE) return null;
  if (result.sequence.some((m) => m.pattern === "dictionary" && m.dictionaryName === "passwords-common" && m.token.length >= 4)) {
    return `Lösenordet är för vanligt: det bygger på ett lösenord ur de listor som används för att gissa lösenord. ${HINT}`;
  }
  return `Lösenordet är för lätt att gissa (ord, namn, årtal och tecken som !! eller 123 hjälper inte mycket). ${HINT}`;
}
