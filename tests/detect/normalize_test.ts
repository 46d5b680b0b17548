import {
  FOLD_STABLE_RANGES,
  mayFold,
  normalizeForScan,
  normalizeUnitByUnit,
  toOriginalSpan,
} from "../../src/detect/normalize.ts";
import { assertEquals } from "../assert.ts";

Deno.test("every code point on the fold-free fast path is unchanged by NFKC", () => {
  const changed: string[] = [];
  for (const [a, b] of FOLD_STABLE_RANGES) {
    for (let c = a; c <= b; c++) {
      const ch = String.fromCharCode(c);
      if (ch.normalize("NFKC") !== ch) changed.push(c.toString(16));
    }
  }
  assertEquals(changed, []);
});

Deno.test("pairs of fast-path code points do not compose under NFKC", () => {
  // Every range's first, middle and last code point against every other's.
  const picks = FOLD_STABLE_RANGES.flatMap(([a, b]) => [a, (a + b) >> 1, b]);
  for (const x of picks) {
    for (const y of picks) {
      const s = String.fromCharCode(x, y);
      assertEquals(s.normalize("NFKC"), s, `${x.toString(16)} ${y.toString(16)}`);
    }
  }
});

Deno.test("text needing folding still takes the slow path with a full offset map", () => {
  const n = normalizeForScan("한국어 ｔｅｓｔ");
  assertEquals(n.text, "한국어 test");
  assertEquals(n.map !== null, true);
});

Deno.test("Korean, Japanese and accented Latin prose keep their original text", () => {
  for (
    const t of ["주민등록번호를 알려주세요", "マイナンバーを教えて", "Olá, número de segurança"]
  ) {
    const n = normalizeForScan(t);
    assertEquals(n.text, t);
    assertEquals(n.map, null);
  }
});

Deno.test("spans map back exactly across folded, dropped and copied stretches", () => {
  const original = "ab ｃｄ\u200bef ﬁg 😀 한글ｘ";
  const n = normalizeForScan(original);
  assertEquals(n.text, "ab cdef fig 😀 한글x");
  const span = (s: number, e: number) => original.slice(...toOriginalSpan(n, s, e));
  assertEquals(span(0, 2), "ab");
  assertEquals(span(3, 7), "ｃｄ\u200bef");
  assertEquals(span(8, 10), "ﬁ");
  assertEquals(span(8, 11), "ﬁg");
  assertEquals(span(12, 14), "😀");
  assertEquals(span(15, 18), "한글ｘ");
});

/** Fold each code point on its own: invisible controls vanish, the rest go through NFKC. */
function foldEach(text: string): { text: string; origin: [number, number][] } {
  let out = "";
  const origin: [number, number][] = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    const folded = /^\p{Default_Ignorable_Code_Point}$/u.test(ch) ? "" : ch.normalize("NFKC");
    out += folded;
    for (let k = 0; k < folded.length; k++) origin.push([i, i + width]);
    i += width;
  }
  return { text: out, origin };
}

Deno.test("folding matches folding each code point on its own, text and offsets", () => {
  const pieces = [
    "ｔｏｋｅｎ＝ＡＢＣ１２３",
    " ",
    "ascii words here",
    "x".repeat(40),
    "ﬁ",
    "\u200b",
    "😀",
    "\ud800",
    "\udc00",
    "한글",
    "㎏",
    "ｘ".repeat(5000),
    "é",
    // Units that fold to one unit outside ASCII (half-width katakana, full-width signs,
    // the ohm sign), so a run of folded units is not always ASCII.
    "ｶﾀｶﾅ",
    "￠￡￢",
    "\u2126",
  ];
  let x = 7;
  for (let round = 0; round < 20; round++) {
    let text = "";
    while (text.length < 12_000) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      text += pieces[(x >>> 8) % pieces.length];
    }
    const want = foldEach(text);
    const n = normalizeForScan(text);
    assertEquals(n.text, want.text, `round ${round}`);
    for (let k = 0; k < n.text.length; k++) {
      const [s, e] = toOriginalSpan(n, k, k + 1);
      const [ws, we] = want.origin[k];
      // A unit folded one for one maps to itself; one of several maps to its code point.
      const ok = (s === ws && e === we) || (e - s === 1 && s >= ws && e <= we);
      assertEquals(ok, true, `round ${round}, folded offset ${k}: got ${s}-${e}, from ${ws}-${we}`);
    }
  }
});

Deno.test("mayFold is true exactly for units outside ASCII and the fold-stable ranges", () => {
  const wrong: string[] = [];
  for (let c = 0; c < 0x10000; c++) {
    const stable = c < 0x80 || FOLD_STABLE_RANGES.some(([a, b]) => c >= a && c <= b);
    if (mayFold(c) === stable) wrong.push(c.toString(16));
  }
  assertEquals(wrong, []);
});

Deno.test("searching past stable stretches folds exactly as reading unit by unit", () => {
  const repeat = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
  // Stretch lengths on both sides of the copied-gap limit (32), the decoded-run limit (256)
  // and the run buffer (4096), for each kind of unit the fold loop treats differently.
  const lengths = [1, 2, 31, 32, 33, 255, 256, 257, 4095, 4096, 4097];
  const kinds = [
    "ascii words, with punctuation.", // copied or searched past
    "한국어 문장", // Hangul: fold-stable, two-byte text
    "éàüßÇ", // Latin-1 letters: stable but read through the table unit by unit
    "ゝゞ゛゜ァ", // kana around the voiced marks the loop passes over
    "ｔｏｋｅｎ＝ＡＢＣ１２３", // folds one for one to ASCII
    "ｶﾀｶﾅ￠", // folds one for one outside ASCII
    "ﬁ㎏…", // folds to several units
    "\u200b\u2060\ufeff", // dropped
    "😀𝐀𝟙", // surrogate pairs, kept or folded
    "\ud800x\udc00", // lone surrogates
  ];
  let x = 12345;
  const rand = (k: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
  for (let round = 0; round < 60; round++) {
    let text = "";
    const parts = 2 + rand(8);
    for (let p = 0; p < parts; p++) {
      if (rand(4) === 0) {
        // Any BMP unit, so units no list above names also cross the stretch edges.
        for (let k = rand(40); k > 0; k--) text += String.fromCharCode(rand(0x10000));
      } else {
        text += repeat(kinds[rand(kinds.length)], lengths[rand(lengths.length)]);
      }
    }
    const fast = normalizeForScan(text);
    const plain = normalizeUnitByUnit(text);
    assertEquals(fast.text, plain.text, `round ${round}`);
    assertEquals(fast.map, plain.map, `round ${round}`);
  }
});
