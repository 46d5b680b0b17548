import { assert, assertEquals, assertThrows } from "../assert.ts";
import {
  configFromText,
  DEFAULT_CONFIG,
  resolveConfig,
  validateConfigFile,
} from "../../src/config/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { childKeys, unknownKeyMessage } from "./_keys.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";

const KNOWN_TYPES = ["email", "phone", "payment_card", "github_token", "us_ssn"];
const VALID = new URL("../fixtures/config/valid/", import.meta.url);

function invalid(raw: unknown, knownTypes: readonly string[] = KNOWN_TYPES): HaechiError {
  const err = assertThrows(() => resolveConfig(raw, { knownTypes }), HaechiError);
  assertEquals((err as HaechiError).code, "config.invalid");
  return err as HaechiError;
}

Deno.test("a full valid file is taken as written", async () => {
  const text = await Deno.readTextFile(new URL("full.json", VALID));
  const config = configFromText(text, { knownTypes: KNOWN_TYPES });
  assertEquals(config, JSON.parse(text));
});

Deno.test("keys a file leaves out take their defaults", async () => {
  const text = await Deno.readTextFile(new URL("partial.json", VALID));
  const config = configFromText(text, { knownTypes: KNOWN_TYPES });
  assertEquals(config, { ...DEFAULT_CONFIG, limits: { ...DEFAULT_CONFIG.limits, maxDepth: 16 } });
});

Deno.test("the effective config is frozen all the way down", () => {
  const config = resolveConfig({ configVersion: 1, policy: { actions: { email: "mask" } } }, {
    knownTypes: KNOWN_TYPES,
  });
  assert(Object.isFrozen(config));
  assert(Object.isFrozen(config.policy.actions));
  assert(Object.isFrozen(config.filters.allowlist));
  assert(!Object.isFrozen(DEFAULT_CONFIG.filters.allowlist), "defaults stay untouched");
});

Deno.test("unknown-key messages list the schema's keys in order, starting with the core ones", () => {
  assertEquals(childKeys().slice(0, 8), [
    "configVersion",
    "mode",
    "policy",
    "filters",
    "detect",
    "limits",
    "audit",
    "keys",
  ]);
  assertEquals(childKeys("policy").slice(0, 4), ["preset", "defaultAction", "actions", "maskKeep"]);
});

Deno.test("an invalid file reports every mistake in details.errors", () => {
  const err = invalid({
    configVersion: 1,
    extra: true,
    detect: { scanKeys: "no", decodeMaxDepth: 99 },
  });
  assertEquals(
    err.message,
    unknownKeyMessage("extra"),
  );
  assertEquals(err.details.path, "extra");
  assertEquals(
    (err.details.errors as { path: string }[]).map((e) => e.path),
    ["extra", "detect.scanKeys", "detect.decodeMaxDepth"],
  );
});

Deno.test("a wrong configVersion is reported before any other mistake", () => {
  const err = invalid({ mode: "x", configVersion: 3 });
  assertEquals(err.message, '"configVersion" must be 1, got 3');
  assertEquals((err.details.errors as unknown[]).length, 2);
});

Deno.test("a __proto__ key in the file is an unknown key, not a prototype change", () => {
  const err = invalid(JSON.parse('{"configVersion":1,"__proto__":{"mode":"dry-run"}}'));
  assertEquals(err.details.path, "__proto__");
  const nested = invalid(
    JSON.parse('{"configVersion":1,"policy":{"actions":{"__proto__":"allow"}}}'),
  );
  assertEquals(nested.details.path, "policy.actions.__proto__");
});

Deno.test("a misspelt finding type suggests the closest known type", () => {
  const err = invalid({ configVersion: 1, policy: { actions: { github_tokn: "block" } } });
  assertEquals(
    err.message,
    '"policy.actions.github_tokn": unknown finding type; expected a known type such as "github_token"',
  );
});

Deno.test("a far-off finding type gets a stable example, not a misleading match", () => {
  const err = invalid({ configVersion: 1, policy: { actions: { zzzzzzzzzz: "block" } } });
  assertEquals(
    err.message,
    '"policy.actions.zzzzzzzzzz": unknown finding type; expected a known type such as "email"',
  );
});

Deno.test("with no known finding types, any policy.actions entry is refused", () => {
  const err = invalid({ configVersion: 1, policy: { actions: { email: "mask" } } }, []);
  assertEquals(
    err.message,
    '"policy.actions.email": unknown finding type; no finding types are known',
  );
});

Deno.test("without an explicit list, known finding types come from the rule table", () => {
  const types = [...new Set(BUILTIN_RULES.map((rule) => rule.type))];
  const actions = Object.fromEntries(types.map((t) => [t, "block"]));
  const result = validateConfigFile({ configVersion: 1, policy: { actions } });
  assertEquals(result.issues, []);
  const bad = validateConfigFile({ configVersion: 1, policy: { actions: { "no such": "mask" } } });
  assertEquals(bad.issues[0].path, "policy.actions.no such");
});

Deno.test("long wrong strings are shortened in messages", () => {
  const err = invalid({ configVersion: 1, mode: "x".repeat(200) });
  assert(err.message.length < 140, err.message);
  assert(err.message.endsWith('…"'));
});

Deno.test("null and objects are described by kind", () => {
  assertEquals(
    invalid({ configVersion: 1, mode: null }).message,
    '"mode" must be one of "enforce", "dry-run", got null',
  );
  assertEquals(
    invalid({ configVersion: 1, mode: {} }).message,
    '"mode" must be one of "enforce", "dry-run", got an object',
  );
  assertEquals(invalid(null).message, "Config must be a JSON object, got null");
  assertEquals(invalid("x").message, 'Config must be a JSON object, got "x"');
});

Deno.test("infinite numbers are refused", () => {
  const err = invalid(JSON.parse('{"configVersion":1,"filters":{"minConfidence":1e400}}'));
  assertEquals(err.message, '"filters.minConfidence" must be a number from 0 to 1, got Infinity');
});
