/**
 * Payment card numbers (PANs): issuer prefix ranges and the lengths each issuer uses,
 * on top of the Luhn check. A Luhn-valid number with no issuer (a 13-digit epoch
 * timestamp, an ISBN-13, an order number starting with 1 or 9) is not a card.
 *
 * @module
 */

import { luhnValid } from "./luhn.ts";

/** Card networks recognised by {@linkcode cardIssuer}. */
export type CardIssuer =
  | "visa"
  | "mastercard"
  | "amex"
  | "discover"
  | "jcb"
  | "diners"
  | "unionpay"
  | "maestro"
  | "mir"
  | "rupay";

interface IssuerRange {
  readonly issuer: CardIssuer;
  /** Inclusive prefix range; both ends have the same number of digits. */
  readonly from: number;
  readonly to: number;
  readonly lengths: readonly number[];
}

const SIXTEEN_TO_NINETEEN = [16, 17, 18, 19];
// Only Visa ever issued 13-digit cards; a 13-digit run with another prefix is far more often
// a date-based identifier (a Korean RRN starts with the birth year) than a Maestro card.
const MAESTRO = [14, 15, 16, 17, 18, 19];

// Narrow ranges come before the broad ones they sit inside (Discover 6011 before RuPay 60,
// Mir 2200-2204 is disjoint from Mastercard 2221-2720), so the first hit names the issuer.
const RANGES: readonly IssuerRange[] = [
  { issuer: "amex", from: 34, to: 34, lengths: [15] },
  { issuer: "amex", from: 37, to: 37, lengths: [15] },
  { issuer: "visa", from: 4, to: 4, lengths: [13, 16, 19] },
  { issuer: "mastercard", from: 51, to: 55, lengths: [16] },
  { issuer: "mastercard", from: 2221, to: 2720, lengths: [16] },
  { issuer: "mir", from: 2200, to: 2204, lengths: [16, 17, 18, 19] },
  { issuer: "discover", from: 6011, to: 6011, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: "discover", from: 644, to: 649, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: "discover", from: 65, to: 65, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: "jcb", from: 3528, to: 3589, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: "diners", from: 300, to: 305, lengths: [14, 16, 17, 18, 19] },
  { issuer: "diners", from: 3095, to: 3095, lengths: [14, 16, 17, 18, 19] },
  { issuer: "diners", from: 36, to: 36, lengths: [14, 15, 16, 17, 18, 19] },
  { issuer: "diners", from: 38, to: 39, lengths: [14, 16, 17, 18, 19] },
  { issuer: "unionpay", from: 62, to: 62, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: "maestro", from: 50, to: 50, lengths: MAESTRO },
  { issuer: "maestro", from: 56, to: 58, lengths: MAESTRO },
  { issuer: "maestro", from: 639, to: 639, lengths: MAESTRO },
  { issuer: "maestro", from: 67, to: 67, lengths: MAESTRO },
  { issuer: "rupay", from: 60, to: 60, lengths: [16] },
];

/**
 * The card network whose prefix range and length fit `digits`, or null.
 *
 * @param digits The PAN as digits only.
 * @returns The issuer, or null when no network issues that prefix at that length.
 *
 * @example
 * ```ts
 * import { cardIssuer } from "./card.ts";
 * if (cardIssuer("378282246310005") !== "amex") throw new Error("Amex test number");
 * if (cardIssuer("3782822463100050") !== null) throw new Error("Amex is 15 digits");
 * ```
 */
export function cardIssuer(digits: string): CardIssuer | null {
  for (const r of RANGES) {
    const width = String(r.from).length;
    const prefix = Number(digits.slice(0, width));
    if (prefix >= r.from && prefix <= r.to && r.lengths.includes(digits.length)) return r.issuer;
  }
  return null;
}

/**
 * Whether `value` is a plausible payment card number: 13 to 19 digits (spaces, dashes,
 * dots and underscores ignored), a known issuer prefix with a length that issuer uses, and a
 * valid Luhn digit.
 *
 * @param value Candidate PAN, possibly grouped.
 * @returns True for a card-shaped number.
 *
 * @example
 * ```ts
 * import { paymentCardValid } from "./card.ts";
 * if (!paymentCardValid("4111 1111 1111 1111")) throw new Error("Visa test number");
 * if (paymentCardValid("1733040000000")) throw new Error("an epoch timestamp is no card");
 * ```
 */
export function paymentCardValid(value: string): boolean {
  const digits = value.replace(/[ .\-_]/g, "");
  if (!/^\d{13,19}$/.test(digits)) return false;
  return cardIssuer(digits) !== null && luhnValid(digits);
}
