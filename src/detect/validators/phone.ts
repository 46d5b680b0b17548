/**
 * Telephone number plausibility: E.164 country codes and, per country, the national
 * formats' digit counts and leading digits. The detector rows decide the *shape*
 * (separators in the right places); these functions decide whether the digits can be a
 * number at all, which is what turns away timestamps, order numbers and dates.
 *
 * @module
 */

/** Countries whose national formats the detector knows. */
export type PhoneCountry = "KR" | "US" | "UK" | "DE" | "FR" | "JP" | "NL";

// Assigned ITU-T E.164 country codes. One-digit: 1 (NANP) and 7. Two-digit codes are listed;
// three-digit codes are listed by their two-digit zone prefix plus last digits.
const CC1 = new Set(["1", "7"]);
const CC2 = new Set(
  ("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 " +
    "64 65 66 81 82 84 86 90 91 92 93 94 95 98").split(" "),
);
const CC3: Readonly<Record<string, string>> = {
  "21": "12368",
  "22": "0123456789",
  "23": "0123456789",
  "24": "0123456789",
  "25": "012345678",
  "26": "0123456789",
  "29": "01789",
  "35": "0123456789",
  "37": "0123456789",
  "38": "01235679",
  "42": "013",
  "50": "0123456789",
  "59": "0123456789",
  "67": "023456789",
  "68": "0123456789",
  "69": "012",
  "80": "08",
  "85": "02356",
  "87": "0",
  "88": "012368",
  "96": "012345678",
  "97": "012345679",
  "99": "234568",
};

/**
 * Length of the assigned country code that `digits` starts with, or 0 when none is.
 *
 * @param digits International number without `+` or separators.
 * @returns 1, 2 or 3, or 0 for an unassigned or reserved code.
 *
 * @example
 * ```ts
 * import { countryCodeLength } from "./phone.ts";
 * if (countryCodeLength("821012345678") !== 2) throw new Error("Korea is +82");
 * if (countryCodeLength("99912345678") !== 0) throw new Error("+999 is reserved");
 * ```
 */
export function countryCodeLength(digits: string): number {
  if (CC1.has(digits[0])) return 1;
  const two = digits.slice(0, 2);
  if (CC2.has(two)) return 2;
  const third = CC3[two];
  return third !== undefined && digits.length > 2 && third.includes(digits[2]) ? 3 : 0;
}

/** NANP: area code and exchange both start 2-9, and neither is an N11 service code. */
function nanpValid(ten: string): boolean {
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(ten)) return false;
  return ten.slice(1, 3) !== "11" && ten.slice(4, 6) !== "11";
}

const NATIONAL: Readonly<Record<Exclude<PhoneCountry, "US">, RegExp>> = {
  // Mobile 010 is always 11 digits; older 011/016-019, Seoul 02, provinces 031-064, VoIP 070.
  KR: /^(?:010\d{8}|01[16789]\d{7,8}|02\d{7,8}|0[3-6][1-5]\d{7,8}|070\d{8})$/,
  // Geographic 01/02, non-geographic 03, mobile 07 (not 070 personal numbering), freephone 08.
  UK: /^0(?:1\d{8,9}|[238]\d{9}|7[1-9]\d{8})$/,
  // Mobile 015x-017x, otherwise a geographic area code; 10 to 12 digits with the trunk 0.
  DE: /^0(?:1[5-7]\d{8,9}|[2-9]\d{8,10})$/,
  FR: /^0[1-9]\d{8}$/,
  // Landlines are 10 digits with the trunk 0; mobile and IP phones (050/070/080/090) are 11.
  JP: /^0(?:[1-9]\d{8}|[5789]0\d{8})$/,
  // Ten digits with the trunk 0: mobile 06, geographic 01-05 and 07.
  NL: /^0(?:6\d{8}|[1-57]\d{8})$/,
};

