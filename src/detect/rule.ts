/**
 * The shape of one detector row.
 *
 * A rule is data: an id, the finding type it produces, a pattern, the cheap triggers
 * that decide whether the pattern runs at all, an optional validator, a confidence and
 * whether the type is hard-block. Each row carries its own positive and negative
 * examples; the test suite fails when a row misses one of its positives or fires on
 * one of its negatives.
 *
 * @module
 */

/**
 * Whether a finding is a credential, personal data, or a heuristic signal (prompt injection)
 * that presets report and leave alone.
 */
export type Category = "secret" | "pii" | "heuristic";

/**
 * How the scanner decides a rule is worth running on a region of text.
 *
 * - `keywords`: lowercase literals; the pattern runs in a window around each occurrence.
 * - `digits`: the pattern runs in a window around each digit cluster holding at least
 *   this many digits (separators such as spaces, dots, dashes and slashes may sit between
 *   them). Clusters shorter than that never wake the rule, so prose with a year or a
 *   price in it costs nothing.
 */
export interface RuleTrigger {
  /** Lowercase literals, matched case-insensitively after Unicode folding. */
  keywords?: readonly string[];
  /** Minimum digits in a cluster for the rule to run there. */
  digits?: number;
}

/** A keyword that must appear near a match for the finding to count. */
export interface RuleContext {
  /**
   * Lowercase words; any one of them is enough. ASCII words match only at the start of a
   * word ("sin" does not match "using"); words in other scripts match anywhere.
   */
  words: readonly string[];
  /** How many characters before the match to look (default 48). */
  before?: number;
  /** How many characters after the match to look (default 16). */
  after?: number;
}

/** Positive and hard-negative examples that the test suite checks for every row. */
export interface RuleExamples {
  /** Texts in which this rule must report its type. */
  positive: readonly string[];
  /** Texts in which this rule must report nothing. */
  negative: readonly string[];
}

/**
 * One detector.
 *
 * Patterns must stay linear in the input: every quantifier over a class that can overlap
 * with what follows it is bounded (`{1,64}`, not `+`), and no quantified group contains
 * another unbounded quantifier. The scanner runs each pattern only over merged windows
 * around triggers, so a pattern's cost is bounded by the window it sees.
 */
export interface Rule {
  /** `<provider>-<kind>`, e.g. `github-pat-classic`. Unique. */
  readonly id: string;
  /** Finding type used by policy, e.g. `github_token`, `email`, `kr_rrn`. */
  readonly type: string;
  /** Credential or personal data. */
  readonly category: Category;
  /** One line, for `haechi scan` and docs. */
  readonly description: string;
  /**
   * Source pattern, without `g`/`y` and with every repeat bounded (`{1,64}`, never `*`, `+`
   * or `{n,}`: `compileRule` refuses those with `rule.not_linear`). The scanner compiles it
   * once, unrolling short counts and adding `g` (and `d` for groups).
   */
  readonly pattern: RegExp;
  /** Capture group that holds the value; the whole match when absent. */
  readonly group?: number;
  /** When the pattern runs: near a keyword or a digit cluster. A row needs at least one. */
  readonly trigger: RuleTrigger;
  /** Nearby words required for the finding to count (ambiguous digit formats). */
  readonly context?: RuleContext;
  /**
   * Cheap prefilter for patterns that embed their own keyword checks: lowercase fragments of
   * which at least one must occur in a window for the pattern to run there at all. A rule
   * with {@linkcode Rule.context} gets this from its context words automatically.
   */
  readonly windowRequires?: readonly string[];
  /** Nearby words that veto a finding (e.g. "version" before a dotted quad). */
  readonly excludeContext?: RuleContext;
  /** Checksum or structure check on the captured value; false drops the match. */
  readonly validate?: (value: string) => boolean;
  /** Minimum Shannon entropy in bits per character of the captured value. */
  readonly minEntropy?: number;
  /** 0..1, how sure a validated match is. */
  readonly confidence: number;
  /** Hard-block findings cannot be silenced by allowlists or confidence floors. */
  readonly hardBlock: boolean;
  /**
   * How far before a trigger the window opens (default 64 for keyword triggers, 48 for
   * digit clusters, whose value is the cluster itself).
   */
  readonly windowBefore?: number;
  /** How far after a trigger the window reaches (default 256 for keywords, 48 for clusters). */
  readonly windowAfter?: number;
  /** Examples checked by the test suite. */
  readonly examples: RuleExamples;
}

/**
 * One detected value, located by UTF-16 offsets into the original (un-normalized) text.
 * It never carries the value itself: callers slice the text they already hold.
 */
export interface Finding {
  /** The rule that matched. */
  readonly ruleId: string;
  /** Finding type. */
  readonly type: string;
  /** Credential or personal data. */
  readonly category: Category;
  /** Start offset in the original text (inclusive). */
  readonly start: number;
  /** End offset in the original text (exclusive). */
  readonly end: number;
  /** 0..1. */
  readonly confidence: number;
  /** Cannot be silenced by filters. */
  readonly hardBlock: boolean;
  /** Set when the value was found inside decoded content (base64, URL, `\u` escapes). */
  readonly encoding?: "base64" | "url" | "unicode-escape";
}
