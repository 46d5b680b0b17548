/**
 * Structure check for United States Social Security numbers (AAA-GG-SSSS).
 *
 * SSNs carry no check digit, so the only test is the issuance rules published by the
 * Social Security Administration plus a short list of numbers that are known to be
 * fakes or placeholders.
 *
 * @module
 */
import { allSame, digitsOf } from "./_digits.ts";

/**
 * Numbers that are printed everywhere but belong to no one: the Woolworth wallet card
 * (078-05-1120), the SSA's own advertising sample (219-09-9999) and the ascending
 * placeholder that fills forms and documentation (123-45-6789).
 */
const KNOWN_FAKES: ReadonlySet<string> = new Set(["078051120", "219099999", "123456789"]);

/**
 * Whether `value` could be an issued SSN.
 *
 * Rejects area 000, 666 and 900-999 (the 9xx range is ITINs and advertising), group 00,
 * serial 0000, the well-known fakes and one repeated digit (111-11-1111 and the like are
 * test data far more often than people).
 *
 * @param value Nine digits, optionally split by dashes or spaces.
 * @returns True when the number passes the issuance rules.
 *
 * @example
 * ```ts
 * import { usSsnValid } from "./us_ssn.ts";
 * if (!usSsnValid("536-22-8146")) throw new Error("a plausible SSN should pass");
 * if (usSsnValid("666-22-8146")) throw new Error("area 666 is never issued");
 * ```
 */
export function usSsnValid(value: string): boolean {
  const d = digitsOf(value, " -");
  if (d === null || d.length !== 9) return false;
  const area = d[0] * 100 + d[1] * 10 + d[2];
  const group = d[3] * 10 + d[4];
  const serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  return !allSame(d) && !KNOWN_FAKES.has(d.join(""));
}
