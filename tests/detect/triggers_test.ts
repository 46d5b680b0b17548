import { buildKeywordAutomaton, findClusters, findKeywords } from "../../src/detect/triggers.ts";
import { Rng } from "../../scripts/corpus/rng.ts";
import { assertEquals } from "../assert.ts";

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSeparator = (c: number) => " \t-./()+:_".includes(String.fromCharCode(c));

/**
 * Digit clusters found unit by unit, as documented on `findTriggers`: tokens with a digit
 * of at most 40 units joined by at most three separators. A chain past 256 units is a blob:
 * with white space in it, reported in pieces that end at a token and overlap by 64 units;
 * without, as its head (cut back to a token edge) and its last 128 units or so, up to the
 * first unit that is not alphanumeric or a separator (white space included).
 */
function clustersByWalking(text: string): number[][] {
  const out: number[][] = [];
  const n = text.length;
  const digitsIn = (a: number, b: number) => {
    let d = 0;
    for (let k = a; k < b; k++) if (isDigit(text.charCodeAt(k))) d++;
    return d;
  };
  const isSpace = (c: number) => c === 32 || c === 9;
  let at = 0;
  while (at < n) {
    if (!isDigit(text.charCodeAt(at))) {
      at++;
      continue;
    }
    let i = at;
    while (i > 0 && i > at - 40 && isAlnum(text.charCodeAt(i - 1))) i--;
    if (i > 0 && isAlnum(text.charCodeAt(i - 1))) {
      while (i < n && isAlnum(text.charCodeAt(i))) i++;
      at = i;
      continue;
    }
    let start = -1;
    let end = -1;
    let digits = 0;
    let spaced = false;
    let long = false;
    while (i < n) {
      const tokenStart = i;
      let tokenDigits = 0;
      for (; i < n && isAlnum(text.charCodeAt(i)); i++) {
        if (isDigit(text.charCodeAt(i))) tokenDigits++;
      }
      if (tokenDigits === 0 || i - tokenStart > 40) break;
      if (start < 0) start = tokenStart;
      if (i - start > 256) {
        long = true;
        break;
      }
      end = i;
      digits += tokenDigits;
      const gap = i;
      while (i < n && i - gap <= 3 && isSeparator(text.charCodeAt(i))) {
        if (isSpace(text.charCodeAt(i))) spaced = true;
        i++;
      }
      if (i === gap || i - gap > 3 || i >= n || !isAlnum(text.charCodeAt(i))) break;
    }
    if (!long) {
      if (digits > 0) out.push([start, end, digits]);
      at = Math.max(i, at + 1);
      continue;
    }
    if (spaced) {
      out.push([start, end, digits]);
      at = end - 64;
      continue;
    }
    let headEnd = start + 256;
    while (headEnd > start && isAlnum(text.charCodeAt(headEnd - 1))) headEnd--;
    if (headEnd === start) headEnd = start + 256;
    let runEnd = headEnd;
    const inRun = (c: number) => isAlnum(c) || (isSeparator(c) && !isSpace(c));
    while (runEnd < n && inRun(text.charCodeAt(runEnd))) runEnd++;
    while (runEnd > headEnd && isSeparator(text.charCodeAt(runEnd - 1))) runEnd--;
    if (digitsIn(start, headEnd) > 0) out.push([start, headEnd, digitsIn(start, headEnd)]);
    let tailStart = Math.max(headEnd, runEnd - 128);
    while (tailStart < runEnd && isAlnum(text.charCodeAt(tailStart - 1))) tailStart++;
    if (digitsIn(tailStart, runEnd) > 0) out.push([tailStart, runEnd, digitsIn(tailStart, runEnd)]);
    at = Math.max(runEnd, start + 1);
  }
  return out;
}

const clusters = (text: string) => {
  const found: number[][] = [];
  findClusters(text, { cluster: (s, e, d) => found.push([s, e, d]) });
  return found;
};

Deno.test("digit clusters agree with a unit-by-unit walk, for long chains with and without white space", () => {
  const rng = new Rng(15).fork("clusters");
  // Every unit that can end a long run: each ASCII unit and a few beyond.
  const enders = [...Array(128).keys(), 0xa0, 0xff10, 0x3000, 0xd800].map((c) =>
    String.fromCharCode(c)
  );
  const pieces = ["1", "7", "a", "Z", "x9", " ", "-", "/", "+", ":", "_", "(", ")", ".", "\t"];
  for (let round = 0; round < 1500; round++) {
    let text = "";
    const length = rng.int(0, 900);
    while (text.length < length) {
      const roll = rng.next();
      if (roll < 0.05) text += rng.pick(enders);
      else if (roll < 0.1) text += rng.chars("0123456789abcdefXY+/", rng.int(30, 700));
      else text += rng.pick(pieces);
    }
    assertEquals(clusters(text), clustersByWalking(text), JSON.stringify(text));
  }
  for (const end of enders) {
    const text = "q " + "12ab+".repeat(200) + "++" + end + "9";
    assertEquals(clusters(text), clustersByWalking(text), JSON.stringify(end));
  }
});

/** Every keyword occurrence, a keyword letter matching itself or its single-unit capital. */
function keywordsByBruteForce(text: string, keywords: readonly string[]): string[] {
  const hits: string[] = [];
  keywords.forEach((kw, id) => {
    for (let s = 0; s + kw.length <= text.length; s++) {
      let ok = true;
      for (let k = 0; k < kw.length && ok; k++) {
        const t = text[s + k];
        const upper = kw[k].toUpperCase();
        ok = t === kw[k] || (upper.length === 1 && t === upper);
      }
      if (ok) hits.push(`${s + kw.length}:${id}:${s}`);
    }
  });
  return hits.sort();
}

Deno.test("keyword hits agree with brute force, with and without a pause at stop units", () => {
  const rng = new Rng(15).fork("keywords");
  const keywords = ["@", "sk", "sk-", "token", "ok", "kk", "비번", "tél", "a.b"];
  const stop = 0xff4b;
  const ac = buildKeywordAutomaton(keywords, { stopAt: (c) => c === stop });
  const units = [
    "@",
    "s",
    "S",
    "k",
    "K",
    "-",
    "t",
    "T",
    "o",
    "e",
    "n",
    "비",
    "번",
    "é",
    "É",
    "l",
    "a",
    ".",
    "b",
    " ",
    "\uff4b",
  ];
  for (let round = 0; round < 2000; round++) {
    let text = "";
    for (let n = rng.int(0, 120); n > 0; n--) text += rng.pick(units);
    const hits: string[] = [];
    const sink = { keyword: (id: number, s: number, e: number) => hits.push(`${e}:${id}:${s}`) };
    findKeywords(text, ac, sink);
    assertEquals(hits.sort(), keywordsByBruteForce(text, keywords), JSON.stringify(text));
    // Pausing at the first stop unit and resuming in the same text changes nothing.
    const paused: string[] = [];
    const pausedSink = {
      keyword: (id: number, s: number, e: number) => paused.push(`${e}:${id}:${s}`),
    };
    const progress = findKeywords(text, ac, pausedSink, undefined, true);
    assertEquals(progress.at, text.includes("\uff4b") ? text.indexOf("\uff4b") : text.length);
    findKeywords(text, ac, pausedSink, progress);
    assertEquals(paused.sort(), hits);
  }
});
