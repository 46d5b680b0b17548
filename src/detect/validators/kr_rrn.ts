/**
 * Checks for South Korean resident registration numbers (주민등록번호), YYMMDD-GNNNNNC.
 *
 * The seventh digit encodes sex and century (1/2/5/6 → 1900s, 3/4/7/8 → 2000s, 9/0 →
 * 1800s; 5-8 are foreign residents). Numbers issued before October 2020 end in a mod-11
 * check digit; numbers issued since then carry random digits after the seventh, so for
 * them only the birth date can be checked.
 *
 * @module
 */
import { digitsOf, weightedSum } from "./_digits.ts";

const WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
/** Century by the seventh digit. */
const CENTURY = [1800, 1900, 1900, 2000, 2000, 1900, 1900, 2000, 2000, 1800];

const SHAPE = /^\d{6}[- ]?\d{7}$/;

function rrnDigits(value: string): number[] | null {
  return SHAPE.test(value) ? digitsOf(value, " -") : null;
}

/**
 * Whether `value` is 13 digits whose first seven encode a real birth date no later than
 * `today`. This is all that can be checked for numbers issued since October 2020.
 *
 * @param value Thirteen digits, optionally with a dash after the sixth.
 * @param today Reference date for the "not born in the future" test (default now).
 * @returns True when the date, sex digit and century are consistent.
 *
 * @example
 * ```ts
 * import { krRrnBirthDateValid } from "./kr_rrn.ts";
 * if (!krRrnBirthDateValid("900101-1234560")) throw new Error("1 Jan 1990 is a date");
 * if (krRrnBirthDateValid("900231-1234560")) throw new Error("31 Feb is not a date");
 * ```
 */
export function krRrnBirthDateValid(value: string, today: Date = new Date()): boolean {
  const d = rrnDigits(value);
  if (d === null) return false;
  const year = CENTURY[d[6]] + d[0] * 10 + d[1];
  const month = d[2] * 10 + d[3];
  const day = d[4] * 10 + d[5];
  if (month < 1 || month > 12 || day < 1) return false;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > lastDay) return false;
  return Date.UTC(year, month - 1, day) <= today.getTime();
}

/**
 * Whether the last digit of a 13-digit RRN is its check digit:
 * `(11 - Σ dᵢ·wᵢ mod 11) mod 10` with weights 2,3,4,5,6,7,8,9,2,3,4,5.
 *
 * @param value Thirteen digits, optionally with a dash.
 * @returns True when the check digit matches.
 *
 * @example
 * ```ts
 * import { krRrnChecksumValid } from "./kr_rrn.ts";
 * if (!krRrnChecksumValid("900101-1234568")) throw new Error("check digit 8 expected");
 * ```
 */
export function krRrnChecksumValid(value: string): boolean {
  const d = rrnDigits(value);
  if (d === null) return false;
  return (11 - (weightedSum(d, WEIGHTS) % 11)) % 10 === d[12];
}

/**
 * Whether `value` is a pre-October-2020 RRN: a valid birth date and a valid check digit.
 *
 * @param value Thirteen digits, optionally with a dash.
 * @returns True when both checks pass.
 *
 * @example
 * ```ts
 * import { krRrnValid } from "./kr_rrn.ts";
 * if (!krRrnValid("900101-1234568")) throw new Error("should pass");
 * if (krRrnValid("900101-1234567")) throw new Error("wrong check digit should fail");
 * ```
 */
export function krRrnValid(value: string): boolean {
  return krRrnBirthDateValid(value) && krRrnChecksumValid(value);
}
