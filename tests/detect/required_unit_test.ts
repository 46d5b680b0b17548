import { assertEquals } from "../assert.ts";
import { requiredUnit } from "../../src/detect/_required_unit.ts";
import { compileRule } from "../../src/detect/compile_rule.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { Rng } from "../../scripts/corpus/rng.ts";

const unit = (source: string, flags = "") => requiredUnit(source, flags)?.source ?? null;

Deno.test("a required unit is a repeated punctuation atom of the top-level sequence", () => {
  assertEquals(unit(String.raw`key\s{0,4}(["'])\w{8}\1`), `["']`);
  assertEquals(unit(String.raw`(?<![:=])ab(?:@)c`), "@");
  assertEquals(unit(String.raw`a[\x22\-]{2,3}`), String.raw`[\x22\-]`);
  assertEquals(unit(String.raw`a[:=]+?b`), "[:=]");
});

Deno.test("no unit is required where a match may lack it", () => {
  for (
    const src of [
      String.raw`a:?b`, // optional
      String.raw`a[:=]{0,2}b`,
      String.raw`a:|b`, // top-level alternative
      String.raw`a(?:=>|:=)b`, // a group of alternatives
      String.raw`a(?=:)\w`, // inside a look-ahead
      String.raw`(?<!@)a`,
      String.raw`a.$`, // any unit, an anchor
      String.raw`^a`,
      String.raw`a[^:]b`, // negated class
      String.raw`a[+-/]b`, // a range
      String.raw`a[:b]c`, // a letter in the class
      String.raw`a\.b`, // an escape is not read as a literal
      String.raw`(?<name>:)a`,
    ]
  ) {
    assertEquals(unit(src), null, src);
  }
  assertEquals(unit("a:b", "u"), null);
});

Deno.test("every built-in match holds its rule's required unit", () => {
  const rng = new Rng(15).fork("required");
  let checked = 0;
  for (const [index, rule] of BUILTIN_RULES.entries()) {
    const c = compileRule(rule, index);
    if (c.requiredUnit === null) continue;
    checked++;
    const examples = [...rule.examples.positive, ...rule.examples.negative];
    const units = [...new Set([...examples.join(""), ..."\"'`:=,@_- "])];
    const texts = [...examples];
    for (let n = 0; n < 200; n++) {
      const example = rng.pick(examples);
      let noise = "";
      for (let k = rng.int(0, 8); k > 0; k--) noise += rng.pick(units);
      const cut = rng.int(0, example.length);
      texts.push(example.slice(0, cut) + noise + example.slice(cut));
    }
    let matched = 0;
    for (const text of texts) {
      for (const m of text.matchAll(c.re)) {
        matched++;
        assertEquals(c.requiredUnit.test(m[0]), true, `${rule.id}: ${JSON.stringify(m[0])}`);
      }
    }
    assertEquals(matched > 0, true, `${rule.id} matched nothing`);
  }
  assertEquals(checked >= 20, true, `${checked} rules`);
});
