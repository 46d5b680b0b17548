/**
 * IBAN structure (ISO 13616): a country code, two check digits and a country-specific
 * BBAN whose total length is fixed per country; valid when the rearranged number is
 * 1 mod 97.
 *
 * @module
 */

/**
 * IBAN length per country code, from the SWIFT IBAN registry (SEPA and the other
 * participating countries). Unknown countries never validate.
 *
 * @example
 * ```ts
 * import { IBAN_LENGTHS } from "./iban.ts";
 * if (IBAN_LENGTHS.DE !== 22 || IBAN_LENGTHS.NO !== 15) throw new Error("registry lengths");
 * ```
 */
// deno-fmt-ignore
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29,
  BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29,
  ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28,
  LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20,
  MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25,
  QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27,
  SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/**
 * The ISO 7064 MOD 97-10 remainder of an IBAN: the first four characters move to the
 * end, letters become 10..35, and the resulting number is reduced mod 97.
 *
 * @param iban Compact IBAN (no spaces), uppercase letters and digits only.
 * @returns The remainder, or -1 when a character is neither a digit nor `A`-`Z`.
 *
 * @example
 * ```ts
 * import { ibanMod97 } from "./iban.ts";
 * if (ibanMod97("DE89370400440532013000") !== 1) throw new Error("published example is valid");
 * ```
 */
export function ibanMod97(iban: string): number {
  const n = iban.length;
  let rem = 0;
  for (let k = 0; k < n; k++) {
    const c = iban.charCodeAt((k + 4) % n);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return -1;
  }
  return rem;
}

/**
 * Whether `value` is a structurally valid IBAN: a known country, that country's exact
 * length, alphanumeric BBAN and a mod-97 remainder of 1. Spaces are ignored.
 *
 * @param value IBAN, compact or in groups of four.
 * @returns True for a valid IBAN.
 *
 * @example
 * ```ts
 * import { ibanValid } from "./iban.ts";
 * if (!ibanValid("GB82 WEST 1234 5698 7654 32")) throw new Error("published example");
 * if (ibanValid("GB82 WEST 1234 5698 7654 33")) throw new Error("altered check");
 * ```
 */
export function ibanValid(value: string): boolean {
  const iban = value.replaceAll(" ", "");
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  return ibanMod97(iban) === 1;
}

/**
 * Source of a pattern that matches exactly one IBAN-shaped value per country: the country
 * code, two check digits, then that country's BBAN length in groups of four with an
 * optional single space between groups.
 *
 * Knowing each country's length in the pattern means a word after a spaced IBAN (such as
 * "BIC") is never swallowed into the last group, which a generic `{1,4}` tail would do.
 * Each alternative starts with a distinct country code, so matching stays linear.
 *
 * @returns Regex source without boundaries.
 *
 * @example
 * ```ts
 * import { ibanPatternSource } from "./iban.ts";
 * const re = new RegExp(`(?:${ibanPatternSource()})`);
 * if (re.exec("BE68 5390 0754 7034 BIC GEBA")?.[0] !== "BE68 5390 0754 7034") {
 *   throw new Error("the BIC must stay outside the match");
 * }
 * ```
 */
export function ibanPatternSource(): string {
  const byLength = new Map<number, string[]>();
  for (const [cc, len] of Object.entries(IBAN_LENGTHS)) {
    const list = byLength.get(len) ?? [];
    list.push(cc);
    byLength.set(len, list);
  }
  const alternatives: string[] = [];
  for (const [len, countries] of [...byLength].sort((a, b) => a[0] - b[0])) {
    const bban = len - 4;
    const full = Math.floor(bban / 4);
    const rest = bban % 4;
    const tail = rest > 0 ? `(?: ?[A-Z0-9]{${rest}})` : "";
    alternatives.push(`(?:${countries.join("|")})\\d{2}(?: ?[A-Z0-9]{4}){${full}}${tail}`);
  }
  return alternatives.join("|");
}
