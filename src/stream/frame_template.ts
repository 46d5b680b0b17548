/**
 * A frame template: most frames of a stream are the previous frame with another delta
 * string in it (same id, model, index, `finish_reason: null`). Once such a frame has taken
 * the full path — parsed, mapped, every other string found clean, rendered — its input and
 * output texts around the delta are kept. A later frame whose text is that same input with
 * only one JSON string literal in the delta's place parses, maps and renders the same way
 * with that string in the site, so it is rendered from the kept output text with the
 * released delta in between, without being parsed again.
 *
 * The delta's place in the input is proven once, when the template is built: the input
 * with a sentinel literal in that place must parse to the frame's own value with the
 * sentinel at the site's path and nowhere else. A literal is one JSON token, so any other
 * string literal in the same place parses to the same value with that string at the site.
 *
 * @module
 */
import { isRawNumber } from "../protect/mod.ts";

/** A string no upstream frame is expected to hold; a frame that does holds it twice. */
const SENTINEL = "\u0001haechi\u0002site\u0003";
const SENTINEL_LITERAL = JSON.stringify(SENTINEL);
/** Nesting past which the site is not looked for. */
const PATH_DEPTH_MAX = 8;

/** A frame's texts around its one channel site. */
export interface FrameTemplate {
  /** Input text before the site's string literal. */
  readonly inPrefix: string;
  /** Input text after it. */
  readonly inSuffix: string;
  /** Output text before the site's (released) string. */
  readonly outPrefix: string;
  /** Output text after it. */
  readonly outSuffix: string;
}

/**
 * The delta string of a frame that matches `t`, or `undefined` when it does not (its text
 * differs elsewhere, or the text in the site's place is not one string literal).
 *
 * @param t The template.
 * @param data The frame's payload text.
 * @returns The raw delta.
 */
export function matchTemplate(t: FrameTemplate, data: string): string | undefined {
  const p = t.inPrefix.length;
  const end = data.length - t.inSuffix.length;
  // Compared as substrings: `startsWith` is several times slower on V8 for text this long.
  if (end - p < 2 || data.charCodeAt(p) !== 34 || data.charCodeAt(end - 1) !== 34) {
    return undefined;
  }
  if (data.substring(0, p) !== t.inPrefix || data.substring(end) !== t.inSuffix) return undefined;
  // A literal without escapes, quotes or control characters inside is its own text.
  let plain = true;
  for (let i = p + 1; i < end - 1; i++) {
    const c = data.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) {
      plain = false;
      break;
    }
  }
  if (plain) return data.substring(p + 1, end - 1);
  let raw: unknown;
  try {
    raw = JSON.parse(data.substring(p, end));
  } catch {
    return undefined;
  }
  return typeof raw === "string" ? raw : undefined;
}

/**
 * Build a template from a frame that took the full path.
 *
 * @param data The frame's payload text.
 * @param raw The delta the site held in the parsed frame.
 * @param root The mapped value, as rendered.
 * @param holder The object or array holding the site.
 * @param key The site's key in `holder`.
 * @returns The template, or `undefined` when the delta's place cannot be proven.
 */
export function buildTemplate(
  data: string,
  raw: string,
  root: unknown,
  holder: Record<string | number, unknown> | unknown[],
  key: string | number,
): FrameTemplate | undefined {
  const path = pathTo(root, holder, 0);
  if (path === undefined) return undefined;
  const h = holder as Record<string | number, unknown>;
  const kept = h[key];
  h[key] = SENTINEL;
  let out: string;
  try {
    out = JSON.stringify(root);
  } finally {
    h[key] = kept;
  }
  const o = uniqueAt(out, SENTINEL_LITERAL);
  if (o < 0) return undefined;
  const literal = JSON.stringify(raw);
  const i = uniqueAt(data, literal);
  if (i < 0) return undefined;
  const inPrefix = data.slice(0, i);
  const inSuffix = data.slice(i + literal.length);
  let probe: unknown;
  let original: unknown;
  try {
    probe = JSON.parse(inPrefix + SENTINEL_LITERAL + inSuffix);
    original = JSON.parse(data);
  } catch {
    return undefined;
  }
  // The sentinel sits at the site's path, and the rest of the value is the frame's own.
  let at: unknown = probe;
  for (const k of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string | number, unknown>)[k];
  }
  if (at === null || typeof at !== "object") return undefined;
  if ((at as Record<string | number, unknown>)[key] !== SENTINEL) return undefined;
  const probed = JSON.stringify(probe);
  const s = uniqueAt(probed, SENTINEL_LITERAL);
  if (s < 0) return undefined;
  const back = probed.slice(0, s) + literal + probed.slice(s + SENTINEL_LITERAL.length);
  if (back !== JSON.stringify(original)) return undefined;
  return {
    inPrefix,
    inSuffix,
    outPrefix: out.slice(0, o),
    outSuffix: out.slice(o + SENTINEL_LITERAL.length),
  };
}

/** Where `part` occurs in `text` if it occurs exactly once, else -1. */
function uniqueAt(text: string, part: string): number {
  const i = text.indexOf(part);
  return i >= 0 && text.indexOf(part, i + 1) < 0 ? i : -1;
}

/** The keys from `root` down to `target` (by identity), or `undefined`. */
function pathTo(root: unknown, target: unknown, depth: number): (string | number)[] | undefined {
  if (root === target) return [];
  if (root === null || typeof root !== "object" || isRawNumber(root)) return undefined;
  if (depth >= PATH_DEPTH_MAX) return undefined;
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) {
      const p = pathTo(root[i], target, depth + 1);
      if (p !== undefined) return [i, ...p];
    }
    return undefined;
  }
  for (const k in root) {
    const p = pathTo((root as Record<string, unknown>)[k], target, depth + 1);
    if (p !== undefined) return [k, ...p];
  }
  return undefined;
}
