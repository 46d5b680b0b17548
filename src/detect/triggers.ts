/**
 * One linear pass over the text that finds every trigger: keyword occurrences (an
 * Aho-Corasick automaton whose keywords may use any script, matching either case) and digit
 * clusters (a native digit search, then a walk over the digits found).
 *
 * The scanner runs a rule's pattern only in merged windows around its triggers, so ordinary
 * prose wakes few rules and no window is searched twice by the same rule: the keyword half
 * costs one table lookup per character whatever the input, and the cluster half touches only
 * the text around digits.
 *
 * @module
 */

/** A keyword automaton built once per rule set. */
export interface KeywordAutomaton {
  /**
   * Flattened transition table indexed by `row | symbol`, where a state's row is
   * `state << shift`. Each entry holds the next state's row, or its bitwise complement
   * (a negative number) when a keyword ends there. Storing rows rather than states and
   * folding the accepting flag into the sign saves a shift and a table load per character.
   */
  readonly delta: Int32Array;
  /** Bits per symbol in `delta`'s row index. */
  readonly shift: number;
  /** Symbol for each UTF-16 unit: letters fold to lowercase, unused characters to 0. */
  readonly symbols: Uint8Array;
  /** For each state, the keyword ids that end there (including via failure links). */
  readonly outputs: readonly (readonly number[])[];
  /**
   * The symbol of stop characters (see {@linkcode KeywordAutomatonOptions.stopAt}), or 0 when
   * there are none. Their transitions all lead to the row just past the table.
   */
  readonly stopSymbol: number;
  /** Keyword lengths by id. */
  readonly lengths: readonly number[];
}

/** How to build a keyword automaton. */
export interface KeywordAutomatonOptions {
  /**
   * Characters at which {@linkcode findKeywords} may pause (keyword letters never do). The
   * scanner stops at characters that Unicode folding might change, so text that needs no
   * folding is never searched for them separately.
   */
  stopAt?: (code: number) => boolean;
}

/** Where a keyword pass paused: the offset it reached and the automaton row there. */
export interface KeywordProgress {
  /** Offset of the stop character, or the text's length when the pass finished. */
  readonly at: number;
  /** Automaton row before `at`, to resume from. */
  readonly row: number;
}

const START: KeywordProgress = { at: 0, row: 0 };

/** Where a digit cluster sits and how many digits it holds. */
export interface DigitCluster {
  /** Start offset (inclusive). */
  start: number;
  /** End offset (exclusive). */
  end: number;
  /** Digits inside. */
  digits: number;
}

/** Callbacks invoked during {@linkcode findTriggers}. */
export interface TriggerSink {
  /** Called for each keyword occurrence, `end` exclusive. */
  keyword(id: number, start: number, end: number): void;
  /** Called for each digit cluster. */
  cluster(start: number, end: number, digits: number): void;
}

/**
 * Build the automaton for a list of lowercase keywords.
 *
 * Keywords may use any script (e.g. "비밀번호", "パスワード"); letters with an upper-case form
 * match either case. Only characters that occur in some keyword get a symbol of their own,
 * which keeps each state's row small enough to stay in cache; every other character is
 * symbol 0 and sends the automaton back towards the root.
 *
 * @param keywords Keyword strings; their index is their id.
 * @param options A stop-character test, for passes that pause where folding may change the
 *   text.
 * @returns The automaton.
 * @throws {TypeError} When a keyword is empty, not lowercase, holds a control character or
 *   a surrogate, or the keywords use more than 255 distinct characters.
 *
 * @example
 * ```ts
 * import { buildKeywordAutomaton, findTriggers } from "./triggers.ts";
 * const ac = buildKeywordAutomaton(["ghp_", "hp"]);
 * const hits: number[] = [];
 * findTriggers("x GHP_1", ac, { keyword: (id) => hits.push(id), cluster: () => {} });
 * if (hits.join() !== "1,0") throw new Error(hits.join());
 * ```
 */
