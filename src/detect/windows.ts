/**
 * Where each woken rule runs: the windows its triggers open, per rule, merged as they
 * arrive. Only the union of a rule's windows matters to the scan (overlapping windows are
 * matched as one), so trigger hits whose windows overlap for every rule they wake are held
 * as one run and open one window per rule: a text dense with one trigger (`"@a.@a.…"`, a
 * page of `token=ABC123`) costs a comparison per hit rather than a window per hit and rule.
 *
 * @module
 */

import type { TriggerSink } from "./triggers.ts";

/** The window sizes of a rule, as the scanner compiled them. */
export interface WindowReach {
  /** Index of the rule in its table. */
  readonly index: number;
  /** How far a keyword window opens before the keyword. */
  readonly before: number;
  /** How far a keyword window reaches after the keyword. */
  readonly after: number;
  /** How far a cluster window opens before the cluster. */
  readonly digitBefore: number;
  /** How far a cluster window reaches after the cluster. */
  readonly digitAfter: number;
  /** Minimum cluster digits, or Infinity for keyword-only rules. */
  readonly digits: number;
}

/** The rules each trigger wakes, fixed when a scanner is built. */
export interface TriggerListeners<R extends WindowReach> {
  /** Rules in table order (a rule's `index` is its place here). */
  readonly rules: readonly R[];
  /** Rule indices woken by each keyword id. */
  readonly keywordRules: readonly (readonly number[])[];
  /** Rules with a digit trigger, fewest digits first. */
  readonly digitRules: readonly R[];
}

/**
 * Windows per rule as flat `[start, end, start, end, …]`, sorted by start; overlapping or
 * touching windows may still follow one another (the scan merges them after widening).
 */
export type WindowTable = (number[] | undefined)[];

/** Cluster digit counts past this are looked up by walking the digit rules. */
const MAX_LEVEL_TABLE = 1024;

/** What {@linkcode RuleWindows.reach} works out once per rule table. */
export interface WindowGaps {
  /** Per keyword id, the largest gap between hits that still join. */
  readonly keyword: readonly number[];
  /** Per wake level, the largest gap between clusters that still join. */
  readonly cluster: readonly number[];
  /** Wake level by cluster digits, up to the largest rule threshold (or 1024). */
  readonly levels: Uint32Array;
}

/**
 * A trigger sink that collects windows per rule. Keyword hits must arrive in the order the
 * keyword pass reports them and clusters in text order, as `findTriggers` does.
 *
 * @example
 * ```ts
 * import { RuleWindows } from "./windows.ts";
 * const email = { index: 0, before: 4, after: 8, digitBefore: 0, digitAfter: 0, digits: Infinity };
 * const w = new RuleWindows({ rules: [email], keywordRules: [[0]], digitRules: [] }, 100);
 * for (let at = 10; at < 40; at += 3) w.keyword(0, at, at + 1);
 * w.keyword(0, 90, 91);
 * if (w.finish().join() !== "6,46,86,99") throw new Error(String(w.finish()));
 * ```
 */
export class RuleWindows<R extends WindowReach> implements TriggerSink {
  readonly #on: TriggerListeners<R>;
  /** Text length, which windows never pass. */
  length: number;
  #table: WindowTable;
  /** For each keyword id, the largest gap between hits whose windows overlap for every rule. */
  readonly #keywordReach: readonly number[];
  /** For each wake level (how many digit rules a cluster wakes), the same gap for clusters. */
  readonly #clusterReach: readonly number[];
  /** Wake level by cluster digits, for counts up to the table's length. */
  readonly #levels: Uint32Array;
  #runKeyword = -1;
  #runStart = 0;
  #runEnd = 0;
  #clusterLevel = 0;
  #clusterStart = 0;
  #clusterEnd = 0;

  /**
   * @param listeners The rules and what wakes them.
   * @param length Length of the text the triggers come from.
   * @param reach Precomputed gaps from {@linkcode RuleWindows.reach}, to share between scans.
   */
  constructor(
    listeners: TriggerListeners<R>,
    length: number,
    reach: WindowGaps = RuleWindows.reach(listeners),
  ) {
    this.#on = listeners;
    this.length = length;
    this.#table = new Array(listeners.rules.length);
    this.#keywordReach = reach.keyword;
    this.#clusterReach = reach.cluster;
    this.#levels = reach.levels;
  }

