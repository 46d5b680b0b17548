/**
 * Opt-in decoding of hidden content: base64 runs, URL-encoding and `\uXXXX` escapes.
 *
 * Each candidate is decoded at most once per depth, only when it turns into printable
 * text, and the total decoded size per scan is capped, so a payload cannot make the
 * scanner decode more than it was given times a small constant.
 *
 * @module
 */

/** A region of text that decodes to something worth rescanning. */
export interface EncodedCandidate {
  /** Start offset of the encoded region (inclusive). */
  readonly start: number;
  /** End offset of the encoded region (exclusive). */
  readonly end: number;
  /** Decoded text. */
  readonly decoded: string;
  /** Which encoding it was. */
  readonly encoding: "base64" | "url" | "unicode-escape";
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,8192}={0,2}/g;
const PERCENT = /%[0-9A-Fa-f]{2}/g;
const UNICODE_ESCAPE = /\\u[0-9A-Fa-f]{4}/g;
const MAX_SPAN = 8192;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Find encoded regions of `text` and decode them, up to `budget` decoded characters.
 *
 * @param text Text to look at.
 * @param budget Maximum decoded characters to return in total.
 * @returns Candidates in order of appearance.
 *
 * @example
 * ```ts
 * import { findEncodedCandidates } from "./decode.ts";
 * const [c] = findEncodedCandidates("q=a%40b.example%2Ecom", 1000);
 * if (c.decoded !== "q=a@b.example.com") throw new Error(c.decoded);
 * ```
 */
export function findEncodedCandidates(text: string, budget: number): EncodedCandidate[] {
  const out: EncodedCandidate[] = [];
  let remaining = budget;
  const take = (c: EncodedCandidate | null) => {
    if (c === null || c.decoded.length > remaining) return;
    remaining -= c.decoded.length;
    out.push(c);
  };
  if (text.includes("%")) {
    for (const [s, e] of markerSpans(text, PERCENT)) take(decodeUrl(text, s, e));
  }
  if (text.includes("\\u")) {
    for (const [s, e] of markerSpans(text, UNICODE_ESCAPE)) take(decodeEscapes(text, s, e));
  }
  BASE64_RUN.lastIndex = 0;
  for (let m = BASE64_RUN.exec(text); m !== null; m = BASE64_RUN.exec(text)) {
    if (remaining <= 0) break;
    take(decodeBase64(m[0], m.index));
  }
  return out.sort((a, b) => a.start - b.start);
}

function isBoundary(c: number): boolean {
  // whitespace, quotes, brackets, comma, semicolon, angle brackets, backtick
  return c <= 32 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 60 ||
    c === 62 || c === 91 || c === 93 || c === 123 || c === 125;
}

/** Spans around each marker occurrence, widened to boundaries and merged. */
function markerSpans(text: string, marker: RegExp): [number, number][] {
  const spans: [number, number][] = [];
  marker.lastIndex = 0;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    const last = spans[spans.length - 1];
    if (last !== undefined && m.index < last[1]) continue;
    let s = m.index;
    let e = m.index + m[0].length;
    const floor = Math.max(0, s - MAX_SPAN);
    while (s > floor && !isBoundary(text.charCodeAt(s - 1))) s--;
    const ceil = Math.min(text.length, e + MAX_SPAN);
    while (e < ceil && !isBoundary(text.charCodeAt(e))) e++;
    marker.lastIndex = e;
    spans.push([s, e]);
  }
  return spans;
}

function decodeUrl(text: string, start: number, end: number): EncodedCandidate | null {
  try {
    const decoded = decodeURIComponent(text.slice(start, end).replaceAll("+", " "));
    return isPrintable(decoded) ? { start, end, decoded, encoding: "url" } : null;
  } catch {
    return null;
  }
}

function decodeEscapes(text: string, start: number, end: number): EncodedCandidate | null {
  const decoded = text.slice(start, end).replace(
    /\\u([0-9A-Fa-f]{4})/g,
    (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
  return isPrintable(decoded) ? { start, end, decoded, encoding: "unicode-escape" } : null;
}

function decodeBase64(run: string, start: number): EncodedCandidate | null {
  const body = run.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
  if (body.length % 4 === 1) return null;
  let binary: string;
  try {
    binary = atob(body + "=".repeat((4 - (body.length % 4)) % 4));
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return null;
  }
  if (decoded.length < 8 || !isPrintable(decoded)) return null;
  return { start, end: start + run.length, decoded, encoding: "base64" };
}

/** Decoded binary noise is not worth rescanning; text has no control characters but tab and newlines. */
function isPrintable(s: string): boolean {
  // deno-lint-ignore no-control-regex -- control characters are exactly what this looks for
  return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/.test(s);
}
