import { createScanner } from "../../src/detect/scanner.ts";
import type { Rule } from "../../src/detect/rule.ts";
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