  /**
   * The largest gap between two hits of one trigger at which their windows still overlap for
   * every rule it wakes: per keyword id, and per cluster wake level (the first `n` digit
   * rules).
   */
  static reach<R extends WindowReach>(
    on: TriggerListeners<R>,
  ): WindowGaps {
    const keyword = on.keywordRules.map((ids) =>
      Math.min(...ids.map((r) => on.rules[r].before + on.rules[r].after))
    );
    const cluster = [Infinity];
    for (const c of on.digitRules) {
      cluster.push(Math.min(cluster[cluster.length - 1], c.digitBefore + c.digitAfter));
    }
    const most = on.digitRules.reduce((m, c) => Math.max(m, c.digits), 0);
    const levels = new Uint32Array(Math.min(most, MAX_LEVEL_TABLE) + 1);
    for (let d = 0; d < levels.length; d++) {
      levels[d] = on.digitRules.filter((c) => c.digits <= d).length;
    }
    return { keyword, cluster, levels };
  }

  /** Drop every window: the triggers start over on a text of `length`. */
  reset(length: number): void {
    this.length = length;
    this.#table = new Array(this.#on.rules.length);
    this.#runKeyword = -1;
    this.#clusterLevel = 0;
  }

  keyword(id: number, start: number, end: number): void {
    if (id === this.#runKeyword && start - this.#runEnd <= this.#keywordReach[id]) {
      this.#runEnd = end;
      return;
    }
    this.#closeKeywordRun();
    this.#runKeyword = id;
    this.#runStart = start;
    this.#runEnd = end;
  }

  cluster(start: number, end: number, digits: number): void {
    const levels = this.#levels;
    const level = digits < levels.length ? levels[digits] : this.#levelPastTable(digits);
    if (level === 0) return;
    if (level === this.#clusterLevel && start - this.#clusterEnd <= this.#clusterReach[level]) {
      this.#clusterEnd = end;
      return;
    }
    this.#closeClusterRun();
    this.#clusterLevel = level;
    this.#clusterStart = start;
    this.#clusterEnd = end;
  }

  /** The windows of every rule, once all triggers are in; rules without any are undefined. */
  finish(): WindowTable {
    this.#closeKeywordRun();
    this.#closeClusterRun();
    const table = this.#table;
    for (let r = 0; r < table.length; r++) {
      const w = table[r];
      if (w !== undefined) table[r] = sortWindows(w);
    }
    return table;
  }

  /** The wake level of a count past the table: every rule, unless one asks for more. */
  #levelPastTable(digits: number): number {
    const rules = this.#on.digitRules;
    let n = 0;
    while (n < rules.length && rules[n].digits <= digits) n++;
    return n;
  }

  #closeKeywordRun(): void {
    if (this.#runKeyword < 0) return;
    const ids = this.#on.keywordRules[this.#runKeyword];
    this.#runKeyword = -1;
    for (let k = 0; k < ids.length; k++) {
      const c = this.#on.rules[ids[k]];
      this.#add(c.index, this.#runStart - c.before, this.#runEnd + c.after);
    }
  }

  #closeClusterRun(): void {
    const level = this.#clusterLevel;
    this.#clusterLevel = 0;
    for (let k = 0; k < level; k++) {
      const c = this.#on.digitRules[k];
      this.#add(c.index, this.#clusterStart - c.digitBefore, this.#clusterEnd + c.digitAfter);
    }
  }

  /** Add a window, merged with the rule's last one when it starts inside it. */
  #add(rule: number, from: number, to: number): void {
    const start = Math.max(0, from);
    const end = Math.min(this.length, to);
    let w = this.#table[rule];
    if (w === undefined) {
      w = [];
      this.#table[rule] = w;
    }
    const last = w.length - 1;
    if (last > 0 && start <= w[last] && start >= w[last - 1]) {
      if (end > w[last]) w[last] = end;
    } else {
      w.push(start, end);
    }
  }
}

/** Keyword and digit triggers arrive in two ordered runs; put a rule's windows in one order. */
function sortWindows(w: number[]): number[] {
  for (let i = 2; i < w.length; i += 2) {
    if (w[i] < w[i - 2]) {
      const pairs: [number, number][] = [];
      for (let k = 0; k < w.length; k += 2) pairs.push([w[k], w[k + 1]]);
      pairs.sort((a, b) => a[0] - b[0]);
      return pairs.flat();
    }
  }
  return w;
}
