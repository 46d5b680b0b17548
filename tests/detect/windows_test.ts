import { RuleWindows, type WindowReach } from "../../src/detect/windows.ts";
import { Rng } from "../../scripts/corpus/rng.ts";
import { assertEquals } from "../assert.ts";

/** What the scan reads from a rule's windows: their union, touching windows joined. */
function union(w: readonly number[] | undefined): number[] {
  if (w === undefined) return [];
  const pairs: [number, number][] = [];
  for (let i = 0; i < w.length; i += 2) pairs.push([w[i], w[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) {
    if (out.length > 0 && s <= out[out.length - 1]) {
      out[out.length - 1] = Math.max(out[out.length - 1], e);
    } else out.push(s, e);
  }
  return out;
}

interface Hit {
  kind: "keyword" | "cluster";
  a: number;
  start: number;
  end: number;
}

/** One window per hit and woken rule, as the scanner opened them before hits were joined. */
function perHit(
  rules: readonly WindowReach[],
  keywordRules: readonly (readonly number[])[],
  hits: readonly Hit[],
  length: number,
): number[][] {
  const table: number[][] = rules.map(() => []);
  for (const h of hits) {
    const woken = h.kind === "keyword"
      ? keywordRules[h.a].map((r) => rules[r])
      : rules.filter((r) => r.digits <= h.a);
    for (const r of woken) {
      const [before, after] = h.kind === "keyword"
        ? [r.before, r.after]
        : [r.digitBefore, r.digitAfter];
      table[r.index].push(Math.max(0, h.start - before), Math.min(length, h.end + after));
    }
  }
  return table;
}

/** Keyword hits in the order a keyword pass reports them (by end), then clusters in order. */
function randomHits(rng: Rng, keywordLengths: readonly number[], length: number): Hit[] {
  const keywordHits: Hit[] = [];
  const dense = rng.chance(0.5);
  for (let n = rng.int(0, 60); n > 0; n--) {
    const id = rng.int(0, keywordLengths.length - 1);
    const end = dense
      ? rng.int(keywordLengths[id], Math.min(length, 400))
      : rng.int(keywordLengths[id], length);
    keywordHits.push({ kind: "keyword", a: id, start: end - keywordLengths[id], end });
  }
  keywordHits.sort((x, y) => x.end - y.end);
  const clusters: Hit[] = [];
  let at = rng.int(0, 50);
  for (let n = rng.int(0, 40); n > 0 && at < length; n--) {
    const end = Math.min(length, at + rng.int(1, 30));
    // Now and then a count past the scanner's table of wake levels (1024 digits).
    const digits = rng.chance(0.1) ? rng.int(1000, 1100) : rng.int(1, 14);
    clusters.push({ kind: "cluster", a: digits, start: at, end });
    at = end + rng.int(1, dense ? 20 : 300);
  }
  return [...keywordHits, ...clusters];
}

Deno.test("joined trigger runs open the same windows as one window per hit and rule", () => {
  const rng = new Rng(15);
  for (let round = 0; round < 3000; round++) {
    const ruleCount = rng.int(1, 6);
    const rules: WindowReach[] = [];
    for (let i = 0; i < ruleCount; i++) {
      rules.push({
        index: i,
        before: rng.int(0, 80),
        after: rng.int(0, 300),
        digitBefore: rng.int(0, 60),
        digitAfter: rng.int(0, 60),
        digits: rng.chance(0.3)
          ? Infinity
          : rng.chance(0.15)
          ? rng.int(1000, 1100)
          : rng.int(1, 14),
      });
    }
    const keywordLengths = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 6));
    const keywordRules = keywordLengths.map(() =>
      rules.filter(() => rng.chance(0.5)).map((r) => r.index)
    ).map((ids) => ids.length > 0 ? ids : [rng.int(0, ruleCount - 1)]);
    const digitRules = rules.filter((r) => r.digits !== Infinity).sort((a, b) =>
      a.digits - b.digits
    );
    const length = rng.int(1, 2000);
    const hits = randomHits(rng, keywordLengths, length);
    const windows = new RuleWindows({ rules, keywordRules, digitRules }, length);
    for (const h of hits) {
      if (h.kind === "keyword") windows.keyword(h.a, h.start, h.end);
      else windows.cluster(h.start, h.end, h.a);
    }
    const joined = windows.finish();
    const expected = perHit(rules, keywordRules, hits, length);
    for (const r of rules) {
      assertEquals(
        union(joined[r.index]),
        union(expected[r.index]),
        `round ${round} rule ${r.index}`,
      );
      const w = joined[r.index] ?? [];
      for (let i = 2; i < w.length; i += 2) assertEquals(w[i] >= w[i - 2], true, "sorted");
    }
  }
});

Deno.test("after a reset only the triggers that follow open windows", () => {
  const rule = { index: 0, before: 5, after: 5, digitBefore: 5, digitAfter: 5, digits: 3 };
  const windows = new RuleWindows({ rules: [rule], keywordRules: [[0]], digitRules: [rule] }, 100);
  windows.keyword(0, 10, 12);
  windows.cluster(20, 25, 4);
  windows.reset(50);
  windows.keyword(0, 40, 42);
  windows.cluster(44, 46, 2);
  assertEquals(windows.finish(), [[35, 47]]);
});
