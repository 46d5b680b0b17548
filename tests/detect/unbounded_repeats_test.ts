import { boundRepeats, findUnboundedRepeats } from "../../src/detect/unbounded_repeats.ts";
import { assertEquals } from "../assert.ts";

const quantifiers = (source: string) => findUnboundedRepeats(source).map((r) => r.quantifier);

Deno.test("star, plus and open counts are unbounded; bounded counts and ? are not", () => {
  assertEquals(quantifiers(String.raw`a*b+c{2,}d{2}e{1,3}f?`), ["*", "+", "{2,}"]);
  assertEquals(quantifiers(String.raw`a*?b+?`), ["*", "+"]);
});

Deno.test("escapes, classes and group openers hide quantifier characters", () => {
  assertEquals(quantifiers(String.raw`\+\*\{2,\}[+*]{1,4}[]+`), ["+"]);
  assertEquals(quantifiers(String.raw`[^]*(?:x)(?=y)(?<n>z)`), ["*"]);
  assertEquals(quantifiers(String.raw`[\]+]x`), []);
});

Deno.test("capping keeps laziness and never lowers a larger minimum", () => {
  assertEquals(
    boundRepeats(String.raw`\d+?x*y{3,}z{9000,}`, 1024),
    String.raw`\d{1,1024}?x{0,1024}y{3,1024}z{9000,9000}`,
  );
  assertEquals(boundRepeats(String.raw`[+]\+a{1,2}`, 8), String.raw`[+]\+a{1,2}`);
});
