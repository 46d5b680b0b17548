/**
 * JSON text in and out without losing a number's digits.
 *
 * `JSON.parse` turns every number into a double, so `12345678901234567891` comes back as
 * `12345678901234567000` and `1e400` as `Infinity` (serialized as `null`) once the payload is
 * re-serialized. The gateway always re-serializes what it forwards, so a number whose lexeme
 * would not survive that round trip is kept as its source text instead: a `JSON.rawJSON`
 * value, which `JSON.stringify` writes back verbatim.
 *
 * Reading the lexemes needs the reviver's third argument (`{ source }`), and any reviver
 * makes `JSON.parse` several times slower, so a quick look decides first: only text where
 * a number (a digit run right after `[`, `:` or `,`) would not read back as its own lexeme
 * pays for it. Text inside strings that merely looks that way only costs the slower parse;
 * random token text such as `a3e9` does not, since it never follows those characters.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** The parts of `JSON` this module uses that TypeScript's lib does not declare yet. */
interface JsonExact {
  parse(
    text: string,
    reviver: (key: string, value: unknown, context: { source?: string }) => unknown,
  ): unknown;
  rawJSON(text: string): unknown;
  isRawJSON(value: unknown): boolean;
}
const J = JSON as unknown as JsonExact;

/**
 * Where a number lexeme may begin: a digit or minus sign right after `[`, `:` or `,` (and
 * optional whitespace), the only places a JSON number can begin besides the start of the
 * text. Runs inside strings match too; they are told apart below.
 */
const NUMBER_START = /[[:,][ \t\n\r]*-?[0-9]/g;
const FIRST_NUMBER = /^[ \t\n\r]*-?[0-9]/;
/** The lexeme from its first character: a number token is followed by a delimiter. */
const LEXEME = /-?[0-9][0-9.eE+\-]*/y;
/** RFC 8259's number grammar. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const PLAIN_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * Whether some number in `text` would not read back as its lexeme after `JSON.parse`.
 *
 * Every number token is looked at. A run that is not a number token can only be text inside
 * a string, and is passed over when that shows: it breaks the number grammar ("040 2939",
 * "010-1234-5678") or is followed by something other than a delimiter ("08:49:51"). Phone
 * numbers and times after a colon are common in chat text, and each such run used to send
 * the whole body to the slower parse.
 */
export function mayNotRoundTrip(text: string): boolean {
  let from = 0;
  const first = FIRST_NUMBER.exec(text);
  if (first !== null) {
    from = endIfRoundTrips(text, first[0].length);
    if (from < 0) return true;
  }
  NUMBER_START.lastIndex = from;
  for (let m = NUMBER_START.exec(text); m !== null; m = NUMBER_START.exec(text)) {
    const end = endIfRoundTrips(text, m.index + m[0].length);
    if (end < 0) return true;
    NUMBER_START.lastIndex = end;
  }
  return false;
}

/**
 * The end of the run whose first digit ends at `afterDigit` (its lexeme starts at that digit
 * or at its minus sign), or -1 when it is a number token that would not read back as itself.
 */
function endIfRoundTrips(text: string, afterDigit: number): number {
  const start = afterDigit >= 2 && text.charCodeAt(afterDigit - 2) === 45
    ? afterDigit - 2
    : afterDigit - 1;
  LEXEME.lastIndex = start;
  const lexeme = LEXEME.exec(text)![0];
  const end = start + lexeme.length;
  return changesOnReparse(lexeme, text.charCodeAt(end)) ? -1 : end;
}

/** Whether `lexeme`, followed by the unit `next`, is a number token that reparses differently. */
function changesOnReparse(lexeme: string, next: number): boolean {
  // Short plain integers are the common case and always round-trip.
  if (lexeme.length < 16 && PLAIN_INTEGER.test(lexeme) && lexeme !== "-0") return false;
  if (!JSON_NUMBER.test(lexeme) || !endsToken(next)) return false;
  return String(Number(lexeme)) !== lexeme;
}

/** Whether a number token may end before `c`: whitespace, `,`, `]`, `}`, or the text's end. */
function endsToken(c: number): boolean {
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13 || c === 44 ||
    c === 93 || c === 125;
}

/**
 * A number kept as its source text (a `JSON.rawJSON` value).
 *
 * @example
 * ```ts
 * import { isRawNumber, parseJsonText } from "./json_text.ts";
 * const v = parseJsonText('{"n":12345678901234567891}', 1024) as { n: unknown };
 * if (!isRawNumber(v.n)) throw new Error("kept as its lexeme");
 * ```
 */
export function isRawNumber(value: unknown): value is { readonly rawJSON: string } {
  return typeof value === "object" && value !== null && J.isRawJSON(value);
}

/**
 * Parse JSON text under the size limit, turning syntax errors into `input.invalid_json`.
 * Numbers whose lexeme would change on re-serialization are kept as raw JSON (see the
 * module doc); every other value is what `JSON.parse` gives.
 *
 * @param text JSON text.
 * @param maxBytes Largest accepted size in UTF-8 bytes.
 * @returns The parsed value.
 * @throws {HaechiError} `payload.too_large` or `input.invalid_json`.
 *
 * @example
 * ```ts
 * import { parseJsonText } from "./json_text.ts";
 * const v = parseJsonText('{"a":1e400,"b":[12345678901234567891, 2]}', 1024);
 * if (JSON.stringify(v) !== '{"a":1e400,"b":[12345678901234567891,2]}') throw new Error();
 * ```
 */
export function parseJsonText(text: string, maxBytes: number): unknown {
  checkSize(text, maxBytes);
  try {
    return parseJsonExact(text);
  } catch (e) {
    const where = /position \d+(?: \(line \d+ column \d+\))?/.exec((e as Error).message);
    throw new HaechiError(
      "input.invalid_json",
      `Input is not valid JSON${where ? ` (at ${where[0]})` : ""}`,
    );
  }
}

/**
 * `JSON.parse`, except that numbers whose lexeme would change on re-serialization are kept
 * as raw JSON. No size limit; throws `SyntaxError` as `JSON.parse` does.
 *
 * @param text JSON text.
 * @returns The parsed value.
 *
 * @example
 * ```ts
 * import { parseJsonExact } from "./json_text.ts";
 * if (JSON.stringify(parseJsonExact("[1.50, -0, 2]")) !== "[1.50,-0,2]") throw new Error();
 * ```
 */
export function parseJsonExact(text: string): unknown {
  return mayNotRoundTrip(text) ? J.parse(text, keepLexeme) : JSON.parse(text);
}

function keepLexeme(_key: string, value: unknown, context: { source?: string }): unknown {
  if (typeof value !== "number") return value;
  const source = context.source;
  return source === undefined || String(value) === source ? value : J.rawJSON(source);
}

/**
 * Reject input over the byte limit before any work. Counts UTF-8 bytes without encoding.
 *
 * @param text The input.
 * @param maxBytes Largest accepted size in UTF-8 bytes.
 * @throws {HaechiError} `payload.too_large`.
 */
export function checkSize(text: string, maxBytes: number): void {
  // A UTF-16 unit encodes to at most 3 UTF-8 bytes; only measure exactly near the limit.
  if (text.length * 3 <= maxBytes) return;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxBytes) {
    throw new HaechiError(
      "payload.too_large",
      `Payload of ${bytes} bytes exceeds the limit of ${maxBytes} bytes`,
      { bytes, maxBytes },
    );
  }
}
