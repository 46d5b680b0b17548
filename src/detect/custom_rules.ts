/**
 * Operator rules from `filters.customRules` (haechi 1.4's shape `{id, type, pattern, flags?,
 * confidence?}`, plus this project's optional `keywords`), checked before use.
 *
 * A pattern runs on text haechi does not control, so it must stay linear: the check refuses
 * backreferences (no linear engine exists for them), quantified groups that themselves hold
 * a quantifier or an alternation (the `(a+)+` and `(a|ab)*` shapes that backtrack
 * exponentially) and sources over 500 characters. haechi 1.4 accepted a single `+` or `*`,
 * so an unbounded repeat is not refused but capped at {@linkcode CUSTOM_REPEAT_CAP}
 * (`\d+` runs as `\d{1,1024}`): the scanner compiles only linear rows, and a match never
 * spans more than the windows around its triggers anyway.
 *
 * Triggers: a custom rule wakes on its `keywords` when given, else on the literal text its
 * pattern must start with (at least three characters, e.g. `ACME-` in `ACME-\d{6}`), else
 * on digit clusters when the pattern starts with a digit class. A pattern with none of these
 * is refused with a message asking for keywords, rather than scanned everywhere.
 *
 * @module
 */
import type { Rule } from "./rule.ts";
import { boundRepeats } from "./unbounded_repeats.ts";

/** One `filters.customRules` entry as written in the config file. */
export interface CustomRuleSpec {
  /** Rule id, unique among custom rules. */
  readonly id: string;
  /** Finding type it reports; may be new or a built-in type. */
  readonly type: string;
  /** Regular expression source. */
  readonly pattern: string;
  /** Regex flags among `i`, `m`, `s`, `u`. */
  readonly flags?: string;
  /** Confidence 0..1 (default 0.9). */
  readonly confidence?: number;
  /** Lowercase literals that wake the rule (this project's addition). */
  readonly keywords?: readonly string[];
}

/** Most repetitions an unbounded repeat (`*`, `+`, `{n,}`) of a custom rule may make. */
export const CUSTOM_REPEAT_CAP = 1024;

/** Longest accepted pattern source. */
export const MAX_CUSTOM_PATTERN_LENGTH = 500;

const QUANTIFIER_START = new Set(["*", "+", "?", "{"]);

/**
 * Why a pattern source is not safe to run, or `null` when it passes the linearity screen.
 *
 * @param source Regex source.
 * @returns A sentence naming the problem, or `null`.
 *
 * @example
 * ```ts
 * import { linearityProblem } from "./custom_rules.ts";
 * if (linearityProblem("ACME-\\d{6}") !== null) throw new Error("safe");
 * if (linearityProblem("(a+)+$") === null) throw new Error("nested quantifier");
 * if (linearityProblem("(x)\\1") === null) throw new Error("backreference");
 * ```
 */
export function linearityProblem(source: string): string | null {
  if (source.length === 0) return "is empty";
  if (source.length > MAX_CUSTOM_PATTERN_LENGTH) {
    return `is longer than ${MAX_CUSTOM_PATTERN_LENGTH} characters`;
  }
  // Each open group records whether it holds a quantifier or an alternation.
  const stack: { risky: boolean }[] = [];
  let lastGroupRisky = false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (!inClass && (/[1-9]/.test(next) || next === "k")) return "uses a backreference";
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      lastGroupRisky = false;
      continue;
    }
    if (c === "(") {
      stack.push({ risky: false });
      continue;
    }
    if (c === ")") {
      const group = stack.pop();
      if (group === undefined) return "has an unbalanced parenthesis";
      lastGroupRisky = group.risky;
      if (group.risky && stack.length > 0) stack[stack.length - 1].risky = true;
      continue;
    }
    if (c === "|") {
      if (stack.length > 0) stack[stack.length - 1].risky = true;
      lastGroupRisky = false;
      continue;
    }
    if (QUANTIFIER_START.has(c) && !(c === "?" && source[i - 1] === "(")) {
      if (c === "{" && !/^\{\d+(?:,\d*)?\}/.test(source.slice(i))) continue;
      // An optional group (`?`, `{0,1}`) is tried once at most: only repetition multiplies.
      const repeats = c !== "?" && !/^\{(?:[01]|0,1|1,1)\}/.test(source.slice(i));
      if (lastGroupRisky && repeats) return "repeats a group that itself repeats or alternates";
      if (stack.length > 0) stack[stack.length - 1].risky = true;
      if (c === "{") i = source.indexOf("}", i);
      lastGroupRisky = false;
      continue;
    }
    lastGroupRisky = false;
  }
  if (inClass) return "has an unclosed character class";
  if (stack.length > 0) return "has an unbalanced parenthesis";
  return null;
}

