/**
 * The scanner: folds Unicode, finds triggers in one pass, runs each woken rule over merged
 * windows around its triggers, validates, applies filters, and resolves overlaps. Rows are
 * checked and compiled once, when the scanner is built (`compile_rule.ts`).
 *
 * Order of work follows the cheap-first habit: trigger → window words (a literal prefilter)
 * → pattern → captured group → validator → entropy → context and veto words → allowlist,
 * confidence floor and haechi's own markers → overlaps between the findings left.
 *
 * @module
 */

import type { Finding, Rule, RuleContext } from "./rule.ts";
import {
  foldsToItself,
  mayFold,
  type NormalizedText,
  normalizeForScan,
  toOriginalSpan,
} from "./normalize.ts";
import {
  buildKeywordAutomaton,
  findClusters,
  findKeywords,
  type KeywordAutomaton,
} from "./triggers.ts";
import { RuleWindows, type TriggerListeners, type WindowGaps } from "./windows.ts";
import { shannonEntropy } from "./entropy.ts";
import { findEncodedCandidates } from "./decode.ts";
import { assertUniqueIds, type CompiledRule, compileRule } from "./compile_rule.ts";
import { ScanText } from "./scan_text.ts";

/** Limits for decode-and-rescan. */
export interface DecodeOptions {
  /** How many layers of encoding to peel (default 2). */
  maxDepth?: number;
  /** Total decoded characters per scan call (default 1,048,576). */
  maxChars?: number;
}

/** Scanner options, fixed when the scanner is built. */
export interface ScanOptions {
  /** Soft findings below this confidence are dropped (default 0). */
  minConfidence?: number;
  /**
   * Values that are never reported for soft types: exact strings, or globs where `*`
   * matches any run of characters (e.g. `*@example.com`). Matched against the folded value.
   */
  allowlist?: readonly string[];
  /** Decode base64, URL-encoding and `\u` escapes and rescan (off by default). */
  decode?: boolean | DecodeOptions;
}

/** A compiled rule set. */
export interface Scanner {
  /** The rules this scanner runs, in table order. */
  readonly rules: readonly Rule[];
  /**
   * Find every sensitive value in `text`.
   *
   * @returns Non-overlapping findings sorted by start offset, in original offsets.
   */
  scan(text: string): Finding[];
}

interface RawFinding {
  rule: Rule;
  start: number;
  end: number;
  encoding?: Finding["encoding"];
}

/**
 * Compile `rules` into a scanner. Validation of the rule table happens here, once.
 *
 * @param rules Rule rows.
 * @param options Filters and decoding.
 * @returns A scanner.
 * @throws {TypeError} When a rule row is malformed (duplicate id, no trigger, bad keyword,
 *   confidence outside 0..1); the message starts with the rule id.
 *
 * @example
 * ```ts
 * import { createScanner } from "./scanner.ts";
 * const scanner = createScanner([{
 *   id: "demo-key", type: "demo_key", category: "secret", description: "Demo key",
 *   pattern: /\bdemo_[a-z0-9]{8}\b/, trigger: { keywords: ["demo_"] },
 *   confidence: 0.9, hardBlock: true, examples: { positive: [], negative: [] },
 * }]);
 * const [f] = scanner.scan("use demo_abcd1234 here");
 * if (f.type !== "demo_key" || f.start !== 4 || f.end !== 17) throw new Error("miss");
 * ```
 */
