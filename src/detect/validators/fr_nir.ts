/**
 * Check for the French social security number (NIR, numéro de sécurité sociale):
 * sex, year, month, département, commune, order number and a two-digit key.
 *
 * @module
 */

const SHAPE = /^([12])(\d{2})(\d{2})(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/;

/**
 * Whether `value` is a NIR whose key is `97 - (number mod 97)`.
 *
 * The month may be 01-12, or 20-42 and 50-99, which INSEE uses when the birth month is
 * unknown. Corsican départements 2A and 2B count as 19 and 18 in the key computation.
 *
 * @param value Fifteen characters, spaces allowed anywhere (`1 85 05 78 006 084 91`).
 * @returns True when the structure and the key are right.
 *
 * @example
 * ```ts
 * import { frNirValid } from "./fr_nir.ts";
 * if (!frNirValid("1 85 05 78 006 084 91")) throw new Error("should pass");
 * if (frNirValid("1 85 05 78 006 084 36")) throw new Error("wrong key should fail");
 * ```
 */
export function frNirValid(value: string): boolean {
  const m = SHAPE.exec(value.replace(/ /g, "").toUpperCase());
  if (m === null) return false;
  const month = Number(m[3]);
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) {
    return false;
  }
  if (m[6] === "000") return false;
  const dept = m[4] === "2A" ? "19" : m[4] === "2B" ? "18" : m[4];
  // 13 digits stay below 2^53, so plain numbers are exact here.
  const n = Number(m[1] + m[2] + m[3] + dept + m[5] + m[6]);
  return 97 - (n % 97) === Number(m[7]);
}