export function buildKeywordAutomaton(
  keywords: readonly string[],
  options: KeywordAutomatonOptions = {},
): KeywordAutomaton {
  const symbols = new Uint8Array(65536);
  let alphabet = 1;
  for (const kw of keywords) {
    // deno-lint-ignore no-control-regex -- control characters and surrogates cannot be keywords
    if (kw.length === 0 || kw !== kw.toLowerCase() || /[\x00-\x1f\ud800-\udfff]/.test(kw)) {
      throw new TypeError(
        `Cannot use keyword "${kw}": keywords must be non-empty, lowercase and printable`,
      );
    }
    for (let i = 0; i < kw.length; i++) {
      const c = kw.charCodeAt(i);
      if (symbols[c] !== 0) continue;
      if (alphabet > 255) {
        throw new TypeError("Cannot build keywords: over 255 distinct characters");
      }
      symbols[c] = alphabet++;
      const upper = kw[i].toUpperCase();
      if (upper.length === 1 && upper !== kw[i]) symbols[upper.charCodeAt(0)] = symbols[c];
    }
  }
  const stop = options.stopAt === undefined ? 0 : alphabet++;
  if (stop > 255) throw new TypeError("Cannot build keywords: over 255 distinct characters");
  if (options.stopAt !== undefined) {
    for (let c = 0; c < symbols.length; c++) {
      if (symbols[c] === 0 && options.stopAt(c)) symbols[c] = stop;
    }
  }
  const shift = Math.max(1, Math.ceil(Math.log2(alphabet)));
  const width = 1 << shift;
  const goto: Int32Array[] = [new Int32Array(width).fill(-1)];
  const out: number[][] = [[]];
  keywords.forEach((kw, id) => {
    let s = 0;
    for (let i = 0; i < kw.length; i++) {
      const c = symbols[kw.charCodeAt(i)];
      if (goto[s][c] === -1) {
        goto[s][c] = goto.length;
        goto.push(new Int32Array(width).fill(-1));
        out.push([]);
      }
      s = goto[s][c];
    }
    out[s].push(id);
  });
  const states = goto.length;
  const delta = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let c = 0; c < width; c++) {
    const t = goto[0][c];
    if (t <= 0) delta[c] = 0;
    else {
      delta[c] = t;
      fail[t] = 0;
      queue.push(t);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    out[s] = [...out[s], ...out[fail[s]]];
    for (let c = 0; c < width; c++) {
      const t = goto[s][c];
      if (t === -1) delta[(s << shift) | c] = delta[(fail[s] << shift) | c];
      else {
        fail[t] = delta[(fail[s] << shift) | c];
        delta[(s << shift) | c] = t;
        queue.push(t);
      }
    }
  }
  for (let i = 0; i < delta.length; i++) {
    const t = delta[i];
    delta[i] = out[t].length > 0 ? ~(t << shift) : t << shift;
  }
  // The stop row lies past the table: a pass that meets it pauses or restarts at the root.
  if (stop > 0) {
    for (let r = 0; r < delta.length; r += width) {
      delta[r | stop] = ~(states << shift);
    }
  }
  const lengths = keywords.map((k) => k.length);
  return { delta, shift, symbols, outputs: out, lengths, stopSymbol: stop };
}

/** More separators than this in a row end a digit cluster. */
const MAX_SEPARATOR_RUN = 3;
/** Alphanumeric tokens longer than this cannot be one value; they break a cluster. */
const MAX_TOKEN_LENGTH = 40;

/**
 * Find every trigger in `text`: keyword hits (one automaton step per character) and digit
 * clusters (located with a native digit search, then walked in JS, so prose with few
 * digits costs almost nothing here).
 *
 * A digit cluster is a run of alphanumeric tokens that each hold a digit, joined by at most
 * three separator characters (space, tab, `-./()+:_`). A token longer than 40 characters
 * (such as a hash or a megabyte of digits) cannot be a single value and closes the cluster.
 *
 * @param text Folded text.
 * @param ac Keyword automaton.
 * @param sink Receives keyword hits in order, then clusters in order.
 *
 * @example
 * ```ts
 * import { buildKeywordAutomaton, findTriggers } from "./triggers.ts";
 * const found: string[] = [];
 * findTriggers("call 010-1234-5678 now", buildKeywordAutomaton(["call"]), {
 *   keyword: (_id, s, e) => found.push(`k${s}-${e}`),
 *   cluster: (s, e, d) => found.push(`c${s}-${e}:${d}`),
 * });
 * if (found.join() !== "k0-4,c5-18:11") throw new Error(found.join());
 * ```
 */
export function findTriggers(text: string, ac: KeywordAutomaton, sink: TriggerSink): void {
  findKeywords(text, ac, sink);
  findClusters(text, sink);
}