export function createScanner(rules: readonly Rule[], options: ScanOptions = {}): Scanner {
  const compiled = rules.map(compileRule);
  assertUniqueIds(rules);
  const keywords: string[] = [];
  const keywordRules: number[][] = [];
  const keywordIndex = new Map<string, number>();
  for (const c of compiled) {
    for (const kw of c.rule.trigger.keywords ?? []) {
      let id = keywordIndex.get(kw);
      if (id === undefined) {
        id = keywords.length;
        keywordIndex.set(kw, id);
        keywords.push(kw);
        keywordRules.push([]);
      }
      keywordRules[id].push(c.index);
    }
  }
  const automaton = buildKeywordAutomaton(keywords, { stopAt: mayFold });
  const listeners = {
    rules: compiled,
    keywordRules,
    digitRules: compiled.filter((c) => c.digits !== Infinity).sort((a, b) => a.digits - b.digits),
  };
  const minConfidence = options.minConfidence ?? 0;
  const allow = compileAllowlist(options.allowlist ?? []);
  const decode = options.decode === true ? {} : options.decode || null;
  const maxDepth = decode?.maxDepth ?? 2;
  const maxChars = decode?.maxChars ?? 1 << 20;
  const engine: Engine = {
    compiled,
    automaton,
    listeners,
    reach: RuleWindows.reach(listeners),
    foldOnTheWay: keywordLettersFoldToThemselves(automaton),
  };

  function keep(text: string, f: RawFinding): boolean {
    if (f.rule.hardBlock) return true;
    if (f.rule.confidence < minConfidence) return false;
    return !(allow !== null && f.encoding === undefined && allow.test(text.slice(f.start, f.end)));
  }

  /** Filter what `runRules` found in folded `text`, then decode and rescan inside it. */
  function scanFolded(
    text: string,
    raw: RawFinding[],
    depth: number,
    budget: { chars: number },
  ): RawFinding[] {
    const markers = markerSpans(text);
    const found = raw.filter((f) =>
      keep(text, f) && (markers === null || !insideMarker(markers, f))
    );
    if (decode !== null && depth < maxDepth && budget.chars > 0) {
      for (const cand of findEncodedCandidates(text, budget.chars)) {
        budget.chars -= cand.decoded.length;
        const inner = normalizeForScan(cand.decoded).text;
        const best = strongest(
          scanFolded(inner, runRules(engine, inner, false).found, depth + 1, budget),
        );
        if (best !== null) {
          found.push({
            rule: best.rule,
            start: cand.start,
            end: cand.end,
            encoding: cand.encoding,
          });
        }
      }
    }
    return found;
  }

  return {
    rules,
    scan(text: string): Finding[] {
      if (text.length === 0) return [];
      const { folded, found } = runRules(engine, text, true);
      const raw = resolveOverlaps(scanFolded(folded.text, found, 0, { chars: maxChars }));
      return raw.map((f) => {
        const [start, end] = toOriginalSpan(folded, f.start, f.end);
        const r = f.rule;
        const finding: Finding = {
          ruleId: r.id,
          type: r.type,
          category: r.category,
          start,
          end,
          confidence: r.confidence,
          hardBlock: r.hardBlock,
        };
        return f.encoding === undefined ? finding : { ...finding, encoding: f.encoding };
      });
    },
  };
}

/**
 * haechi's own replacements, `[TOKEN:type:id]` and `[REDACTED:type]`. Their character sets
 * cannot carry a value, and text protected once (a chat history sent again, a tool result
 * holding a token the model copied) must come through a second pass unchanged, so findings
 * that touch them are dropped. `[ENC:…]` envelopes are not exempt: base64url could hide a
 * value behind the prefix.
 */
const MARKER = /\[(?:TOKEN:[a-z0-9_]{1,40}:[a-z2-7]{20}|REDACTED:[a-z0-9_]{1,40})\]/g;

function markerSpans(text: string): number[] | null {
  if (!text.includes("[TOKEN:") && !text.includes("[REDACTED:")) return null;
  const spans: number[] = [];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m !== null; m = MARKER.exec(text)) {
    spans.push(m.index, m.index + m[0].length);
  }
  return spans.length === 0 ? null : spans;
}

function insideMarker(spans: readonly number[], f: RawFinding): boolean {
  for (let i = 0; i < spans.length; i += 2) {
    if (f.start < spans[i + 1] && spans[i] < f.end) return true;
  }
  return false;
}

interface Engine {
  readonly compiled: readonly CompiledRule[];
  readonly automaton: KeywordAutomaton;
  readonly listeners: TriggerListeners<CompiledRule>;
  readonly reach: WindowGaps;
  /** Whether the keyword pass can tell when a text needs folding (see `runRules`). */
  readonly foldOnTheWay: boolean;
}

/**
 * Whether every character that the automaton reads as a keyword letter, and so never stops
 * at, folds to itself: only then does a keyword pass that met no stop character prove that
 * folding would leave the text unchanged.
 */
function keywordLettersFoldToThemselves(ac: KeywordAutomaton): boolean {
  for (let c = 0x80; c < ac.symbols.length; c++) {
    const symbol = ac.symbols[c];
    if (symbol !== 0 && symbol !== ac.stopSymbol && mayFold(c) && !foldsToItself(c)) return false;
  }
  return true;
}

/** What one scan pass found, in the offsets of the folded text it read. */
interface Pass {
  readonly folded: NormalizedText;
  readonly found: RawFinding[];
}

/**
 * Find triggers and run the woken rules. With `fold`, `original` is folded first, but the
 * keyword pass starts on it unfolded and pauses at the first character that folding might
 * change: most text has none and skips the separate search for them. Folding never changes
 * what comes before that character, so when it keeps the length the pass resumes on the
 * folded text where it paused; otherwise it starts over there.
 */
function runRules(engine: Engine, original: string, fold: boolean): Pass {
  const { compiled, automaton } = engine;
  let folded: NormalizedText = { text: original, map: null };
  if (fold && !engine.foldOnTheWay) folded = normalizeForScan(original);
  let text = folded.text;
  const sink = new RuleWindows(engine.listeners, text.length, engine.reach);
  const pauses = fold && engine.foldOnTheWay;
  const paused = findKeywords(text, automaton, sink, undefined, pauses);
  if (paused.at < text.length) {
    folded = normalizeForScan(original);
    const resumes = folded.text.length === text.length;
    text = folded.text;
    if (!resumes) sink.reset(text.length);
    findKeywords(text, automaton, sink, resumes ? paused : undefined);
  }
  findClusters(text, sink);
  const table = sink.finish();
  const found: RawFinding[] = [];
  const view = new ScanText(text);
  for (let r = 0; r < table.length; r++) {
    const w = table[r];
    if (w !== undefined) scanWindows(compiled[r], view, w, found);
  }
  return { folded, found };
}

