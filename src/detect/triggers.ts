/**
 * One linear pass over the text that finds every trigger: keyword occurrences (an
 * Aho-Corasick automaton over case-folded ASCII) and digit clusters.
 *
 * The scanner runs a rule's pattern only near its triggers, so ordinary prose wakes few
 * rules and hostile input cannot make a pattern rescan the same bytes: the cost of this
 * pass is one table lookup per character whatever the input.
 *
 * @module
 */

/** A keyword automaton built once per rule set. */
export interface KeywordAutomaton {
  /** Flattened transition table: `delta[state * 128 + char]`. */
  readonly delta: Int32Array;
  /** For each state, the keyword ids that end there (including via failure links). */
  readonly outputs: readonly (readonly number[])[];
  /** Keyword lengths by id. */
  readonly lengths: readonly number[];
}

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

const ALPHABET = 128;

/**
 * Build the automaton for a list of lowercase ASCII keywords.
 *
 * @param keywords Keyword strings; their index is their id.
 * @returns The automaton.
 * @throws {TypeError} When a keyword is empty, not lowercase, or not ASCII.
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
export function buildKeywordAutomaton(keywords: readonly string[]): KeywordAutomaton {
  const goto: Int32Array[] = [new Int32Array(ALPHABET).fill(-1)];
  const out: number[][] = [[]];
  keywords.forEach((kw, id) => {
    // deno-lint-ignore no-control-regex -- keywords must be printable-range ASCII
    if (kw.length === 0 || kw !== kw.toLowerCase() || /[^\x01-\x7f]/.test(kw)) {
      throw new TypeError(`Cannot use keyword "${kw}": keywords must be non-empty lowercase ASCII`);
    }
    let s = 0;
    for (let i = 0; i < kw.length; i++) {
      const c = kw.charCodeAt(i);
      if (goto[s][c] === -1) {
        goto[s][c] = goto.length;
        goto.push(new Int32Array(ALPHABET).fill(-1));
        out.push([]);
      }
      s = goto[s][c];
    }
    out[s].push(id);
  });
  const states = goto.length;
  const delta = new Int32Array(states * ALPHABET);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let c = 0; c < ALPHABET; c++) {
    const t = goto[0][c];
    if (t === -1) delta[c] = 0;
    else {
      delta[c] = t;
      fail[t] = 0;
      queue.push(t);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi];
    out[s] = [...out[s], ...out[fail[s]]];
    for (let c = 0; c < ALPHABET; c++) {
      const t = goto[s][c];
      if (t === -1) delta[s * ALPHABET + c] = delta[fail[s] * ALPHABET + c];
      else {
        fail[t] = delta[fail[s] * ALPHABET + c];
        delta[s * ALPHABET + c] = t;
        queue.push(t);
      }
    }
  }
  return { delta, outputs: out, lengths: keywords.map((k) => k.length) };
}

// Character classes for digit clustering.
const DIGIT = 1;
const LETTER = 2;
const SEPARATOR = 3;
const OTHER = 0;
const CLASS = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER;
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER;
for (const ch of " \t-./()+:") CLASS[ch.charCodeAt(0)] = SEPARATOR;

/** More separators than this in a row end a digit cluster. */
const MAX_SEPARATOR_RUN = 3;
/** Alphanumeric tokens longer than this cannot be one value; they break a cluster. */
const MAX_TOKEN_LENGTH = 40;

/**
 * Scan `text` once, reporting keyword hits and digit clusters to `sink`.
 *
 * A digit cluster is a run of alphanumeric tokens that each hold a digit, joined by at most
 * three separator characters (space, tab, `-./()+:`). A token longer than 40 characters
 * (such as a hash or a megabyte of digits) cannot be a single value and closes the cluster.
 *
 * @param text Folded text.
 * @param ac Keyword automaton.
 * @param sink Receives triggers in order of their end offset.
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
  const { delta, outputs, lengths } = ac;
  const n = text.length;
  let state = 0;
  let tokenStart = -1;
  let tokenDigits = 0;
  let clusterStart = -1;
  let clusterEnd = -1;
  let clusterDigits = 0;
  let separators = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0;
    const cls = i < n ? CLASS[c] : OTHER;
    if (i < n) {
      const folded = c >= 65 && c <= 90 ? c + 32 : c < ALPHABET ? c : 0;
      state = delta[state * ALPHABET + folded];
      const hits = outputs[state];
      if (hits.length !== 0) {
        for (let h = 0; h < hits.length; h++) {
          const id = hits[h];
          sink.keyword(id, i + 1 - lengths[id], i + 1);
        }
      }
    }
    if (cls === DIGIT || cls === LETTER) {
      if (tokenStart < 0) {
        tokenStart = i;
        tokenDigits = 0;
      }
      if (cls === DIGIT) tokenDigits++;
      continue;
    }
    if (tokenStart >= 0) {
      const tooLong = i - tokenStart > MAX_TOKEN_LENGTH;
      if (tokenDigits > 0 && !tooLong) {
        if (clusterDigits > 0 && separators <= MAX_SEPARATOR_RUN) {
          clusterEnd = i;
          clusterDigits += tokenDigits;
        } else {
          if (clusterDigits > 0) sink.cluster(clusterStart, clusterEnd, clusterDigits);
          clusterStart = tokenStart;
          clusterEnd = i;
          clusterDigits = tokenDigits;
        }
      } else if (clusterDigits > 0) {
        sink.cluster(clusterStart, clusterEnd, clusterDigits);
        clusterDigits = 0;
      }
      tokenStart = -1;
      separators = 0;
    }
    if (cls === SEPARATOR) {
      separators++;
    } else if (clusterDigits > 0) {
      sink.cluster(clusterStart, clusterEnd, clusterDigits);
      clusterDigits = 0;
    }
  }
}
