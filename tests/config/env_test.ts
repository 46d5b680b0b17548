import { assertEquals, assertThrows } from "../assert.ts";
import { DEFAULT_CONFIG, readEnvOverlay, resolveConfig } from "../../src/config/mod.ts";
import { HaechiError } from "../../src/errors.ts";

const KNOWN_TYPES = ["email", "phone", "payment_card", "github_token", "us_ssn"];

function effective(env: Record<string, string>, file: unknown = { configVersion: 1 }) {
  return resolveConfig(file, { env, knownTypes: KNOWN_TYPES });
}

function envError(env: Record<string, string>): HaechiError {
  const err = assertThrows(() => effective(env), HaechiError) as HaechiError;
  assertEquals(err.code, "config.invalid");
  return err;
}

Deno.test("each variable is parsed by its key's type", () => {
  const config = effective({
    HAECHI_MODE: "dry-run",
    HAECHI_AUDIT_PATH: "logs/a.jsonl",
    HAECHI_AUDIT_ENABLED: "false",
    HAECHI_LIMITS_MAX_DEPTH: "32",
    HAECHI_FILTERS_MIN_CONFIDENCE: "0.75",
    HAECHI_FILTERS_ALLOWLIST: " *@example.com , test ,,",
    HAECHI_POLICY_ACTIONS: "email=mask, us_ssn = block",
  });
  assertEquals(config.mode, "dry-run");
  assertEquals(config.audit.path, "logs/a.jsonl");
  assertEquals(config.audit.enabled, false);
  assertEquals(config.limits.maxDepth, 32);
  assertEquals(config.filters.minConfidence, 0.75);
  assertEquals(config.filters.allowlist, ["*@example.com", "test"]);
  assertEquals(config.policy.actions, { email: "mask", us_ssn: "block" });
});

Deno.test("precedence is defaults, then file, then environment", () => {
  const file = { configVersion: 1, mode: "dry-run", limits: { maxDepth: 16, maxBytes: 2048 } };
  const config = effective({ HAECHI_LIMITS_MAX_DEPTH: "8" }, file);
  assertEquals(config.mode, "dry-run");
  assertEquals(config.limits, { ...DEFAULT_CONFIG.limits, maxDepth: 8, maxBytes: 2048 });
  assertEquals(config.audit, DEFAULT_CONFIG.audit);
});

Deno.test("a variable replaces the file's whole list or map rather than merging", () => {
  const file = {
    configVersion: 1,
    policy: { actions: { email: "mask", phone: "mask" } },
    filters: { allowlist: ["a"] },
  };
  const config = effective(
    { HAECHI_POLICY_ACTIONS: "us_ssn=block", HAECHI_FILTERS_ALLOWLIST: "" },
    file,
  );
  assertEquals(config.policy.actions, { us_ssn: "block" });
  assertEquals(config.filters.allowlist, []);
});

Deno.test("an empty variable sets an empty string where the key allows one", () => {
  assertEquals(effective({ HAECHI_AUDIT_ANCHOR_PATH: "" }).audit.anchorPath, "");
  assertEquals(
    envError({ HAECHI_AUDIT_PATH: "" }).message,
    'HAECHI_AUDIT_PATH must be a non-empty string, got ""',
  );
});