function scanWindows(c: CompiledRule, view: ScanText, windows: number[], out: RawFinding[]): void {
  let openStart = -1;
  let openEnd = -1;
  for (let i = 0; i < windows.length; i += 2) {
    const s = view.wordStart(windows[i]);
    const e = view.wordEnd(windows[i + 1]);
    if (openStart >= 0 && s <= openEnd) {
      // Overlapping windows are matched as one, so no value is cut at a window edge.
      if (e > openEnd) openEnd = e;
      continue;
    }
    if (openStart >= 0) matchWindow(c, view, openStart, openEnd, out);
    openStart = s;
    openEnd = e;
  }
  if (openStart >= 0) matchWindow(c, view, openStart, openEnd, out);
}

function matchWindow(c: CompiledRule, view: ScanText, s: number, e: number, out: RawFinding[]) {
  const { rule, re, group, validate, minEntropy, context, exclude } = c;
  const text = view.text;
  if (c.requires !== null) {
    const from = Math.max(0, s - c.requiresReach);
    const to = e + c.requiresReach;
    const mentioned = c.requiresCased !== null && !view.hasDottedCapitalI()
      ? c.requiresCased.test(view.text.slice(from, to))
      : c.requires.test(view.lowerSlice(from, to, c.requiresShared));
    if (!mentioned) return;
  }
  const slice = text.slice(s, e);
  if (c.requiredUnit !== null && !c.requiredUnit.test(slice)) return;
  re.lastIndex = 0;
  for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    let vs: number;
    let value: string;
    if (group >= 0) {
      const span = m.indices?.[group];
      if (span === undefined) continue;
      vs = s + span[0];
      value = m[group]!;
    } else {
      vs = s + m.index;
      value = m[0];
    }
    const ve = vs + value.length;
    if (value.length === 0) continue;
    if (validate !== null && !validate(value)) continue;
    if (minEntropy > 0 && shannonEntropy(value) < minEntropy) continue;
    if (context !== null && !hasContext(text, vs, ve, context)) continue;
    if (exclude !== null && hasContext(text, vs, ve, exclude)) continue;
    out.push({ rule, start: vs, end: ve });
  }
}

function hasContext(text: string, start: number, end: number, ctx: RuleContext): boolean {
  const region = text.slice(Math.max(0, start - (ctx.before ?? 48)), end + (ctx.after ?? 16))
    .toLowerCase();
  for (const w of ctx.words) if (containsWord(region, w)) return true;
  return false;
}

/**
 * Whether `word` occurs in `region` at the start of a word: an ASCII word must not follow an
 * ASCII letter or digit ("sin" is not in "using", but "secretaccess" is in
 * "SecretAccessKey"). Words in other scripts match anywhere, since Korean and Japanese
 * attach particles directly ("주민등록번호는").
 */
function containsWord(region: string, word: string): boolean {
  if (!isAsciiAlnum(word.charCodeAt(0))) return region.includes(word);
  for (let i = region.indexOf(word); i !== -1; i = region.indexOf(word, i + 1)) {
    if (i === 0 || !isAsciiAlnum(region.charCodeAt(i - 1))) return true;
  }
  return false;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function outranks(a: RawFinding, b: RawFinding): boolean {
  if (a.rule.hardBlock !== b.rule.hardBlock) return a.rule.hardBlock;
  if (a.rule.confidence !== b.rule.confidence) return a.rule.confidence > b.rule.confidence;
  return a.end - a.start > b.end - b.start;
}

function strongest(found: readonly RawFinding[]): RawFinding | null {
  let best: RawFinding | null = null;
  for (const f of found) if (best === null || outranks(f, best)) best = f;
  return best;
}

/**
 * Sort and merge overlapping findings. The stronger finding names the merged span, and the
 * span covers both, so a partial overlap never leaves part of a value behind.
 */
function resolveOverlaps(found: RawFinding[]): RawFinding[] {
  if (found.length < 2) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RawFinding[] = [found[0]];
  for (let i = 1; i < found.length; i++) {
    const f = found[i];
    const last = out[out.length - 1];
    if (f.start >= last.end) {
      out.push(f);
      continue;
    }
    const winner = outranks(f, last) ? f : last;
    out[out.length - 1] = {
      rule: winner.rule,
      start: last.start,
      end: Math.max(last.end, f.end),
      encoding: winner.encoding,
    };
  }
  return out;
}

function compileAllowlist(entries: readonly string[]): RegExp | null {
  if (entries.length === 0) return null;
  const alternatives = entries.map((e) =>
    e.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("[^]*?")
  );
  return new RegExp(`^(?:${alternatives.join("|")})$`, "i");
}
