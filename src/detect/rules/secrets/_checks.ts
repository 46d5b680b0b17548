/**
 * Value checks shared by the secret rows: telling a real credential from a placeholder,
 * a template variable or a code expression.
 *
 * @module
 */

import { shannonEntropy } from "../../entropy.ts";

// Template syntax and filler that documentation and sample configs put where a secret goes.
const PLACEHOLDER_SHAPE =
  /^(?:<|\$|\{\{|%\(|%s$|\[)|example|placeholder|changeme|change[_-]me|redacted|dummy|replace[_-]?me|your[_-]?|x{4,}|\*{3,}|\.{3}|•/i;
const PLACEHOLDER_WORD =
  /^(?:pass(?:word|wd)?|pwd|secret|token|null|nil|none|undefined|true|false|empty|string|test(?:ing)?|default)$/i;
// SCREAMING_SNAKE (YOUR_API_KEY, DB_PASS) and lower word chains (your-token-here) name a
// variable rather than hold a value.
const SCREAMING_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const WORD_CHAIN = /^[a-z]+(?:[_-][a-z]+)+$/;

/**
 * Whether `value` is filler rather than a credential: template syntax (`<...>`, `${...}`,
 * `{{...}}`), masked or repeated characters, sample words, or the name of a variable.
 *
 * @param value Captured value.
 * @returns True for placeholders.
 *
 * @example
 * ```ts
 * import { isPlaceholder } from "./_checks.ts";
 * if (!isPlaceholder("${DB_PASS}") || !isPlaceholder("YOUR_API_KEY")) throw new Error("miss");
 * if (isPlaceholder("q7Xv!29LmZ")) throw new Error("real-looking value rejected");
 * ```
 */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_SHAPE.test(value) || PLACEHOLDER_WORD.test(value) ||
    SCREAMING_SNAKE.test(value) || WORD_CHAIN.test(value) || /^(.)\1*$/.test(value);
}

/**
 * Whether `value` holds an upper-case letter, a lower-case letter and a digit, as a random
 * base62 token of useful length almost always does and a hex digest never does.
 *
 * @param value Token text.
 * @returns True when all three classes occur.
 *
 * @example
 * ```ts
 * import { mixesCase } from "./_checks.ts";
 * if (!mixesCase("aB3") || mixesCase("deadbeef01")) throw new Error("wrong");
 * ```
 */
export function mixesCase(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}

// Paths, URLs, numbers and identifiers sit on the right of `password =` in code and config
// as often as secrets do; none of them is the secret itself.
// Path segments are words, maybe with a trailing number ("db2"); a segment with digits
// inside ("KpL9US0CR5.btOdY4x") is a generated value that happens to hold a dot.
const DOTTED_PATH = /^[A-Za-z_$][A-Za-z_$]*\d{0,3}(?:\.[A-Za-z_$][A-Za-z_$]*\d{0,3})+$/;
const FILE_PATH = /^(?:~|\.{1,2})?\/[\w.~-]*(?:\/[\w.~-]*)+$/;

/**
 * Whether a value assigned to a secret-named key could be a credential: not a placeholder,
 * not a number, URL, file path, dotted property path or bare identifier.
 *
 * @param value Captured value.
 * @param quoted Whether it was written inside quotes (bare identifiers are then allowed,
 *   since a quoted word is a literal, not a variable).
 * @returns True when the value is worth reporting.
 *
 * @example
 * ```ts
 * import { isSecretValue } from "./_checks.ts";
 * if (!isSecretValue("Zq8!vL2#pX", false)) throw new Error("missed a password");
 * if (isSecretValue("config.secretKey", false) || isSecretValue("12345678", true)) {
 *   throw new Error("accepted a non-secret");
 * }
 * ```
 */
export function isSecretValue(value: string, quoted: boolean): boolean {
  if (isPlaceholder(value) || /^[0-9]+$/.test(value) || value.includes("://")) return false;
  if (FILE_PATH.test(value) || DOTTED_PATH.test(value)) return false;
  return quoted || !/^[A-Za-z_]+$/.test(value);
}

/**
 * Whether the last path segment of a URL looks random (entropy at least `min` bits/char).
 *
 * @param url URL text.
 * @param min Minimum entropy of the last segment.
 * @returns True when the segment is random enough.
 *
 * @example
 * ```ts
 * import { lastSegmentRandom } from "./_checks.ts";
 * if (lastSegmentRandom("https://h/x/XXXXXXXX", 3)) throw new Error("placeholder accepted");
 * ```
 */
export function lastSegmentRandom(url: string, min: number): boolean {
  return shannonEntropy(url.slice(url.lastIndexOf("/") + 1)) >= min;
}

/**
 * Whether the first dot-separated part of `token` is base64url of a JSON object carrying
 * a string `alg` field, i.e. a JOSE header.
 *
 * @param token A `header.payload.signature` string.
 * @returns True for a decodable header with `alg`.
 *
 * @example
 * ```ts
 * import { hasJoseHeader } from "./_checks.ts";
 * if (!hasJoseHeader("eyJhbGciOiJub25lIn0.e30.")) throw new Error("header with alg rejected");
 * if (hasJoseHeader("eyJ0eXAiOiJKV1QifQ.e30.")) throw new Error("header without alg accepted");
 * ```
 */
export function hasJoseHeader(token: string): boolean {
  const head = token.slice(0, token.indexOf("."));
  if (head.length === 0 || head.length % 4 === 1) return false;
  const b64 = head.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((head.length + 3) % 4);
  try {
    const parsed: unknown = JSON.parse(atob(b64));
    return typeof parsed === "object" && parsed !== null &&
      typeof (parsed as Record<string, unknown>).alg === "string";
  } catch {
    return false;
  }
}
