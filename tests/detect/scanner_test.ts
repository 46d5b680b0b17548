import { createScanner } from "../../src/detect/scanner.ts";
import type { Rule } from "../../src/detect/rule.ts";
import { normalizeForScan, toOriginalSpan } from "../../src/detect/normalize.ts";
import { buildKeywordAutomaton, findTriggers } from "../../src/detect/triggers.ts";
import { TEST_RULES } from "../fixtures/rules.ts";
import { BUILTIN_RULES as BUILTIN } from "../../src/detect/rules/mod.ts";
import { findUnboundedRepeats } from "../../src/detect/unbounded_repeats.ts";
import { HaechiError } from "../../src/errors.ts";
import { assert, assertEquals, assertThrows } from "../assert.ts";

const none = { positive: [], negative: [] };
const EMAIL = TEST_RULES[0];
const KEY = TEST_RULES[1];
const CARD = TEST_RULES[2];

Deno.test("a finding's offsets point at the value in the original text", () => {
  const text = "hello bob@corp.example!";
  const [f] = createScanner([EMAIL]).scan(text);
  assertEquals(text.slice(f.start, f.end), "bob@corp.example");
});

Deno.test("full-width letters and zero-width characters inside a value are folded before matching", () => {
  const text = "key ｔｋ＿ab\u200bcd1234 end";
  const [f] = createScanner([KEY]).scan(text);
  assertEquals(f.type, "test_key");
  assertEquals(text.slice(f.start, f.end), "ｔｋ＿ab\u200bcd1234");
});

Deno.test("bidi controls are stripped and offsets map back across astral characters", () => {
  const text = "😀😀 tk_ab\u202ecd1234";
  const [f] = createScanner([KEY]).scan(text);
  assertEquals(text.slice(f.start, f.end), "tk_ab\u202ecd1234");
});

Deno.test("the offset map covers ligatures that fold to several characters", () => {
  const n = normalizeForScan("ﬁle");
  assertEquals(n.text, "file");
  assertEquals(toOriginalSpan(n, 0, 2), [0, 1]);
  assertEquals(toOriginalSpan(n, 2, 4), [1, 3]);
});

Deno.test("keyword triggers match case-insensitively and report every overlapping keyword", () => {
  const ac = buildKeywordAutomaton(["token", "ken", "to"]);
  const hits: string[] = [];
  findTriggers("TOKEN", ac, {
    keyword: (id, s, e) => hits.push(`${id}:${s}-${e}`),
    cluster: () => {},
  });
  assertEquals(hits.sort(), ["0:0-5", "1:2-5", "2:0-2"]);
});

Deno.test("digit clusters join tokens across separators and stop at words or long tokens", () => {
  const ac = buildKeywordAutomaton(["x"]);
  const clusters: string[] = [];
  const sink = {
    keyword: () => {},
    cluster: (s: number, e: number, d: number) => clusters.push(`${s}-${e}:${d}`),
  };
  findTriggers("+82 (10) 1234-5678 in 2024", ac, sink);
  assertEquals(clusters, ["1-18:12", "22-26:4"]);
  clusters.length = 0;
  findTriggers("1".repeat(100) + " 12", ac, sink);
  assertEquals(clusters, ["101-103:2"]);
});

Deno.test("overlapping findings merge into one span named by the stronger rule", () => {
  const wide: Rule = {
    id: "test-wide",
    type: "wide",
    category: "secret",
    description: "wide",
    pattern: /key=tk_[a-z0-9]{8}/,
    trigger: { keywords: ["key="] },
    confidence: 0.5,
    hardBlock: true,
    examples: none,
  };
  const found = createScanner([wide, KEY]).scan("key=tk_abcd1234");
  assertEquals(found.length, 1);
  assertEquals(found[0].type, "test_key");
  assertEquals([found[0].start, found[0].end], [0, 15]);
});

Deno.test("allowlist and confidence floor silence soft findings but never hard-block ones", () => {
  const text = "ops@corp.example tk_abcd1234";
  const allow = createScanner([EMAIL, KEY], { allowlist: ["*@corp.example", "tk_abcd1234"] });
  assertEquals(allow.scan(text).map((f) => f.type), ["test_key"]);
  const floor = createScanner([EMAIL, KEY], { minConfidence: 0.999 });
  assertEquals(floor.scan(text).map((f) => f.type), ["test_key"]);
});

Deno.test("a context rule fires only with its keyword nearby and a veto word stops it", () => {
  const rule: Rule = {
    id: "test-ssn",
    type: "ssn",
    category: "pii",
    description: "ssn",
    pattern: /(?<!\d)\d{9}(?!\d)/,
    trigger: { digits: 9 },
    context: { words: ["ssn", "주민"] },
    excludeContext: { words: ["order"] },
    confidence: 0.9,
    hardBlock: true,
    examples: none,
  };
  const s = createScanner([rule]);
  assertEquals(s.scan("my SSN is 123456789").length, 1);
  assertEquals(s.scan("주민 123456789").length, 1);
  assertEquals(s.scan("call 123456789").length, 0);
  assertEquals(s.scan("ssn order 123456789").length, 0);
});

Deno.test("decode-and-rescan finds values in base64, URL-encoding and \\u escapes, only when enabled", () => {
  const b64 = btoa("secret tk_abcd1234 inside");
  const texts = [`blob ${b64} end`, "q=tk%5Fabcd1234%20x%20y", "s=\\u0074\\u006b_abcd1234"];
  const on = createScanner([KEY], { decode: true });
  const off = createScanner([KEY]);
  for (const t of texts) {
    const [f] = on.scan(t);
    assert(f !== undefined, `missed encoded value in ${t}`);
    assert(f.encoding !== undefined);
    assertEquals(off.scan(t).length, 0);
  }
});