/**
 * The keyword half of {@linkcode findTriggers}, which can pause at a stop character and
 * resume in another text that shares everything before it (the folded form of the text).
 *
 * @param text Text to search.
 * @param ac Keyword automaton.
 * @param sink Receives keyword hits in order.
 * @param from Where to start: the result of a paused pass, or the text's start.
 * @param pause Whether to return at the first stop character; otherwise stop characters
 *   are ordinary non-keyword characters.
 * @returns Where the pass paused, or `{ at: text.length }` when it finished.
 *
 * @example
 * ```ts
 * import { buildKeywordAutomaton, findKeywords } from "./triggers.ts";
 * const ac = buildKeywordAutomaton(["ab"], { stopAt: (c) => c === 0x2460 });
 * const hits: number[] = [];
 * const sink = { keyword: (_id: number, s: number) => hits.push(s) };
 * const paused = findKeywords("ab \u2460 ab", ac, sink, undefined, true);
 * findKeywords("ab 1 ab", ac, sink, paused);
 * if (paused.at !== 3 || hits.join() !== "0,5") throw new Error(hits.join());
 * ```
 */
export function findKeywords(
  text: string,
  ac: KeywordAutomaton,
  sink: Pick<TriggerSink, "keyword">,
  from: KeywordProgress = START,
  pause = false,
): KeywordProgress {
  const { delta, shift, symbols, outputs, lengths } = ac;
  const stopRow = ac.stopSymbol === 0 ? -1 : outputs.length << shift;
  const n = text.length;
  let row = from.row;
  let i = from.at;
  for (;;) {
    i = advance(text, delta, symbols, i, row);
    row = advancedRow;
    if (i === n) return { at: n, row };
    const before = row;
    row = ~delta[row | symbols[text.charCodeAt(i)]];
    if (row === stopRow) {
      if (pause) return { at: i, row: before };
      // No keyword holds a stop character, so it leads back to the root.
      row = 0;
    } else {
      const hits = outputs[row >> shift];
      for (let h = 0; h < hits.length; h++) {
        const id = hits[h];
        sink.keyword(id, i + 1 - lengths[id], i + 1);
      }
    }
    i++;
  }
}

/** The row {@linkcode advance} stopped in. */
let advancedRow = 0;

/**
 * Step the automaton from row `row` at offset `at` to the next unit at which it accepts or
 * stops, and return that unit's offset (the text's length when there is none); the row
 * before that unit is left in `advancedRow`. The loop calls nothing, so what a sink does
 * with a hit cannot make the step per unit of text costlier.
 */
function advance(
  text: string,
  delta: Int32Array,
  symbols: Uint8Array,
  at: number,
  row: number,
): number {
  const n = text.length;
  let i = at;
  for (; i < n; i++) {
    const next = delta[row | symbols[text.charCodeAt(i)]];
    if (next < 0) break;
    row = next;
  }
  advancedRow = row;
  return i;
}

/**
 * The digit-cluster half of {@linkcode findTriggers}.
 *
 * @param text Folded text.
 * @param sink Receives clusters in order.
 *
 * @example
 * ```ts
 * import { findClusters } from "./triggers.ts";
 * const found: number[] = [];
 * findClusters("pin 12 34", { cluster: (_s, _e, d) => found.push(d) });
 * if (found.join() !== "4") throw new Error(found.join());
 * ```
 */
