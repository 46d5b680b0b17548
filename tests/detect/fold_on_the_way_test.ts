import { createScanner } from "../../src/detect/scanner.ts";
import { buildKeywordAutomaton, findKeywords } from "../../src/detect/triggers.ts";
import { TEST_RULES } from "../fixtures/rules.ts";
import { assertEquals } from "../assert.ts";

const KEY = TEST_RULES[1];
const EMAIL = TEST_RULES[0];
const values = (text: string) =>
  createScanner([EMAIL, KEY]).scan(text).map((f) => text.slice(f.start, f.end));

Deno.test("values before and after a character that folds to one unit are both found", () => {
  assertEquals(values("key tk_abcd1234 then ｗ and key tk_efgh5678"), [
    "tk_abcd1234",
    "tk_efgh5678",
  ]);
});

Deno.test("values around characters that fold to more or fewer units keep their offsets", () => {
  // "ﬁ" folds to two units and a zero-width space to none, so the folded text changes length.
  assertEquals(values("key tk_abcd1234 ﬁle bob@corp.example\u200b key tk_ef\u200bgh5678"), [
    "tk_abcd1234",
    "bob@corp.example",
    "tk_ef\u200bgh5678",
  ]);
});

Deno.test("text with emoji, which fold to themselves, is scanned as written", () => {
  assertEquals(values("😀 key tk_abcd1234 😀 bob@corp.example"), [
    "tk_abcd1234",
    "bob@corp.example",
  ]);
});

Deno.test("a paused keyword pass resumes in another text with the same prefix", () => {
  const ac = buildKeywordAutomaton(["key"], { stopAt: (c) => c === 0xff4b });
  const hits: number[] = [];
  const sink = { keyword: (_id: number, s: number) => hits.push(s) };
  const paused = findKeywords("a keｋey", ac, sink, undefined, true);
  assertEquals(paused.at, 4);
  findKeywords("a kekey", ac, sink, paused);
  assertEquals(hits, [4]);
});
