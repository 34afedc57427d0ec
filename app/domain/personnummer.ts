import { z } from "zod";

export type PersonnummerKind = "personnummer" | "samordningsnummer";

export type PersonnummerResult =
  | { ok: true; value: string; kind: PersonnummerKind }
  | { ok: false; message: string };

const MESSAGES = {
  empty: "Ange ett personnummer.",
  format: "Ange personnumret som ÅÅÅÅMMDD-NNNN.",
  date: "Personnumret innehåller inget giltigt datum.",
  future: "Personnumret innehåller ett datum som ligger i framtiden.",
  serial: "Personnumret har ett ogiltigt födelsenummer (000).",
  checksum: "Personnumret har fel kontrollsiffra.",
  plus: "Plustecken skrivs bara för den som har fyllt 100 år. Skriv ÅÅÅÅMMDD-NNNN.",
} as const;

// Samordningsnummer add 60 to the day of birth.
const SAMORDNING_OFFSET = 60;

// Older than any living person; keeps absurd 12-digit years such as 0001 out.
const MIN_YEAR = 1800;

// 12 digits (century given), optionally "ÅÅÅÅMMDD-NNNN", or "ÅÅÅÅMMDD+NNNN" for someone aged
// 100 or more; or 10 digits with an optional "-" / "+" separator. Anything else, including a
// space separator, is rejected.
const LONG_FORM = /^(\d{4})(\d{2})(\d{2})([-+]?)(\d{4})$/;
const SHORT_FORM = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/;

const fail = (message: string): PersonnummerResult => ({ ok: false, message });

/**
 * Validates a Swedish personnummer or samordningsnummer.
 *
 * `today` decides the century of the 10-digit form and rejects future dates. It is read in
 * local time, so the server should run in Swedish time.
 */
export function parsePersonnummer(input: string, today: Date = new Date()): PersonnummerResult {
  const trimmed = input.trim();
  if (trimmed === "") return fail(MESSAGES.empty);

  const todayYmd = {
    year: today.getFullYear(),
    month: today.getMonth() + 1,
    day: today.getDate(),
  };

  let year: number;
  let month: number;
  let dayField: number;
  let serial: string;
  let plusInLongForm = false;

  const long = LONG_FORM.exec(trimmed);
  const short = long ? null : SHORT_FORM.exec(trimmed);
  if (long) {
    year = Number(long[1]);
    month = Number(long[2]);
    dayField = Number(long[3]);
    serial = long[5];
    plusInLongForm = long[4] === "+";
  } else if (short) {
    month = Number(short[2]);
    dayField = Number(short[3]);
    serial = short[5];
    year = resolveCentury(
      Number(short[1]),
      month,
      birthDay(dayField),
      short[4] === "+",
      todayYmd,
    );
  } else {
    return fail(MESSAGES.format);
  }

  const day = birthDay(dayField);
  if (year < MIN_YEAR || !isCalendarDate(year, month, day)) return fail(MESSAGES.date);
  if (compareYmd({ year, month, day }, todayYmd) > 0) return fail(MESSAGES.future);
  // With the century written out, "+" adds nothing but must still be true.
  if (plusInLongForm && compareYmd({ year: year + 100, month, day }, todayYmd) > 0) return fail(MESSAGES.plus);

  // The three-digit birth number 000 is never allocated, even with a correct check digit.
  if (serial.startsWith("000")) return fail(MESSAGES.serial);

  const pad2 = (n: number) => String(n).padStart(2, "0");
  const canonical = `${year}${pad2(month)}${pad2(dayField)}${serial}`;
  if (luhnCheckDigit(canonical.slice(2, 11)) !== Number(canonical[11])) {
    return fail(MESSAGES.checksum);
  }

  return {
    ok: true,
    value: canonical,
    kind: dayField > SAMORDNING_OFFSET ? "samordningsnummer" : "personnummer",
  };
}

/** "198211059954" → "19821105-****". Anything not in canonical form is masked completely. */
export function maskPersonnummer(canonical12: string): string {
  if (!/^\d{12}$/.test(canonical12)) return "****";
  return `${canonical12.slice(0, 8)}-****`;
}

/** "198211059954" → "19821105-9954". Non-canonical input is returned unchanged. */
export function formatPersonnummer(canonical12: string): string {
  if (!/^\d{12}$/.test(canonical12)) return canonical12;
  return `${canonical12.slice(0, 8)}-${canonical12.slice(8)}`;
}

/**
 * Optional form field: empty or missing gives `undefined`, otherwise the canonical
 * 12-digit value, or a validation issue with the Swedish message.
 */
export const personnummerSchema = z
  .string()
  .optional()
  .transform((input, ctx): string | undefined => {
    if (input === undefined || input.trim() === "") return undefined;
    const result = parsePersonnummer(input);
    if (!result.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
      return z.NEVER;
    }
    return result.value;
  });

type Ymd = { year: number; month: number; day: number };

function birthDay(dayField: number): number {
  return dayField > SAMORDNING_OFFSET ? dayField - SAMORDNING_OFFSET : dayField;
}

/**
 * The 10-digit form names the latest year with those two digits whose birthday is not in
 * the future; "+" (used from the year a person turns 100) moves it one century back.
 */
function resolveCentury(
  yy: number,
  month: number,
  day: number,
  hundredPlus: boolean,
  today: Ymd,
): number {
  let year = today.year - ((today.year - yy) % 100);
  if (compareYmd({ year, month, day }, today) > 0) year -= 100;
  return hundredPlus ? year - 100 : year;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the following month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function compareYmd(a: Ymd, b: Ymd): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Luhn check digit for nine digits: YYMMDDNNN of a personnummer, or the first nine of an organisationsnummer. */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (product > 9) product -= 9;
    sum += product;
  }
  return (10 - (sum % 10)) % 10;
}
