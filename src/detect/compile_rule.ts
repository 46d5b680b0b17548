/**
 * The rule compiler: checks each row of a rule table once, when a scanner is built, and
 * turns it into the fixed shape the scan loop reads.
 *
 * A row's pattern must be linear: no repeat without a bound (see `unbounded_repeats.ts`).
 * Counted repeats of single characters are unrolled (`_unroll_counts.ts`) so V8 can skip
 * through a window instead of trying every position.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { deferLeadingLookbehinds } from "./_defer_lookbehinds.ts";
import { requiredUnit } from "./_required_unit.ts";
import { unrollCounts } from "./_unroll_counts.ts";
import type { Rule, RuleContext } from "./rule.ts";
import { findUnboundedRepeats } from "./unbounded_repeats.ts";

/** A rule row checked and compiled into the fixed shape the scan loop reads. */
export interface CompiledRule {
  readonly rule: Rule;
  readonly index: number;
  readonly re: RegExp;
  readonly before: number;
  readonly after: number;
  readonly digitBefore: number;
  readonly digitAfter: number;
  /**
   * Window prefilter: one of the rule's lowercase words must occur near the window, or the
   * pattern is skipped. One alternation of the literal words, tested once per window.
   */
  readonly requires: RegExp | null;
  /**
   * Whether the prefilter may read a slice of the text lowercased once per scan instead of
   * lowercasing its own slice (see `ScanText.lowerSlice` in scanner.ts for when they differ).
   */
  readonly requiresShared: boolean;
  /**
   * The same prefilter for the text as it is, each letter a class of the characters that
   * lowercase to it, so no window is lowercased first; null when a word holds a letter whose
   * lowercase depends on its neighbours (then only `requires` on lowercased text is exact).
   */
  readonly requiresCased: RegExp | null;
  /** How far around the window the prefilter looks. */
  readonly requiresReach: number;
  /**
   * Punctuation of which every match holds a unit (see `_required_unit.ts`): a window
   * without one is skipped. Null when the pattern names none.
   */
  readonly requiredUnit: RegExp | null;
  // The rule's optional fields, copied into one fixed shape: rule rows are object literals
  // with different field sets, and reading them in the match loop was megamorphic.
  readonly group: number;
  readonly validate: ((value: string) => boolean) | null;
  readonly minEntropy: number;
  readonly context: RuleContext | null;
  readonly exclude: RuleContext | null;
  /** Minimum cluster digits, or Infinity for keyword-only rules. */
  readonly digits: number;
}

const DEFAULT_BEFORE = 64;
const DEFAULT_AFTER = 256;
const DEFAULT_DIGIT_BEFORE = 48;
const DEFAULT_DIGIT_AFTER = 48;

/**
 * Check one rule row and compile it. The checks are those a rule table can get wrong:
 * id shape, a trigger, confidence range, flags the scanner owns, and linearity.
 *
 * @param rule The row.
 * @param index Its position in the table (ties between overlapping findings go to the
 *   earlier row).
 * @returns The compiled row.
 * @throws {TypeError} When the row is malformed; the message starts with the rule id.
 * @throws {HaechiError} `rule.not_linear` when the pattern repeats without a bound (`*`,
 *   `+`, `{n,}`); `details` name the rule, the quantifier and its offset.
 *
 * @example
 * ```ts
 * import { compileRule } from "./compile_rule.ts";
 * const row = {
 *   id: "demo-key", type: "demo_key", category: "secret" as const, description: "Demo key",
 *   pattern: /demo_[a-z0-9]+/, trigger: { keywords: ["demo_"] },
 *   confidence: 0.9, hardBlock: true, examples: { positive: [], negative: [] },
 * };
 * try {
 *   compileRule(row, 0);
 *   throw new Error("an unbounded + must be refused");
 * } catch (e) {
 *   if ((e as { code?: string }).code !== "rule.not_linear") throw e;
 * }
 * ```
 */
