import { canonicalJson } from "../../src/signing/mod.ts";
import { assertEquals, assertThrows } from "../assert.ts";

Deno.test("object keys are sorted at every level and whitespace is dropped", () => {
  assertEquals(
    canonicalJson({ z: 1, a: { y: [3, { c: 1, b: 2 }], x: "s" } }),
    '{"a":{"x":"s","y":[3,{"b":2,"c":1}]},"z":1}',
  );
});

Deno.test("keys sort by UTF-16 code units, so uppercase precedes lowercase", () => {
  assertEquals(canonicalJson({ b: 1, B: 2, "é": 3, a: 4 }), '{"B":2,"a":4,"b":1,"é":3}');
});

Deno.test("numbers use the shortest round-trip form and -0 becomes 0", () => {
  assertEquals(canonicalJson([1.5, -0, 1e21, 0.1, 100]), "[1.5,0,1e+21,0.1,100]");
});

Deno.test("strings are escaped as JSON.stringify escapes them", () => {
  assertEquals(canonicalJson('a"b\\c\n\u0001\ud800'), '"a\\"b\\\\c\\n\\u0001\\ud800"');
});

Deno.test("an undefined property is omitted, matching a JSON round trip", () => {
  const value = { a: 1, b: undefined };
  assertEquals(canonicalJson(value), canonicalJson(JSON.parse(JSON.stringify(value))));
});

Deno.test("key order of the input does not change the output", () => {
  assertEquals(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

Deno.test("values JSON cannot carry losslessly are rejected", () => {
  assertThrows(() => canonicalJson(NaN), TypeError);
  assertThrows(() => canonicalJson({ a: Infinity }), TypeError, "$.a");
  assertThrows(() => canonicalJson([undefined]), TypeError);
  assertThrows(() => canonicalJson(10n), TypeError);
  assertThrows(() => canonicalJson(new Date(0)), TypeError);
  assertThrows(() => canonicalJson(() => 1), TypeError);
});

Deno.test("a cycle or very deep nesting is a RangeError, not a stack overflow", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assertThrows(() => canonicalJson(cyclic), RangeError);
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  assertThrows(() => canonicalJson(deep), RangeError);
});
