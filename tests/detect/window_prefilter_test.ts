import { createScanner } from "../../src/detect/scanner.ts";
import type { Rule } from "../../src/detect/rule.ts";
import { compileRule, unitsLoweringTo } from "../../src/detect/compile_rule.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { assertEquals } from "../assert.ts";

const none = { positive: [], negative: [] };

/** A digit rule gated on nearby words, like the keyword variants of national IDs. */
const GATED: Rule = {
  id: "demo-gated",
  type: "demo_id",
  category: "pii",
  description: "Nine digits next to a demo word",
  pattern: /\b\d{9}\b/,
  trigger: { digits: 9 },
  windowRequires: ["ssn", "sofi", "ωσ"],
  windowBefore: 96,
  confidence: 0.9,
  hardBlock: false,
  examples: none,
};

const found = (text: string) =>
  createScanner([GATED]).scan(text).map((f) => text.slice(f.start, f.end));

Deno.test("a window prefilter word matches in any letter case", () => {
  assertEquals(found("SSN 536228146"), ["536228146"]);
  assertEquals(found("Ssn: 536228146 and 999999999 far away" + " x".repeat(200) + " 123456789"), [
    "536228146",
    "999999999",
  ]);
});

Deno.test("a window without any prefilter word is not matched", () => {
  assertEquals(found("order 536228146 shipped"), []);
});

Deno.test("a dotted capital I elsewhere in the text does not shift where prefilter words are found", () => {
  // "İ" lowercases to two units, so the scanner cannot slice one lowercase copy of this text.
  assertEquals(found("İİİİ " + "x ".repeat(30) + "SOFİ 536228146"), ["536228146"]);
  assertEquals(found("İstanbul order 536228146 ssn" + " x".repeat(100)), ["536228146"]);
  assertEquals(found("İİİİİİİİ order 536228146, " + "x ".repeat(60) + "ssn"), []);
});

Deno.test("a prefilter word with a sigma follows the lowercase of the window itself", () => {
  // A capital sigma lowercases to final "ς" at the end of a word and to "σ" inside one.
  assertEquals(found("ΩΣΑ 536228146"), ["536228146"]);
  assertEquals(found("ΩΣ 536228146"), []);
});

Deno.test("a prefilter word across a 4096-unit block edge of a long text is found", () => {
  for (const pad of [4090, 4093, 4094, 4095, 4096]) {
    const text = "x ".repeat(pad / 2) + (pad % 2 === 0 ? "" : " ") + "SSN 536228146 İ";
    assertEquals(found(text), ["536228146"], `padding ${pad}`);
  }
  assertEquals(found("İ " + "x ".repeat(2100) + "Ssn 536228146"), ["536228146"]);
});

/** The same gate without a sigma word, so its prefilter reads the text without lowercasing it. */
const KEYED: Rule = { ...GATED, id: "demo-keyed", windowRequires: ["kennung", "tél"] };

const keyed = (text: string) =>
  createScanner([KEYED]).scan(text).map((f) => text.slice(f.start, f.end));

Deno.test("a prefilter word matches every unit that lowercases to its letters, and no other", () => {
  // The Kelvin sign lowercases to "k" though a case-insensitive regex does not fold it.
  assertEquals(keyed("\u212aENNUNG 536228146"), ["536228146"]);
  assertEquals(keyed("KeNnUnG 536228146"), ["536228146"]);
  assertEquals(keyed("TÉL 536228146"), ["536228146"]);
  // The long s uppercases to "S" but lowercases to itself; neither is a prefilter letter here.
  assertEquals(keyed("TEL 536228146"), []);
  assertEquals(keyed("kennunq 536228146"), []);
});

Deno.test("every built-in prefilter read on the text as it is agrees with it read on the lowercase", () => {
  const samples: string[] = [];
  for (const r of BUILTIN_RULES) {
    for (const w of r.windowRequires ?? r.context?.words ?? []) {
      samples.push(w, w.toUpperCase(), `x ${w[0].toUpperCase()}${w.slice(1)} y`);
      samples.push(w.replaceAll("k", "\u212a"), w.replaceAll("s", "\u017f"), w.slice(1));
    }
  }
  let checked = 0;
  BUILTIN_RULES.forEach((rule, i) => {
    const c = compileRule(rule, i);
    if (c.requires === null || c.requiresCased === null) return;
    checked++;
    for (const s of samples) {
      assertEquals(c.requiresCased.test(s), c.requires.test(s.toLowerCase()), `${rule.id}: ${s}`);
    }
  });
  assertEquals(checked > 0, true);
});