export function compileRule(rule: Rule, index: number): CompiledRule {
  const fail = (why: string): never => {
    throw new TypeError(`Rule "${rule.id}": ${why}`);
  };
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(rule.id)) fail("id must be <provider>-<kind>");
  const t = rule.trigger;
  if ((t.keywords?.length ?? 0) === 0 && t.digits === undefined) {
    fail("needs trigger keywords or digits");
  }
  if (!(rule.confidence >= 0 && rule.confidence <= 1)) fail("confidence must be within 0..1");
  if (rule.pattern.flags.includes("g") || rule.pattern.flags.includes("y")) {
    fail("pattern must not carry the g or y flag; the scanner adds what it needs");
  }
  const unbounded = findUnboundedRepeats(rule.pattern.source)[0];
  if (unbounded !== undefined) {
    throw new HaechiError(
      "rule.not_linear",
      `Rule "${rule.id}": pattern repeats without a bound ("${unbounded.quantifier}" at ` +
        `offset ${unbounded.offset}); bound it, e.g. {1,64}, so matching stays linear`,
      { ruleId: rule.id, quantifier: unbounded.quantifier, offset: unbounded.offset },
    );
  }
  const flags = rule.pattern.flags + "g" + (rule.group !== undefined ? "d" : "");
  const source = deferLeadingLookbehinds(unrollCounts(rule.pattern.source, flags), flags);
  const requireWords = rule.windowRequires ?? rule.context?.words ?? null;
  return {
    rule,
    index,
    re: new RegExp(source, flags),
    before: rule.windowBefore ?? DEFAULT_BEFORE,
    after: rule.windowAfter ?? DEFAULT_AFTER,
    digitBefore: rule.windowBefore ?? DEFAULT_DIGIT_BEFORE,
    digitAfter: rule.windowAfter ?? DEFAULT_DIGIT_AFTER,
    requires: requireWords === null ? null : literalAlternation(requireWords),
    requiresShared: requireWords === null || !requireWords.some(isContextSensitiveLower),
    requiresCased: requireWords === null || requireWords.some(isContextSensitiveLower)
      ? null
      : casedAlternation(requireWords),
    requiresReach: rule.windowRequires !== undefined || rule.context === undefined
      ? 0
      : Math.max(rule.context.before ?? 48, rule.context.after ?? 16),
    requiredUnit: requiredUnit(source, flags),
    group: rule.group ?? -1,
    validate: rule.validate ?? null,
    minEntropy: rule.minEntropy ?? 0,
    context: rule.context ?? null,
    exclude: rule.excludeContext ?? null,
    digits: rule.trigger.digits ?? Infinity,
  };
}

/** A regex that finds any of `words` as a plain substring, like `words.some(includes)`. */
function literalAlternation(words: readonly string[]): RegExp {
  // No words means no window qualifies, as `[].some(…)` is false.
  if (words.length === 0) return /(?!)/;
  return new RegExp(prefixTree(words, (c) => escapeUnit(c)));
}

