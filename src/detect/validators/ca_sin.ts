/**
 * Check for the Canadian Social Insurance Number (SIN, numéro d'assurance sociale).
 *
 * @module
 */
import { digitsOf } from "./_digits.ts";
import { luhnValid } from "./luhn.ts";

/**
 * Whether `value` is a SIN: nine digits passing Luhn, first digit not 0 (never issued)
 * or 8 (reserved for business numbers).
 *
 * @param value Nine digits, optionally grouped 3-3-3 by spaces or dashes.
 * @returns True when the first digit and the Luhn check are right.
 *
 * @example
 * ```ts
 * import { caSinValid } from "./ca_sin.ts";
 * if (!caSinValid("130 692 544")) throw new Error("should pass");
 * if (caSinValid("130 692 545")) throw new Error("Luhn failure should fail");
 * ```
 */
export function caSinValid(value: string): boolean {
  const d = digitsOf(value, " -");
  if (d === null || d.length !== 9 || d[0] === 0 || d[0] === 8) return false;
  return luhnValid(value);
}