export function findClusters(text: string, sink: Pick<TriggerSink, "cluster">): void {
  const digit = /[0-9]/g;
  // `test` rather than `exec`: a page of short numbers has a cluster every few units, and
  // no match object is needed to learn where the digit was.
  while (digit.test(text)) digit.lastIndex = clusterAt(text, digit.lastIndex - 1, sink);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSeparator(c: number): boolean {
  // space, tab, - . / ( ) + : _
  return c === 32 || c === 9 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41 ||
    c === 43 || c === 58 || c === 95;
}

/**
 * A digit cluster longer than this is not one value but a blob. How it is read depends on
 * white space:
 * - a chain with white space in it (a grid of numbers, a one-line list of transactions, a
 *   long list then a sentence) is text a person wrote, where a value may sit anywhere: it is
 *   reported in pieces of about this length that overlap by {@linkcode CLUSTER_OVERLAP}, so
 *   every value is whole in one piece and each unit is read a bounded number of times;
 * - a chain without white space (base64, a hex dump joined by `+` and `/`) is opaque data:
 *   only its first and last stretches are reported, so digit rules do not run over a
 *   megabyte of base64, and a value buried deep inside such a blob is not seen by digit
 *   rules (keyword rules still scan it, and `decode` scans what the base64 encodes).
 */
const MAX_CLUSTER_CHARS = 256;
/** More than the longest value a digit rule matches (an IBAN with spaces, 42 units). */
const CLUSTER_OVERLAP = 64;
/** How much of a long run's end is still reported as a cluster. */
const LONG_RUN_TAIL = 128;

function digitsIn(text: string, from: number, to: number): number {
  let d = 0;
  for (let k = from; k < to; k++) if (isDigit(text.charCodeAt(k))) d++;
  return d;
}

/** The first unit that is neither alphanumeric nor a separator other than white space. */
const RUN_BREAK = /[^0-9A-Za-z\-./()+:_]/g;

/**
 * Report the head and tail of the blob without white space starting at `start`; returns
 * where it ends: at white space, or at the first unit that is neither alphanumeric nor a
 * separator.
 */
function skipLongRun(text: string, start: number, sink: Pick<TriggerSink, "cluster">): number {
  const n = text.length;
  let headEnd = start + MAX_CLUSTER_CHARS;
  while (headEnd > start && isAlnum(text.charCodeAt(headEnd - 1))) headEnd--;
  if (headEnd === start) headEnd = start + MAX_CLUSTER_CHARS;
  // A native class search: the run can be the rest of a megabyte of base64.
  RUN_BREAK.lastIndex = headEnd;
  let runEnd = RUN_BREAK.exec(text)?.index ?? n;
  while (runEnd > headEnd && isSeparator(text.charCodeAt(runEnd - 1))) runEnd--;
  const headDigits = digitsIn(text, start, headEnd);
  if (headDigits > 0) sink.cluster(start, headEnd, headDigits);
  let tailStart = Math.max(headEnd, runEnd - LONG_RUN_TAIL);
  while (tailStart < runEnd && isAlnum(text.charCodeAt(tailStart - 1))) tailStart++;
  const tailDigits = digitsIn(text, tailStart, runEnd);
  if (tailDigits > 0) sink.cluster(tailStart, runEnd, tailDigits);
  return Math.max(runEnd, start + 1);
}

/** Report the cluster holding the digit at `at`; returns where the digit search resumes. */
function clusterAt(text: string, at: number, sink: Pick<TriggerSink, "cluster">): number {
  const n = text.length;
  let i = at;
  const floor = at - MAX_TOKEN_LENGTH;
  while (i > 0 && i > floor && isAlnum(text.charCodeAt(i - 1))) i--;
  if (i > 0 && isAlnum(text.charCodeAt(i - 1))) {
    // The token reaches back further than any value can: skip the rest of it.
    while (i < n && isAlnum(text.charCodeAt(i))) i++;
    return i;
  }
  let start = -1;
  let end = -1;
  let digits = 0;
  let spaced = false;
  while (i < n) {
    const tokenStart = i;
    let tokenDigits = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (isDigit(c)) tokenDigits++;
      else if (!isAlnum(c)) break;
    }
    if (tokenDigits === 0 || i - tokenStart > MAX_TOKEN_LENGTH) break;
    if (start < 0) start = tokenStart;
    if (i - start > MAX_CLUSTER_CHARS && end > start) {
      if (!spaced) return skipLongRun(text, start, sink);
      // The piece so far ends at the previous token; the search picks up the next piece at
      // the first digit past `end - CLUSTER_OVERLAP`, well after `start`, so it moves on.
      sink.cluster(start, end, digits);
      return end - CLUSTER_OVERLAP;
    }
    end = i;
    digits += tokenDigits;
    const gap = i;
    while (i < n && i - gap <= MAX_SEPARATOR_RUN && isSeparator(text.charCodeAt(i))) {
      const c = text.charCodeAt(i++);
      if (c === 32 || c === 9) spaced = true;
    }
    if (i === gap || i - gap > MAX_SEPARATOR_RUN || i >= n || !isAlnum(text.charCodeAt(i))) break;
  }
  if (digits > 0) sink.cluster(start, end, digits);
  return Math.max(i, at + 1);
}
