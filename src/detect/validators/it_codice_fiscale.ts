/**
 * Check for the Italian codice fiscale: six letters for surname and name, birth year,
 * month letter, birth day (plus 40 for women), a cadastral municipality code and a
 * check letter computed from odd- and even-position tables.
 *
 * When two people would get the same code, digits are replaced by letters (omocodia),
 * starting from the rightmost digit: 0-9 become L M N P Q R S T U V.
 *
 * @module
 */

/** Values of 0-9 then A-Z in odd (1st, 3rd, …) positions. */
const ODD = [
  1,
  0,
  5,
  7,
  9,
  13,
  15,
  17,
  19,
  21,
  1,
  0,
  5,
  7,
  9,
  13,
  15,
  17,
  19,
  21,
  2,
  4,
  18,
  20,
  11,
  3,
  6,
  8,
  12,
  14,
  16,
  10,
  22,
  25,
  24,
  23,
];
const MONTHS = "ABCDEHLMPRST";
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const OMOCODES = "LMNPQRSTUV";
/** Zero-based positions that hold digits, in the order omocodia replaces them. */
const DIGIT_SLOTS = [14, 13, 12, 10, 9, 7, 6];
const SHAPE = /^[A-Z]{6}[0-9A-Z]{2}[ABCDEHLMPRST][0-9A-Z]{2}[A-MZ][0-9A-Z]{3}[A-Z]$/;

/** Value of a character in 0..35: digits 0-9, letters 10-35. */
function code(c: number): number {
  return c <= 57 ? c - 48 : c - 55;
}

/**
 * Whether `value` is a well-formed codice fiscale with the right check letter.
 *
 * Checks the shape, that omocodia letters only replace digits from the right, a birth day
 * that exists in the month (1-31, or 41-71 for women), and the check letter.
 *
 * @param value Sixteen characters, any case.
 * @returns True when everything checks out.
 *
 * @example
 * ```ts
 * import { itCodiceFiscaleValid } from "./it_codice_fiscale.ts";
 * if (!itCodiceFiscaleValid("RSSMRA85T10A562S")) throw new Error("should pass");
 * if (itCodiceFiscaleValid("RSSMRA85T10A562T")) throw new Error("wrong check should fail");
 * ```
 */
export function itCodiceFiscaleValid(value: string): boolean {
  const s = value.toUpperCase();
  if (!SHAPE.test(s)) return false;
  const plain = s.split("");
  let replaced = true;
  for (const slot of DIGIT_SLOTS) {
    const c = s[slot];
    const omo = OMOCODES.indexOf(c);
    if (omo >= 0 && replaced) plain[slot] = String(omo);
    else if (c >= "0" && c <= "9") replaced = false;
    else return false;
  }
  const day = Number(plain[9] + plain[10]);
  const monthDays = MONTH_DAYS[MONTHS.indexOf(s[8])];
  const d = day > 40 ? day - 40 : day;
  if (d < 1 || d > monthDays || (day > 31 && day < 41)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = code(s.charCodeAt(i));
    // even positions (2nd, 4th, …) take digits and letters at face value: 0-9 and 0-25
    sum += i % 2 === 0 ? ODD[v] : v < 10 ? v : v - 10;
  }
  return s.charCodeAt(15) === 65 + (sum % 26);
}