Deno.test("the fixed case pairs of prefilter letters are exactly the units that lowercase to them", () => {
  const lowerOf = new Int32Array(0x10000);
  const canonical = new Int32Array(0x10000);
  const byCanonical = new Map<number, number[]>();
  for (let u = 0; u < 0x10000; u++) {
    const ch = String.fromCharCode(u);
    const lower = ch.toLowerCase();
    lowerOf[u] = lower.length === 1 ? lower.charCodeAt(0) : -1;
    // ECMAScript's Canonicalize for a case-insensitive regex without the u flag.
    const upper = ch.toUpperCase();
    const canon = upper.length === 1 && !(u >= 128 && upper.charCodeAt(0) < 128)
      ? upper.charCodeAt(0)
      : u;
    canonical[u] = canon;
    const list = byCanonical.get(canon);
    if (list === undefined) byCanonical.set(canon, [u]);
    else list.push(u);
  }
  const sourcesOf = new Map<number, number[]>();
  for (let u = 0; u < 0x10000; u++) {
    if (lowerOf[u] < 0) continue;
    const list = sourcesOf.get(lowerOf[u]);
    if (list === undefined) sourcesOf.set(lowerOf[u], [u]);
    else list.push(u);
  }
  const letters: number[] = [];
  for (let c = 0; c < 0x100; c++) letters.push(c);
  for (const [from, to] of [[0x900, 0x97f], [0x3041, 0x30ff], [0x4e00, 0x9fff], [0xac00, 0xd7a3]]) {
    for (let c = from; c <= to; c++) letters.push(c);
  }
  for (const c of letters) {
    const got = unitsLoweringTo(c);
    const sources = sourcesOf.get(c) ?? [];
    const closed = sources.every((s) =>
      byCanonical.get(canonical[s])!.every((v) => sources.includes(v))
    );
    const want = sources.length > 0 && closed ? sources : null;
    assertEquals(got, want, `U+${c.toString(16)}`);
  }
  // The regex engine agrees on the letters where the pairs are not plain upper and lower case.
  const every = Array.from({ length: 0x10000 }, (_, u) => String.fromCharCode(u)).join("");
  for (const c of [0x6b, 0x69, 0x73, 0xe9, 0xac00]) {
    const cls = new RegExp(`[${String.fromCharCode(...unitsLoweringTo(c)!)}]`, "gi");
    const taken = [...every.matchAll(cls)].map((m) => m.index);
    assertEquals(taken, unitsLoweringTo(c), `U+${c.toString(16)}`);
  }
});

Deno.test("a prefilter built as a prefix tree of its words answers as words.some(includes)", () => {
  const wordLists: string[][] = [
    ["tel", "telephone", "telefono", "tél", "teléfono", "tel:", "tel ", "cell", "call"],
    ["a.b", "a*b", "(x)", "[y]", "$z^", "a|b", "\\q", "/p/", "?"],
    ["비밀번호", "비번", "패스워드", "ssn", "ss", "s"],
  ];
  for (const r of BUILTIN_RULES) {
    const words = r.windowRequires ?? r.context?.words;
    if (words !== undefined) wordLists.push([...words]);
  }
  for (const words of wordLists) {
    const c = compileRule({ ...GATED, windowRequires: words }, 0);
    const samples = [
      "",
      "nothing to see",
      ...words.flatMap((w) => [w, w.slice(0, -1), w.slice(1), `x${w}y`, `${w.slice(0, -1)} ${w}`]),
      words.join(""),
      words.map((w) => w.slice(0, -1)).join(" "),
    ];
    for (const s of samples) {
      const expected = words.some((w) => s.includes(w));
      assertEquals(c.requires!.test(s), expected, `${words.join(",")}: ${JSON.stringify(s)}`);
      if (c.requiresCased !== null) {
        assertEquals(c.requiresCased.test(s), expected, `${words.join(",")}: ${JSON.stringify(s)}`);
      }
    }
  }
});
