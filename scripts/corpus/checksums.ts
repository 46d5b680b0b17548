/**
 * Check-digit algorithms used to make corpus values format-valid.
 *
 * These are written from the published algorithm descriptions and deliberately share no
 * code with `src/detect/validators`: the benchmark uses them to cross-check the
 * detectors, so a bug in one implementation shows up as a miss instead of cancelling out.
 *
 * Each `*Check` function takes the payload without its check part and returns the check
 * part to append.
 *
 * @module
 */

function digitsOf(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) if (ch >= "0" && ch <= "9") out.push(ch.charCodeAt(0) - 48);
  return out;
}

/**
 * Luhn check digit for `payload` (payment cards, Canadian SIN).
 *
 * @example
 * ```ts
 * import { luhnCheck } from "./checksums.ts";
 * if (luhnCheck("7992739871") !== "3") throw new Error("Luhn vector");
 * ```
 */
export function luhnCheck(payload: string): string {
  const d = digitsOf(payload);
  let sum = 0;
  // The check digit will sit at position 0 from the right, so the payload's rightmost
  // digit is doubled.
  for (let i = d.length - 1, k = 0; i >= 0; i--, k++) {
    let x = d[i];
    if (k % 2 === 0) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Whether all digits of `value` pass Luhn. */
export function luhnOk(value: string): boolean {
  const d = digitsOf(value);
  return d.length > 1 && luhnCheck(d.slice(0, -1).join("")) === String(d[d.length - 1]);
}

/** Remainder of a long decimal string modulo 97, computed in chunks. */
export function mod97(numeric: string): number {
  let r = 0;
  for (let i = 0; i < numeric.length; i += 7) {
    r = Number(String(r) + numeric.slice(i, i + 7)) % 97;
  }
  return r;
}

/** Letters become 10..35 as ISO 13616 and ISO 7064 require. */
export function lettersToDigits(text: string): string {
  let out = "";
  for (const ch of text.toUpperCase()) {
    out += ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
  }
  return out;
}

/**
 * The two IBAN check digits for `country` and `bban` (ISO 13616, MOD 97-10).
 *
 * @example
 * ```ts
 * import { ibanCheck } from "./checksums.ts";
 * if (ibanCheck("GB", "WEST12345698765432") !== "82") throw new Error("IBAN vector");
 * ```
 */
export function ibanCheck(country: string, bban: string): string {
  const r = mod97(lettersToDigits(bban + country + "00"));
  return String(98 - r).padStart(2, "0");
}

/** Whether a compact IBAN passes MOD 97-10. */
export function ibanOk(iban: string): boolean {
  const c = iban.replace(/ /g, "");
  return mod97(lettersToDigits(c.slice(4) + c.slice(0, 4))) === 1;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/**
 * Verhoeff check digit (Aadhaar).
 *
 * @example
 * ```ts
 * import { verhoeffCheck } from "./checksums.ts";
 * if (verhoeffCheck("236") !== "3") throw new Error("Verhoeff vector");
 * ```
 */
export function verhoeffCheck(payload: string): string {
  const d = digitsOf(payload).reverse();
  let c = 0;
  for (let i = 0; i < d.length; i++) c = VERHOEFF_D[c][VERHOEFF_P[(i + 1) % 8][d[i]]];
  return String(VERHOEFF_INV[c]);
}

/** Whether `value` passes Verhoeff. */
export function verhoeffOk(value: string): boolean {
  const d = digitsOf(value).reverse();
  let c = 0;
  for (let i = 0; i < d.length; i++) c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d[i]]];
  return c === 0;
}

/** ISO 7064 MOD 11,10 check digit (German Steuer-ID). */
export function iso7064Mod1110Check(payload: string): string {
  let product = 10;
  for (const d of digitsOf(payload)) {
    let sum = (d + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return String(check === 10 ? 0 : check);
}

/** Korean RRN check digit over the first 12 digits (weights 2..9,2..5, mod 11). */
export function krRrnCheck(payload12: string): string {
  const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const d = digitsOf(payload12);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += d[i] * w[i];
  return String((11 - (sum % 11)) % 10);
}

/** French NIR key: 97 − (13 digits mod 97); Corsica's 2A/2B count as 19/18. */
export function frNirKey(payload13: string): string {
  const numeric = payload13.replace("2A", "19").replace("2B", "18");
  return String(97 - mod97(numeric)).padStart(2, "0");
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

/** Spanish DNI/NIE control letter; NIE's X/Y/Z stand for 0/1/2. */
export function esControlLetter(body: string): string {
  const numeric = body.replace(/^X/, "0").replace(/^Y/, "1").replace(/^Z/, "2");
  return DNI_LETTERS[Number(numeric) % 23];
}

const CF_ODD: Record<string, number> = {};
{
  const odd = [
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
  for (let i = 0; i < 26; i++) CF_ODD[String.fromCharCode(65 + i)] = odd[i];
  for (let i = 0; i < 10; i++) CF_ODD[String(i)] = odd[i];
}

function cfEven(ch: string): number {
  return ch >= "0" && ch <= "9" ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 65;
}

/**
 * The odd/even-table check character shared by the Italian codice fiscale (over its
 * first 15 characters) and the CIN of an Italian BBAN (over ABI + CAB + account).
 */
export function itCheckChar(payload: string): string {
  let sum = 0;
  const up = payload.toUpperCase();
  for (let i = 0; i < up.length; i++) sum += i % 2 === 0 ? CF_ODD[up[i]] : cfEven(up[i]);
  return String.fromCharCode(65 + (sum % 26));
}

/** Dutch BSN "elfproef" remainder of a 9-digit string (0 means valid). */
export function bsnRemainder(nine: string): number {
  const d = digitsOf(nine);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += d[i] * (9 - i);
  return (((sum - d[8]) % 11) + 11) % 11;
}

/** Singapore NRIC/FIN check letter for prefix S/T/F/G and 7 digits. */
export function sgNricLetter(prefix: string, seven: string): string {
  const w = [2, 7, 6, 5, 4, 3, 2];
  const d = digitsOf(seven);
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += d[i] * w[i];
  if (prefix === "T" || prefix === "G") sum += 4;
  const table = prefix === "S" || prefix === "T" ? "JZIHGFEDCBA" : "XWUTRQPNMLK";
  return table[sum % 11];
}

/** Japanese My Number check digit over the first 11 digits. */
export function jpMyNumberCheck(payload11: string): string {
  const d = digitsOf(payload11);
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = d[11 - n];
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return String(r <= 1 ? 0 : 11 - r);
}

/** Brazilian CPF: the two check digits over 9 digits. */
export function brCpfCheck(nine: string): string {
  const d = digitsOf(nine);
  const digit = (len: number): number => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += d[i] * (len + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  d.push(digit(9));
  d.push(digit(10));
  return `${d[9]}${d[10]}`;
}

/** Spanish bank-account control digit (weights 1,2,4,8,5,10,9,7,3,6, mod 11). */
export function esBankCheck(ten: string): string {
  const w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const d = digitsOf(ten);
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += d[i] * w[i];
  const r = 11 - (sum % 11);
  return String(r === 11 ? 0 : r === 10 ? 1 : r);
}

/** CRC-32 (IEEE) of an ASCII string, as used by checksummed token formats. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    c ^= text.charCodeAt(i);
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** `n` in base62 (0-9A-Za-z), left-padded with zeros to `width`. */
export function base62(n: number, width: number): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let out = "";
  let v = n;
  while (v > 0) {
    out = alphabet[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}

/** Standard base64 of bytes, with padding. */
export function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Base64url of a UTF-8 string or bytes, without padding (JWT segments). */
export function base64url(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  return base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