/**
 * The literal text a pattern must start with (escapes of punctuation resolved), stopping at
 * the first construct that is not a plain character or that a quantifier makes optional.
 *
 * @example
 * ```ts
 * import { literalPrefix } from "./custom_rules.ts";
 * if (literalPrefix("ACME\\-\\d{6}") !== "ACME-") throw new Error("prefix");
 * if (literalPrefix("ab?c") !== "a") throw new Error("optional char");
 * ```
 */
export function literalPrefix(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    let c = source[i];
    let width = 1;
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (!/[^A-Za-z0-9]/.test(next)) break;
      c = next;
      width = 2;
    } else if (/[.[\](){}*+?|^$]/.test(c)) {
      break;
    }
    const after = source[i + width];
    if (after === "?" || after === "*" || after === "{") break;
    out += c;
    if (after === "+") break;
    i += width - 1;
  }
  return out;
}

/**
 * Check one custom rule and build its rule row.
 *
 * @param spec The entry as parsed from the config.
 * @returns The row, or a problem sentence (starting lowercase) for the config error.
 *
 * @example
 * ```ts
 * import { compileCustomRule } from "./custom_rules.ts";
 * const r = compileCustomRule({ id: "acme_id", type: "acme_id", pattern: "ACME-\\d{6}" });
 * if (typeof r === "string" || r.trigger.keywords?.[0] !== "acme-") throw new Error(String(r));
 * ```
 */
export function compileCustomRule(spec: CustomRuleSpec): Rule | string {
  const problem = linearityProblem(spec.pattern);
  if (problem !== null) return `pattern ${problem}`;
  const flags = spec.flags ?? "";
  if (!/^[imsu]*$/.test(flags) || new Set(flags).size !== flags.length) {
    return 'flags must be made of "i", "m", "s" and "u", each at most once';
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(boundRepeats(spec.pattern, CUSTOM_REPEAT_CAP), flags);
  } catch {
    return "pattern is not a valid regular expression";
  }
  if (pattern.test("")) return "pattern matches the empty string";
  const confidence = spec.confidence ?? 0.9;
  if (!(confidence >= 0 && confidence <= 1)) return "confidence must be a number from 0 to 1";
  const keywords = spec.keywords?.map((k) => k.toLowerCase()) ??
    triggerWords(spec.pattern, flags);
  const digits = keywords === undefined && /^(?:\\d|\[0-9\])/.test(spec.pattern) ? 1 : undefined;
  if (keywords === undefined && digits === undefined) {
    return "pattern needs a literal start of 3 or more characters, or keywords";
  }
  const slug = spec.id.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return {
    id: `custom-${slug === "" ? "rule" : slug}`,
    type: spec.type,
    category: "pii",
    description: `Custom rule ${JSON.stringify(spec.id)} from filters.customRules`,
    pattern,
    trigger: keywords !== undefined ? { keywords } : { digits },
    confidence,
    hardBlock: false,
    examples: { positive: [], negative: [] },
  };
}

function triggerWords(source: string, flags: string): string[] | undefined {
  const prefix = literalPrefix(source);
  if (prefix.length < 3) return undefined;
  // Case-sensitive patterns still wake on the lowercase keyword: triggers fold case.
  return [flags.includes("i") ? prefix.toLowerCase() : prefix.toLowerCase()];
}
