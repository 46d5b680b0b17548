/**
 * Deterministic fake tokens for the examples that every secret row carries.
 *
 * Examples are built at load time instead of being written out literally, so the source
 * tree holds no string that looks like a live credential to other scanners (push
 * protection, pre-commit hooks) while each example still has the exact published shape.
 *
 * @module
 */

/** Characters that token bodies are drawn from. */
export const ALPHABETS = {
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  upperAlnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  letters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  hex: "0123456789abcdef",
  digits: "0123456789",
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
} as const;

/**
 * A reproducible pseudo-random string: the same arguments always give the same text.
 *
 * @param prefix Literal start, e.g. `"ghp_"`.
 * @param length How many random characters follow the prefix.
 * @param alphabet Characters to draw from (default base62).
 * @param seed Varies the output for otherwise identical calls.
 * @returns `prefix` followed by `length` characters of `alphabet`.
 *
 * @example
 * ```ts
 * import { ALPHABETS, fake } from "./_fake.ts";
 * const a = fake("npm_", 36);
 * if (a !== fake("npm_", 36) || a.length !== 40) throw new Error("not reproducible");
 * if (!/^[0-9a-f]{8}$/.test(fake("", 8, ALPHABETS.hex))) throw new Error("wrong alphabet");
 * ```
 */
export function fake(
  prefix: string,
  length: number,
  alphabet: string = ALPHABETS.alnum,
  seed = 0,
): string {
  // FNV-1a over the arguments picks the stream; xorshift32 walks it.
  let x = 0x811c9dc5;
  const key = `${prefix}|${length}|${alphabet}|${seed}`;
  for (let i = 0; i < key.length; i++) {
    x ^= key.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  if (x === 0) x = 1;
  let out = prefix;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[(x >>> 0) % alphabet.length];
  }
  return out;
}

/**
 * Base64url without padding, as JWT segments are written.
 *
 * @param text ASCII text to encode.
 * @returns The base64url form.
 *
 * @example
 * ```ts
 * import { base64url } from "./_fake.ts";
 * if (base64url('{"alg":"none"}') !== "eyJhbGciOiJub25lIn0") throw new Error("bad encoding");
 * ```
 */
export function base64url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * A JWT-shaped string from a header and payload object and a fake signature.
 *
 * @param header JOSE header object.
 * @param payload Claims object.
 * @param seed Varies the signature.
 * @returns `header.payload.signature` in base64url.
 *
 * @example
 * ```ts
 * import { fakeJwt } from "./_fake.ts";
 * if (fakeJwt({ alg: "HS256" }, { sub: "1" }).split(".").length !== 3) throw new Error("shape");
 * ```
 */
export function fakeJwt(header: object, payload: object, seed = 0): string {
  const sig = fake("", 43, ALPHABETS.base64url, seed);
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${sig}`;
}

/**
 * A PEM block with a fake base64 body of `lines` lines of 64 characters.
 *
 * @param label The label between BEGIN/END, e.g. `"RSA PRIVATE KEY"`.
 * @param lines Body lines.
 * @param eol Line ending (`"\n"`, `"\r\n"` or the two-character JSON escape `"\\n"`).
 * @returns The whole block, ending with the END line (no trailing line ending).
 *
 * @example
 * ```ts
 * import { fakePem } from "./_fake.ts";
 * const pem = fakePem("PRIVATE KEY", 2, "\n");
 * if (!pem.startsWith("-----BEGIN PRIVATE KEY-----\n")) throw new Error("header");
 * if (!pem.endsWith("\n-----END PRIVATE KEY-----")) throw new Error("footer");
 * ```
 */
export function fakePem(label: string, lines: number, eol: string): string {
  const body: string[] = [];
  for (let i = 0; i < lines; i++) body.push(fake("", 64, ALPHABETS.base64, i));
  return `-----BEGIN ${label}-----${eol}${body.join(eol)}${eol}-----END ${label}-----`;
}
