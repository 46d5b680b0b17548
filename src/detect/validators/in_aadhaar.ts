/**
 * Check for India's Aadhaar number: twelve digits, first digit 2-9, Verhoeff check digit.
 *
 * @module
 */
import { allSame, digitsOf } from "./_digits.ts";
import { verhoeffValid } from "./verhoeff.ts";

/**
 * Whether `value` is a well-formed Aadhaar number. UIDAI never issues numbers starting
 * with 0 or 1; one repeated digit is a placeholder.
 *
 * @param value Twelve digits, optionally grouped 4-4-4 by spaces or dashes.
 * @returns True when the first digit and the Verhoeff check are right.
 *
 * @example
 * ```ts
 * import { inAadhaarValid } from "./in_aadhaar.ts";
 * if (!inAadhaarValid("2345 6789 0124")) throw new Error("should pass");
 * if (inAadhaarValid("2345 6789 0123")) throw new Error("wrong check digit should fail");
 * ```
 */
export function inAadhaarValid(value: string): boolean {
  const d = digitsOf(value, " -");
  if (d === null || d.length !== 12 || d[0] < 2 || allSame(d)) return false;
  return verhoeffValid(d);
}
