import { assertEquals } from "../assert.ts";
import { unrollCounts } from "../../src/detect/_unroll_counts.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";

Deno.test("exact and ranged counts of one-unit atoms become plain sequences", () => {
  assertEquals(unrollCounts(String.raw`\d{3}-\d{2}`, ""), String.raw`\d\d\d-\d\d`);
  assertEquals(unrollCounts("[A-Z]{2,4}x{1,3}", "i"), "[A-Z][A-Z][A-Z]{0,2}xx{0,2}");
  assertEquals(unrollCounts("a{2,2}", ""), "aa");
});

Deno.test("open counts are never unrolled into an unbounded star", () => {
  assertEquals(unrollCounts("x{1,}", ""), "x{1,}");
});

Deno.test("groups, backreferences, lazy counts, large counts and u-flag patterns stay as written", () => {
  for (const src of ["(ab){2}", String.raw`([-.])\d\1{2}`, "a{2,5}?", "a{21}", String.raw`\b{0}`]) {
    assertEquals(unrollCounts(src, ""), src);
  }
  assertEquals(unrollCounts(String.raw`\d{4}`, "u"), String.raw`\d{4}`);
});

Deno.test("a bracket class holding quantifier characters is one atom", () => {
  assertEquals(unrollCounts(String.raw`[{2}\]]{2}`, ""), String.raw`[{2}\]][{2}\]]`);
  assertEquals(unrollCounts("[^]{2}", ""), "[^][^]");
});

Deno.test("every built-in pattern matches the same spans after unrolling", () => {
  for (const rule of BUILTIN_RULES) {
    const flags = rule.pattern.flags + "g";
    const original = new RegExp(rule.pattern.source, flags);
    const unrolled = new RegExp(unrollCounts(rule.pattern.source, flags), flags);
    for (const text of [...rule.examples.positive, ...rule.examples.negative]) {
      const spans = (re: RegExp) => [...text.matchAll(re)].map((m) => `${m.index}:${m[0]}`);
      assertEquals(spans(unrolled), spans(original), `${rule.id} on an example`);
    }
  }
});