function escapeUnit(c: number): string {
  return String.fromCharCode(c).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * The words as one regex source shaped as their prefix tree (`tel(?:ephone|efono)` rather
 * than `telephone|telefono`), each unit written by `unit`. The prefilters only ask whether
 * some word occurs, which the tree answers exactly as the flat alternation does, but V8
 * tries a flat alternation word by word at every position of a window, and the tree tests
 * each distinct leading unit once. A word that extends another is dropped, since the
 * shorter one occurs wherever it does.
 */
function prefixTree(words: readonly string[], unit: (c: number) => string): string {
  interface Node {
    end: boolean;
    next: Map<number, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const w of words) {
    let node = root;
    for (let i = 0; i < w.length && !node.end; i++) {
      const c = w.charCodeAt(i);
      let child = node.next.get(c);
      if (child === undefined) {
        child = { end: false, next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    node.end = true;
    node.next.clear();
  }
  const emit = (node: Node): string => {
    if (node.end) return "";
    const parts = [...node.next].map(([c, child]) => unit(c) + emit(child));
    return parts.length === 1 ? parts[0] : `(?:${parts.join("|")})`;
  };
  return emit(root);
}

/**
 * A regex that finds any of `words` in text as it is exactly where `literalAlternation`
 * finds it in the text's lowercase, for text without U+0130 (the one unit whose lowercase is
 * two units); null when no such regex is known for some word letter.
 *
 * It is a case-insensitive regex, which V8 searches about twice as fast as lowercasing each
 * window first. Case-insensitive matching compares uppercase forms, which is not the same
 * relation as "lowercases to": the Kelvin sign lowercases to `k` but does not uppercase to
 * `K`. So each word unit becomes the class of every unit that lowercases to it, and the
 * regex is used only when that class is a union of whole case-insensitive classes, where
 * the two relations agree.
 */
function casedAlternation(words: readonly string[]): RegExp | null {
  if (words.length === 0) return /(?!)/;
  for (const w of words) {
    for (let i = 0; i < w.length; i++) if (unitsLoweringTo(w.charCodeAt(i)) === null) return null;
  }
  return new RegExp(
    prefixTree(words, (c) => {
      const sources = unitsLoweringTo(c)!;
      return sources.length === 1 ? hexUnit(sources[0]) : `[${sources.map(hexUnit).join("")}]`;
    }),
    "i",
  );
}

/**
 * The units whose lowercase is exactly `c`, when a case-insensitive regex class of them
 * takes exactly them (so both readings agree); otherwise null, as when no unit lowercases to
 * `c` at all.
 *
 * ASCII, Latin-1 lowercase letters and the caseless scripts that rule words use are answered
 * from their fixed case pairs (a test checks each against every UTF-16 unit); any other
 * letter is worked out once by asking about every unit, which costs milliseconds.
 */
export function unitsLoweringTo(c: number): number[] | null {
  const known = knownLowering(c);
  if (known !== undefined) return known;
  let found = loweringCache.get(c);
  if (found === undefined) {
    found = enumerateLowering(c);
    loweringCache.set(c, found);
  }
  return found;
}

const loweringCache = new Map<number, number[] | null>();

/**
 * The Kelvin sign lowercases to `k` and the Angstrom sign to `å`; no other unit outside
 * ASCII and Latin-1 lowercases into them as one unit.
 */
const KELVIN = 0x212a;
const ANGSTROM = 0x212b;

function knownLowering(c: number): number[] | null | undefined {
  if (c >= 0x61 && c <= 0x7a) return c === 0x6b ? [0x4b, 0x6b, KELVIN] : [c - 0x20, c];
  if (c >= 0x41 && c <= 0x5a) return null;
  if (c < 0x80) return [c];
  // Latin-1 lowercase letters but ÿ (its capital is outside Latin-1); × and ÷ are not letters.
  if (c === 0xe5) return [0xc5, 0xe5, ANGSTROM];
  if (c >= 0xe0 && c <= 0xfe && c !== 0xf7) return [c - 0x20, c];
  if (
    (c >= 0x0900 && c <= 0x097f) || (c >= 0x3041 && c <= 0x30ff) ||
    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3)
  ) return [c];
  return undefined;
}

function enumerateLowering(c: number): number[] | null {
  const sources: number[] = [];
  let every = "";
  for (let u = 0; u < 0x10000; u++) {
    const ch = String.fromCharCode(u);
    every += ch;
    const lower = ch.toLowerCase();
    if (lower.length === 1 && lower.charCodeAt(0) === c) sources.push(u);
  }
  if (sources.length === 0) return null;
  const cls = new RegExp(`[${sources.map(hexUnit).join("")}]`, "gi");
  let k = 0;
  for (const m of every.matchAll(cls)) if (m.index !== sources[k++]) return null;
  return k === sources.length ? sources : null;
}

function hexUnit(c: number): string {
  return "\\u" + c.toString(16).padStart(4, "0");
}

/**
 * Sigma lowercases by context (`Σ` → `σ` or final `ς`) and a surrogate half lowercases only
 * with its pair, so a slice of the whole text's lowercase can differ from the lowercase of
 * the slice there; words holding those never use the shared lowercase.
 */
function isContextSensitiveLower(word: string): boolean {
  return /[\u03c2\u03c3\ud800-\udfff]/.test(word);
}

/**
 * Refuse a table in which two rows share an id.
 *
 * @throws {TypeError} Naming the duplicated id.
 */
export function assertUniqueIds(rules: readonly Rule[]): void {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new TypeError(`Rule "${r.id}": duplicate id`);
    seen.add(r.id);
  }
}