Deno.test("wrong values are reported with the file's words, naming the variable", () => {
  const cases: [Record<string, string>, string, string][] = [
    [
      { HAECHI_LIMITS_MAX_DEPTH: "deep" },
      "limits.maxDepth",
      'HAECHI_LIMITS_MAX_DEPTH must be an integer from 1 to 1024, got "deep"',
    ],
    [
      { HAECHI_LIMITS_MAX_DEPTH: "1.5" },
      "limits.maxDepth",
      'HAECHI_LIMITS_MAX_DEPTH must be an integer from 1 to 1024, got "1.5"',
    ],
    [
      { HAECHI_LIMITS_MAX_DEPTH: "0" },
      "limits.maxDepth",
      "HAECHI_LIMITS_MAX_DEPTH must be an integer from 1 to 1024, got 0",
    ],
    [
      { HAECHI_MODE: "enforcing" },
      "mode",
      'HAECHI_MODE must be one of "enforce", "dry-run", got "enforcing"',
    ],
    [
      { HAECHI_DETECT_DECODE: "yes" },
      "detect.decode",
      'HAECHI_DETECT_DECODE must be true or false, got "yes"',
    ],
    [
      { HAECHI_FILTERS_MIN_CONFIDENCE: "high" },
      "filters.minConfidence",
      'HAECHI_FILTERS_MIN_CONFIDENCE must be a number from 0 to 1, got "high"',
    ],
    [
      { HAECHI_POLICY_ACTIONS: "emial=mask" },
      "policy.actions.emial",
      'HAECHI_POLICY_ACTIONS entry "emial": unknown finding type; ' +
      'expected a known type such as "email"',
    ],
    [
      { HAECHI_POLICY_ACTIONS: "email=hide" },
      "policy.actions.email",
      'HAECHI_POLICY_ACTIONS entry "email" must be one of "allow", "mask", "tokenize", ' +
      '"encrypt", "redact", "block", got "hide"',
    ],
    [
      { HAECHI_POLICY_ACTIONS: "email" },
      "policy.actions",
      'HAECHI_POLICY_ACTIONS must be comma-separated "type=action" pairs, got "email"',
    ],
    [
      { HAECHI_POLICY_ACTIONS: "email=mask,email=block" },
      "policy.actions",
      'HAECHI_POLICY_ACTIONS names "email" twice',
    ],
  ];
  for (const [env, path, message] of cases) {
    const err = envError(env);
    assertEquals(
      { message: err.message, path: err.details.path, env: err.details.env },
      { message, path, env: Object.keys(env)[0] },
    );
  }
});

Deno.test("a __proto__ pair in HAECHI_POLICY_ACTIONS is refused as an unknown type", () => {
  const err = envError({ HAECHI_POLICY_ACTIONS: "__proto__=allow" });
  assertEquals(err.details.path, "policy.actions.__proto__");
});

Deno.test("unrelated HAECHI_ variables are ignored", () => {
  const config = effective({
    HAECHI_DEBUG: "1",
    HAECHI_CONFIG: "x.json",
    HAECHI_MODEL: "y",
    PATH: "/bin",
  });
  assertEquals(config, DEFAULT_CONFIG);
});

Deno.test("an unknown variable under a section prefix is refused as a likely typo", () => {
  const err = envError({ HAECHI_LIMITS_MAXDEPTH: "8" });
  assertEquals(
    err.message,
    "Unknown environment variable HAECHI_LIMITS_MAXDEPTH; expected one of " +
      '"HAECHI_LIMITS_MAX_BYTES", "HAECHI_LIMITS_MAX_DEPTH", "HAECHI_LIMITS_REQUEST_TIMEOUT_MS", ' +
      '"HAECHI_LIMITS_HEADERS_TIMEOUT_MS", "HAECHI_LIMITS_SHUTDOWN_GRACE_MS"',
  );
  assertEquals(err.details.env, "HAECHI_LIMITS_MAXDEPTH");
});

Deno.test("configVersion cannot come from the environment", () => {
  const err = envError({ HAECHI_CONFIG_VERSION: "1" });
  assertEquals(
    err.message,
    'HAECHI_CONFIG_VERSION cannot be set from the environment; "configVersion" is read from ' +
      "the config file only",
  );
});

Deno.test("environment issues are listed in schema order whatever the variables' order", () => {
  const { issues } = readEnvOverlay(
    { HAECHI_LIMITS_MAX_DEPTH: "x", HAECHI_MODE: "x" },
    { knownTypes: KNOWN_TYPES },
  );
  assertEquals(issues.map((i) => i.env), ["HAECHI_MODE", "HAECHI_LIMITS_MAX_DEPTH"]);
});

Deno.test("file mistakes come before environment mistakes, and all are listed", () => {
  const err = assertThrows(
    () => effective({ HAECHI_MODE: "x" }, { configVersion: 1, limits: { maxDepth: 0 } }),
    HaechiError,
  ) as HaechiError;
  assertEquals(err.details.path, "limits.maxDepth");
  assertEquals((err.details.errors as { path: string }[]).map((e) => e.path), [
    "limits.maxDepth",
    "mode",
  ]);
});

Deno.test("the environment applies when there is no config file", () => {
  const config = resolveConfig(undefined, { env: { HAECHI_MODE: "dry-run" }, knownTypes: [] });
  assertEquals(config.mode, "dry-run");
});
