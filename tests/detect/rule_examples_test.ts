import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { createScanner } from "../../src/detect/scanner.ts";
import { assert } from "../assert.ts";

// Every row of the rule table proves itself with its own examples: a positive the row
// misses or a negative it fires on fails the suite, naming the rule.
for (const rule of BUILTIN_RULES) {
  Deno.test(`rule ${rule.id} finds each of its positive examples and none of its negatives`, () => {
    const alone = createScanner([rule]);
    assert(rule.examples.positive.length > 0, `${rule.id} has no positive examples`);
    assert(rule.examples.negative.length > 0, `${rule.id} has no negative examples`);
    for (const text of rule.examples.positive) {
      const found = alone.scan(text);
      assert(
        found.some((f) => f.type === rule.type),
        `${rule.id} missed its positive example ${JSON.stringify(text)}`,
      );
    }
    for (const text of rule.examples.negative) {
      const found = alone.scan(text);
      assert(
        found.length === 0,
        `${rule.id} fired on its negative example ${JSON.stringify(text)}`,
      );
    }
  });
}

Deno.test("the full rule table still reports each rule's positives under its own category", () => {
  const all = createScanner(BUILTIN_RULES);
  for (const rule of BUILTIN_RULES) {
    for (const text of rule.examples.positive) {
      assert(
        all.scan(text).some((f) => f.category === rule.category),
        `full table lost ${rule.id} positive ${JSON.stringify(text)}`,
      );
    }
  }
});
