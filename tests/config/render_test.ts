import { assert, assertEquals } from "../assert.ts";
import {
  CONFIG_SCHEMA,
  DEFAULT_CONFIG,
  renderConfigFile,
  resolveConfig,
} from "../../src/config/mod.ts";
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

Deno.test("a rendered file loads back to the same values", () => {
  assertEquals(resolveConfig(JSON.parse(renderConfigFile(DEFAULT_CONFIG))), DEFAULT_CONFIG);
});

Deno.test("the anchor file follows audit.path unless set, and init's file leaves it out", () => {
  const rendered = JSON.parse(renderConfigFile(DEFAULT_CONFIG));
  assert(!("anchorPath" in rendered.audit), "a derived anchorPath is not written");
  // Changing only the log path takes the anchors along, so the new log is not checked
  // against the old log's anchors (a false "records were removed").
  rendered.audit.path = "logs/gateway.jsonl";
  assertEquals(resolveConfig(rendered).audit.anchorPath, "logs/gateway.anchors.jsonl");
  assertEquals(
    resolveConfig({ configVersion: 1, audit: { path: "x/audit.log" } }).audit.anchorPath,
    "x/audit.log.anchors.jsonl",
  );
  // Set explicitly (a path or "" for none), it stays put and is written out.
  const fixed = resolveConfig({ configVersion: 1, audit: { path: "a.jsonl", anchorPath: "" } });
  assertEquals(fixed.audit.anchorPath, "");
  assertEquals(JSON.parse(renderConfigFile(fixed)).audit.anchorPath, "");
  const elsewhere = resolveConfig({
    configVersion: 1,
    audit: { path: "a.jsonl", anchorPath: "/worm/anchors.jsonl" },
  });
  assertEquals(elsewhere.audit.anchorPath, "/worm/anchors.jsonl");
});
