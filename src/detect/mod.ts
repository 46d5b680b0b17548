/**
 * Detection: finding personal data and secrets in text, and nothing else. A rule table
 * (one row per detector, each with its own positive and negative examples), the checksum
 * validators the rows call, Unicode folding, the keyword and digit-cluster triggers, and the
 * scanner that runs each woken row over the windows around its triggers.
 *
 * - {@linkcode BUILTIN_RULES} is the table; {@linkcode compileCustomRule} turns an operator's
 *   `filters.customRules` entry into a row.
 * - {@linkcode createScanner} checks and compiles a table once (a row that repeats without a
 *   bound is refused with `rule.not_linear`) and returns a scanner whose `scan` reports
 *   {@linkcode Finding}s with offsets into the original text.
 *
 * This is the innermost layer: it imports nothing else from `src/`.
 *
 * @example
 * ```ts
 * import { BUILTIN_RULES, createScanner } from "./mod.ts";
 * const [f] = createScanner(BUILTIN_RULES).scan("mail kim@example.com now");
 * if (f?.type !== "email") throw new Error("email not found");
 * ```
 *
 * @module
 */
export type { Category, Finding, Rule, RuleContext, RuleExamples, RuleTrigger } from "./rule.ts";
export { BUILTIN_RULES } from "./rules/mod.ts";
export {
  compileCustomRule,
  CUSTOM_REPEAT_CAP,
  type CustomRuleSpec,
  linearityProblem,
} from "./custom_rules.ts";
export { compileRule } from "./compile_rule.ts";
export { isWordish } from "./scan_text.ts";
export { octetsOfIpv4, parseIpv4, parseIpv6 } from "./validators/ip.ts";
export { findUnboundedRepeats, type UnboundedRepeat } from "./unbounded_repeats.ts";
export { createScanner, type DecodeOptions, type Scanner, type ScanOptions } from "./scanner.ts";