Deno.test("decoding is bounded in depth", () => {
  let payload = "tk_abcd1234 is here";
  for (let i = 0; i < 4; i++) payload = btoa(payload);
  assertEquals(createScanner([KEY], { decode: { maxDepth: 2 } }).scan(payload).length, 0);
  assertEquals(createScanner([KEY], { decode: { maxDepth: 5 } }).scan(payload).length, 1);
});

Deno.test("hostile inputs finish and report nothing", () => {
  const s = createScanner([EMAIL, KEY, CARD]);
  const inputs = [
    " ".repeat(1 << 20),
    "a.".repeat(200_000),
    "token" + " ".repeat(1 << 20),
    "4".repeat(1 << 20),
    "1 ".repeat(300_000),
    "@a.".repeat(300_000),
    "tk_".repeat(200_000),
  ];
  for (const text of inputs) assertEquals(s.scan(text).length, 0);
});

Deno.test("a malformed rule row is refused at compile time, naming the rule", () => {
  assertThrows(
    () => createScanner([{ ...KEY, pattern: /tk_/g }]),
    TypeError,
    'Rule "test-key"',
  );
  assertThrows(() => createScanner([KEY, KEY]), TypeError, "duplicate id");
  assertThrows(() => createScanner([{ ...KEY, trigger: {} }]), TypeError, "needs trigger");
  assertThrows(
    () => createScanner([{ ...KEY, trigger: { keywords: ["TK_"] } }]),
    TypeError,
    "lowercase",
  );
});

Deno.test("a rule pattern that repeats without a bound is refused with rule.not_linear", () => {
  for (
    const [pattern, quantifier] of [[/tk_\w+/, "+"], [/tk_.*x/, "*"], [
      /tk_\d{4,}/,
      "{4,}",
    ]] as const
  ) {
    const err = assertThrows(
      () => createScanner([{ ...KEY, pattern }]),
      HaechiError,
      'Rule "test-key"',
    ) as HaechiError;
    assertEquals(err.code, "rule.not_linear");
    assertEquals(err.details.quantifier, quantifier);
  }
  // Quantifier characters inside a class, escaped or opening a group repeat nothing.
  createScanner([{ ...KEY, pattern: /(?:tk_)[+*]\+\*\{1,\}[a-z]{1,8}/ }]);
});

Deno.test("every built-in rule row is linear, so the built-in table compiles", () => {
  assertEquals(BUILTIN.filter((r) => findUnboundedRepeats(r.pattern.source).length > 0), []);
  createScanner(BUILTIN);
});

Deno.test("an ASCII context word counts only as a whole word, other scripts anywhere", () => {
  const rule: Rule = {
    id: "test-sin",
    type: "sin",
    category: "pii",
    description: "sin",
    pattern: /(?<!\d)\d{9}(?!\d)/,
    trigger: { digits: 9 },
    context: { words: ["sin", "주민번호"] },
    confidence: 0.9,
    hardBlock: true,
    examples: none,
  };
  const s = createScanner([rule]);
  assertEquals(s.scan("using 123456789").length, 0);
  assertEquals(s.scan("SIN: 123456789").length, 1);
  assertEquals(s.scan("주민번호는 123456789").length, 1);
});

Deno.test("a value anywhere in a long chain of numbers is found, and the chain costs pieces of bounded size", () => {
  const ac = buildKeywordAutomaton(["x"]);
  const clusters: [number, number, number][] = [];
  const sink = {
    keyword: () => {},
    cluster: (s: number, e: number, d: number) => clusters.push([s, e, d]),
  };
  const grid = "1 ".repeat(50_000);
  const text = "call 010-1234-5678 " + grid + "or 4111 1111 1111 1111 " + grid;
  findTriggers(text, ac, sink);
  // Pieces overlap by 64 units and end at a token, so each new one covers 150 or more.
  assert(clusters.length <= text.length / 150, `got ${clusters.length} clusters`);
  for (const [s, e] of clusters) assert(e - s <= 256, "a reported cluster is bounded");
  const found = createScanner([CARD]).scan(text);
  assertEquals(found.map((f) => text.slice(f.start, f.end)), ["4111 1111 1111 1111"]);
});

Deno.test("a value after or inside a long list of numbers is found wherever it falls", () => {
  const s = createScanner(BUILTIN);
  const list = Array.from({ length: 70 }, (_, i) => String(1000 + i)).join(" ");
  const prose = " and then we shipped the order to the customer via the usual carrier and " +
    "everything was fine after that for the rest of the week";
  const cases: [string, string][] = [
    [`${list} and the customer card 4111 1111 1111 1111 was used${prose}`, "payment_card"],
    [`${list} DE89 3704 0044 0532 0130 00 ${list}${prose}`, "iban"],
  ];
  for (const [text, type] of cases) {
    const types = s.scan(text).map((f) => f.type);
    assert(types.includes(type), `${type}: got [${types}]`);
  }
});

Deno.test("haechi's own token and redaction markers survive a second scan untouched", () => {
  const s = createScanner(BUILTIN);
  const text = "token: [TOKEN:email:abcdefghijklmnopqrst] and [REDACTED:github_token] ok";
  assertEquals(s.scan(text), []);
  const withSecret = "[TOKEN:email:abcdefghijklmnopqrst] password=Zq8vL2pXr7TkW4";
  assertEquals(s.scan(withSecret).map((f) => f.type), ["generic_secret"]);
});
