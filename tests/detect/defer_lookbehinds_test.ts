import { assertEquals } from "../assert.ts";
import { deferLeadingLookbehinds } from "../../src/detect/_defer_lookbehinds.ts";
import { unrollCounts } from "../../src/detect/_unroll_counts.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { Rng } from "../../scripts/corpus/rng.ts";

Deno.test("leading look-behinds move past the first atom, or into each alternative of a group", () => {
  assertEquals(
    deferLeadingLookbehinds(String.raw`(?<!\w)SK\d`, ""),
    String.raw`S(?<!(?:\w)[^])K\d`,
  );
  assertEquals(
    deferLeadingLookbehinds(String.raw`(?<=[(])(?:ab|[xy]c)d`, "i"),
    String.raw`(?:a(?<=(?:[(])[^])b|[xy](?<=(?:[(])[^])c)d`,
  );
  assertEquals(
    deferLeadingLookbehinds(String.raw`(?<!x|\))(?:(?:a)b|c)`, ""),
    String.raw`(?:(?:a(?<!(?:x|\))[^]))b|c(?<!(?:x|\))[^]))`,
  );
});

Deno.test("look-behinds stay put when moving them is not plainly equivalent", () => {
  for (
    const src of [
      String.raw`(?<!x)a+b`, // quantified first atom
      String.raw`(?<!x)(?:a|b)?c`, // quantified group
      String.raw`(?<!x)(?:a|)b`, // an empty alternative
      String.raw`(?<!(x))a`, // a capture inside the look-behind
      String.raw`(?<!(?<n>x))a`,
      String.raw`(a)(?<!\1)b`, // does not start with a look-behind
      String.raw`(?<!x)(a)b`, // a capture group first
      String.raw`(?<!x)\bab`, // an assertion first
      String.raw`(?<!x)\u0041b`,
      String.raw`(?<!x`,
    ]
  ) {
    assertEquals(deferLeadingLookbehinds(src, ""), src, src);
  }
  assertEquals(deferLeadingLookbehinds(String.raw`(?<!x)ab`, "u"), String.raw`(?<!x)ab`);
});

/** Every match of a global regex: offset and each group, the scanner's view of a match. */
function matches(re: RegExp, text: string): string[] {
  return [...text.matchAll(re)].map((m) => JSON.stringify([m.index, ...m]));
}

Deno.test("every built-in pattern matches the same values with its look-behinds deferred", () => {
  const rng = new Rng(15).fork("lookbehinds");
  let deferred = 0;
  for (const rule of BUILTIN_RULES) {
    const flags = rule.pattern.flags + "g";
    const source = unrollCounts(rule.pattern.source, flags);
    const moved = deferLeadingLookbehinds(source, flags);
    if (moved === source) continue;
    deferred++;
    const before = new RegExp(source, flags);
    const after = new RegExp(moved, flags);
    const examples = [...rule.examples.positive, ...rule.examples.negative];
    // Units from the examples plus the edge characters look-behinds test for.
    const units = [...new Set([...examples.join(""), ..."+-./:_@ \n0aA"])];
    const texts = [...examples];
    for (let n = 0; n < 300; n++) {
      // Examples glued to random units, cut anywhere, and runs of random units.
      const example = rng.pick(examples);
      const cut = rng.int(0, example.length);
      let noise = "";
      for (let k = rng.int(0, 6); k > 0; k--) noise += rng.pick(units);
      texts.push(noise + example.slice(cut) + example.slice(0, cut), example + noise + example);
      let run = "";
      for (let k = rng.int(0, 80); k > 0; k--) run += rng.pick(units);
      texts.push(run);
    }
    for (const text of texts) {
      assertEquals(
        matches(after, text),
        matches(before, text),
        `${rule.id} on ${JSON.stringify(text)}`,
      );
    }
  }
  // Most rows open with a look-behind; the rewrite must keep reaching them.
  assertEquals(deferred > 40, true, `${deferred} rows deferred`);
});
