import { assertEquals } from "../assert.ts";
import { configFromText } from "../../src/config/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { unknownKeyMessage } from "./_keys.ts";

const DIR = new URL("../fixtures/config/invalid/", import.meta.url);
const KNOWN_TYPES = ["email", "phone", "payment_card", "github_token", "us_ssn"];

/** The exact error each fixture must produce; one fixture per mistake. */
const EXPECTED: Record<string, { code: string; path: string; message: string }> = {
  "unknown_top_level_key.json": {
    code: "config.invalid",
    path: "modes",
    message: unknownKeyMessage("modes"),
  },
  "unknown_nested_key.json": {
    code: "config.invalid",
    path: "policy.prest",
    message: unknownKeyMessage("policy.prest", "policy"),
  },
  "wrong_type_boolean.json": {
    code: "config.invalid",
    path: "detect.decode",
    message: '"detect.decode" must be true or false, got "yes"',
  },
  "wrong_type_integer.json": {
    code: "config.invalid",
    path: "limits.maxDepth",
    message: '"limits.maxDepth" must be an integer from 1 to 1024, got "deep"',
  },
  "wrong_type_string.json": {
    code: "config.invalid",
    path: "audit.path",
    message: '"audit.path" must be a non-empty string, got 42',
  },
  "wrong_type_array.json": {
    code: "config.invalid",
    path: "filters.allowlist",
    message:
      '"filters.allowlist" must be an array of strings and {path, value?} objects, got "test@example.com"',
  },
  "array_item_not_string.json": {
    code: "config.invalid",
    path: "filters.allowlist[1]",
    message: '"filters.allowlist[1]" must be a string or a {path, value?} object, got 7',
  },
  "section_not_object.json": {
    code: "config.invalid",
    path: "limits",
    message: '"limits" must be an object, got 5',
  },
  "bad_enum.json": {
    code: "config.invalid",
    path: "mode",
    message: '"mode" must be one of "enforce", "dry-run", got "enforcing"',
  },
  "out_of_range_integer.json": {
    code: "config.invalid",
    path: "limits.maxDepth",
    message: '"limits.maxDepth" must be an integer from 1 to 1024, got 5000',
  },
  "fractional_integer.json": {
    code: "config.invalid",
    path: "policy.maskKeep",
    message: '"policy.maskKeep" must be an integer from 0 to 64, got 2.5',
  },
  "out_of_range_number.json": {
    code: "config.invalid",
    path: "filters.minConfidence",
    message: '"filters.minConfidence" must be a number from 0 to 1, got 1.5',
  },
  "empty_string.json": {
    code: "config.invalid",
    path: "audit.path",
    message: '"audit.path" must be a non-empty string, got ""',
  },
  "bad_action.json": {
    code: "config.invalid",
    path: "policy.actions.email",
    message: '"policy.actions.email" must be one of "allow", "mask", "tokenize", "encrypt", ' +
      '"redact", "block", got "hide"',
  },
  "unknown_finding_type.json": {
    code: "config.invalid",
    path: "policy.actions.emial",
    message: '"policy.actions.emial": unknown finding type; expected a known type such as "email"',
  },
  "actions_not_object.json": {
    code: "config.invalid",
    path: "policy.actions",
    message: '"policy.actions" must be an object mapping finding types to actions, got an array',
  },
  "wrong_config_version.json": {
    code: "config.invalid",
    path: "configVersion",
    message: '"configVersion" must be 1, got 2',
  },
  "config_version_string.json": {
    code: "config.invalid",
    path: "configVersion",
    message: '"configVersion" must be 1, got "1"',
  },
  "non_object_root.json": {
    code: "config.invalid",
    path: "",
    message: "Config must be a JSON object, got an array",
  },
  "invalid_json.json": {
    code: "config.parse",
    path: "invalid_json.json",
    message: 'Config file "invalid_json.json" is not valid JSON: ' +
      "expected property name or '}' at line 2 column 3",
  },
  "several_mistakes.json": {
    code: "config.invalid",
    path: "limits.maxDepth",
    message: '"limits.maxDepth" must be an integer from 1 to 1024, got 0',
  },
};

async function errorFor(name: string): Promise<HaechiError> {
  const text = await Deno.readTextFile(new URL(name, DIR));
  try {
    configFromText(text, { source: name, knownTypes: KNOWN_TYPES });
  } catch (e) {
    if (e instanceof HaechiError) return e;
    throw e;
  }
  throw new Error(`${name} was accepted`);
}

Deno.test("every invalid fixture has an expected message and every expectation a fixture", async () => {
  const names: string[] = [];
  for await (const entry of Deno.readDir(DIR)) if (entry.isFile) names.push(entry.name);
  assertEquals(names.sort(), Object.keys(EXPECTED).sort());
});

for (const [name, expected] of Object.entries(EXPECTED)) {
  Deno.test(`fixture ${name} fails with its exact message and path`, async () => {
    const err = await errorFor(name);
    assertEquals(
      { code: err.code, path: err.details.path as string, message: err.message },
      expected,
    );
  });
}

Deno.test("a file with several mistakes reports the first and lists them all", async () => {
  const err = await errorFor("several_mistakes.json");
  assertEquals(err.details.errors, [
    {
      path: "limits.maxDepth",
      message: '"limits.maxDepth" must be an integer from 1 to 1024, got 0',
    },
    {
      path: "mode",
      message: '"mode" must be one of "enforce", "dry-run", got "enforcing"',
    },
  ]);
});