/**
 * Whether `value` has the digit count and leading digits of a national number in `country`.
 * Separators are ignored; shape checks are the caller's job.
 *
 * @param value National number as written, e.g. `"010-1234-5678"`.
 * @param country Country whose plan applies.
 * @returns True when the digits fit the country's numbering plan.
 *
 * @example
 * ```ts
 * import { nationalPhoneValid } from "./phone.ts";
 * if (!nationalPhoneValid("(212) 555-0142", "US")) throw new Error("NANP number");
 * if (nationalPhoneValid("123-456-7890", "US")) throw new Error("area codes never start with 1");
 * ```
 */
export function nationalPhoneValid(value: string, country: PhoneCountry): boolean {
  const digits = value.replace(/\D/g, "");
  if (country === "US") {
    return digits.length === 11
      ? digits[0] === "1" && nanpValid(digits.slice(1))
      : nanpValid(digits);
  }
  return NATIONAL[country].test(digits);
}

/**
 * Whether `value` is a plausible international number: `+` (or the `00` international
 * prefix), an assigned country code and 8 to 15 digits in total. NANP numbers (+1) must
 * have exactly ten digits after the code with valid area code and exchange. A `(0)`
 * trunk marker is dropped, parentheses must pair, and at most two groups may be single
 * digits, so dotted sequences like `+1.2.3.4.5.6.7.8` are turned away.
 *
 * @param value Number as written, e.g. `"+82 10-1234-5678"`.
 * @returns True for a plausible E.164 number.
 *
 * @example
 * ```ts
 * import { e164Valid } from "./phone.ts";
 * if (!e164Valid("+44 (0)20 7946 0958")) throw new Error("UK with trunk marker");
 * if (e164Valid("+999 1234 5678")) throw new Error("reserved country code");
 * ```
 */
export function e164Valid(value: string): boolean {
  // "(+82) 10-…" wraps the country code itself; unwrap it before pairing parentheses.
  let text = value.replace(/^\(\+(\d{1,3})\)/, "+$1").replace("(0)", "");
  if (text.startsWith("+")) text = text.slice(1);
  else if (text.startsWith("00")) text = text.slice(2);
  else return false;
  if (!parensPair(text)) return false;
  const groups = text.split(/[^0-9]+/).filter((g) => g.length > 0);
  if (groups.filter((g) => g.length === 1).length > 2) return false;
  const digits = groups.join("");
  if (digits.length < 8 || digits.length > 15 || digits[0] === "0") return false;
  const cc = countryCodeLength(digits);
  if (cc === 0) return false;
  if (cc === 1 && digits[0] === "1") return digits.length === 11 && nanpValid(digits.slice(1));
  return digits.length - cc >= 6;
}

function parensPair(text: string): boolean {
  const open = text.indexOf("(");
  const close = text.indexOf(")");
  if (open < 0 && close < 0) return true;
  if (open < 0 || close < open) return false;
  return text.indexOf("(", open + 1) < 0 && text.indexOf(")", close + 1) < 0 &&
    /^\(\d{1,5}\)$/.test(text.slice(open, close + 1));
}

/**
 * Whether a loosely written number found next to a phone keyword fits any supported
 * national plan or is a valid international number. Used for bare digit runs such as
 * `01012345678`, which are only reported with a keyword nearby.
 *
 * @param value Number as written.
 * @returns True when some plan accepts it.
 *
 * @example
 * ```ts
 * import { anyPhoneValid } from "./phone.ts";
 * if (!anyPhoneValid("01012345678")) throw new Error("Korean mobile");
 * if (anyPhoneValid("1733040000000")) throw new Error("an epoch timestamp is no number");
 * ```
 */
export function anyPhoneValid(value: string): boolean {
  if (value.startsWith("+") || value.startsWith("00")) return e164Valid(value);
  if (!parensPair(value) || /[ .\-]{3}/.test(value)) return false;
  const countries: readonly PhoneCountry[] = ["KR", "US", "UK", "DE", "FR", "JP", "NL"];
  return countries.some((c) => nationalPhoneValid(value, c));
}
