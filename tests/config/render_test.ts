import { assert, assertEquals } from "../assert.ts";
import { CONFIG_SCHEMA, DEFAULT_CONFIG, renderConfigFile } from "../../src/config/mod.ts";
import type { HaechiConfig } from "../../src/config/mod.ts";

Deno.test("a rendered file starts with configVersion and ends with a newline", () => {
  const text = renderConfigFile(DEFAULT_CONFIG);
  assert(text.startsWith('{\n  "configVersion": 1,\n  "mode": "enforce",'), text);
  assert(text.endsWith("}\n"));
});

Deno.test("rendered keys follow schema order whatever the input order", () => {
  const shuffled = Object.fromEntries(Object.entries(DEFAULT_CONFIG).reverse()) as HaechiConfig;
  assertEquals(renderConfigFile(shuffled), renderConfigFile(DEFAULT_CONFIG));
  const topLevel = Object.keys(JSON.parse(renderConfigFile(shuffled)));
  const expected = [...new Set(CONFIG_SCHEMA.map((k) => k.path.split(".")[0]))];
  assertEquals(topLevel, expected);
});

Deno.test("keys outside the schema are not written", () => {
  const extra = { ...DEFAULT_CONFIG, stray: 1 } as unknown as HaechiConfig;
  assert(!renderConfigFile(extra).includes("stray"));
});

Deno.test("a rendered file parses back to the same values", () => {
  assertEquals(JSON.parse(renderConfigFile(DEFAULT_CONFIG)), DEFAULT_CONFIG);
});
