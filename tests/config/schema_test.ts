import { assert, assertEquals } from "../assert.ts";
import {
  CONFIG_SCHEMA,
  configReference,
  DEFAULT_CONFIG,
  describeType,
  envNameFor,
  renderConfigReference,
} from "../../src/config/mod.ts";

/** Dotted paths of DEFAULT_CONFIG's leaves; a schema row marks a leaf even if it holds an object. */
function defaultLeaves(node: unknown, prefix: string, rows: ReadonlySet<string>): string[] {
  if (prefix !== "" && rows.has(prefix)) return [prefix];
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [prefix];
  return Object.entries(node).flatMap(([name, child]) =>
    defaultLeaves(child, prefix === "" ? name : `${prefix}.${name}`, rows)
  );
}

const ROW_PATHS = new Set(CONFIG_SCHEMA.map((key) => key.path));

Deno.test("the reference documents every key of DEFAULT_CONFIG and nothing else", () => {
  const leaves = defaultLeaves(DEFAULT_CONFIG, "", ROW_PATHS);
  const documented = configReference().keys.map((entry) => entry.path);
  assertEquals([...documented].sort(), [...leaves].sort());
});

Deno.test("every documented key has a description, a default and a type phrase", () => {
  for (const entry of configReference().keys) {
    assert(entry.description.length > 10, `${entry.path} needs a description`);
    assert(entry.default !== undefined, `${entry.path} needs a default`);
  }
  for (const key of CONFIG_SCHEMA) assert(describeType(key.type).length > 0);
});

Deno.test("schema paths are unique", () => {
  assertEquals(ROW_PATHS.size, CONFIG_SCHEMA.length);
});

Deno.test("environment names follow the path: camelCase split, dots to underscores", () => {
  assertEquals(envNameFor("mode"), "HAECHI_MODE");
  assertEquals(envNameFor("audit.path"), "HAECHI_AUDIT_PATH");
  assertEquals(envNameFor("limits.maxDepth"), "HAECHI_LIMITS_MAX_DEPTH");
  assertEquals(envNameFor("filters.allowlist"), "HAECHI_FILTERS_ALLOWLIST");
  assertEquals(envNameFor("policy.actions"), "HAECHI_POLICY_ACTIONS");
  assertEquals(envNameFor("tokenVault.ttlSeconds"), "HAECHI_TOKEN_VAULT_TTL_SECONDS");
});

Deno.test("a key with a variable takes its derived name, except haechi 1.4's two short names", () => {
  const spec: Record<string, string> = {
    "proxy.upstream": "HAECHI_UPSTREAM",
    "logging.format": "HAECHI_LOG_FORMAT",
  };
  for (const key of CONFIG_SCHEMA) {
    if (key.env === null) continue;
    assertEquals(key.env, spec[key.path] ?? envNameFor(key.path), key.path);
  }
});

Deno.test("row defaults are read from DEFAULT_CONFIG", () => {
  const depth = CONFIG_SCHEMA.find((key) => key.path === "limits.maxDepth");
  assertEquals(depth?.default, DEFAULT_CONFIG.limits.maxDepth);
});

Deno.test("every default passes its own row's validation", async () => {
  const { resolveConfig } = await import("../../src/config/mod.ts");
  const text = JSON.stringify(DEFAULT_CONFIG);
  assertEquals(resolveConfig(JSON.parse(text), { knownTypes: [] }), DEFAULT_CONFIG);
});

Deno.test("the readable reference shows path, allowed values, default and variable", () => {
  const text = renderConfigReference();
  const block = text.split("\n\n").find((b) => b.startsWith("mode\n"));
  assertEquals(
    block,
    [
      "mode",
      "  Enforce changes payloads; dry-run only reports what would change.",
      '  type:     one of "enforce", "dry-run"',
      '  default:  "enforce"',
      "  env:      HAECHI_MODE",
    ].join("\n"),
  );
  assert(text.includes("HAECHI_MCP_METHODS_DENY"));
});

Deno.test("the JSON reference states constraints per type", () => {
  const keys = configReference().keys;
  const byPath = (p: string) => keys.find((k) => k.path === p);
  assertEquals(byPath("limits.maxDepth"), {
    path: "limits.maxDepth",
    type: "integer",
    min: 1,
    max: 1024,
    default: 64,
    env: "HAECHI_LIMITS_MAX_DEPTH",
    description: "Deepest accepted JSON nesting.",
  });
  assertEquals(byPath("policy.actions")?.type, "map");
  assertEquals(byPath("policy.actions")?.keys, "finding type");
  assertEquals(byPath("configVersion")?.env, null);
  assertEquals(byPath("filters.allowlist")?.type, "allowlist");
});
