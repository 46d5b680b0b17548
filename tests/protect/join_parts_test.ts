// Sibling text parts: joined only where a value spans them.
import { assertEquals, assertStrictEquals } from "../assert.ts";
import { joinSplitTextParts } from "../../src/protect/mod.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";

const scanner = createProtector(DEFAULT_CONFIG).scanner;
const scan = (t: string) => scanner.scan(t);
const TOKEN = "ghp_" + "Zq7Xw2Lm9Kd4Rt6Yp1Vb8Nc3Hs5Gf0Ju2Ea9";

Deno.test("text parts no value spans are returned as they were", () => {
  const parts = [{ type: "text", text: "Found 2 files" }, { type: "text", text: "in the archive" }];
  assertStrictEquals(joinSplitTextParts(parts, scan), parts);
});

Deno.test("a value split across two text parts merges them into one part holding it whole", () => {
  const parts = [
    { type: "text", text: "intro" },
    { type: "text", text: `key ${TOKEN.slice(0, 20)}`, annotations: [] },
    { type: "text", text: `${TOKEN.slice(20)} end` },
    { type: "image", data: "aGk=" },
  ];
  assertEquals(joinSplitTextParts(parts, scan), [
    { type: "text", text: "intro" },
    { type: "text", text: `key ${TOKEN} end`, annotations: [] },
    { type: "image", data: "aGk=" },
  ]);
});

Deno.test("parts that are not text separate runs: a value is not joined across an image", () => {
  const parts = [
    { type: "text", text: TOKEN.slice(0, 20) },
    { type: "image", data: "aGk=" },
    { type: "text", text: TOKEN.slice(20) },
  ];
  assertStrictEquals(joinSplitTextParts(parts, scan), parts);
});

Deno.test("Gemini parts without a type and Responses output_text parts are text parts", () => {
  assertEquals(joinSplitTextParts([{ text: TOKEN.slice(0, 9) }, { text: TOKEN.slice(9) }], scan), [
    { text: TOKEN },
  ]);
  assertEquals(
    joinSplitTextParts([
      { type: "output_text", text: `a ${TOKEN.slice(0, 30)}` },
      { type: "output_text", text: TOKEN.slice(30) },
    ], scan),
    [{ type: "output_text", text: `a ${TOKEN}` }],
  );
});
