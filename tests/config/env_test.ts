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
    HAECHI_AUDIT_ENABLED: "true",
    HAECHI_LIMITS_MAX_DEPTH: "32",
    HAECHI_MCP_METHODS_DENY: " tools/call , sampling/* ,,",
    HAECHI_LOG_FORMAT: "json",
  });
  assertEquals(config.mode, "dry-run");
  assertEquals(config.audit.enabled, true);
  assertEquals(config.limits.maxDepth, 32);
  assertEquals(config.mcp.methods.deny, ["tools/call", "sampling/*"]);
  assertEquals(config.logging.format, "json");
});

Deno.test("haechi 1.4's variables work: HAECHI_UPSTREAM, HAECHI_LOG_FORMAT, HAECHI_MODE=report-only", () => {
  const config = effective({
    HAECHI_UPSTREAM: "http://127.0.0.1:8000",
    HAECHI_LOG_FORMAT: "text",
    HAECHI_MODE: "report-only",
    HAECHI_PROXY_PORT: "0",
    HAECHI_PROXY_HOST: "127.0.0.1",
  });
  assertEquals(config.proxy.upstream, "http://127.0.0.1:8000");
  assertEquals(config.mode, "dry-run");
  assertEquals(config.proxy.port, 0);
});

Deno.test("no variable can weaken protection: security keys are file-only or stricter-only", () => {
  for (
    const name of [
      "HAECHI_POLICY_ACTIONS",
      "HAECHI_POLICY_TRUST_ANCHORS",
      "HAECHI_FILTERS_ALLOWLIST",
      "HAECHI_PROXY_ALLOW_NON_LOOPBACK",
      "HAECHI_PROXY_SCOPE_HEADER",
      "HAECHI_MCP_DETOKENIZE_ARGUMENTS",
      "HAECHI_AUTH_PLUGIN_TRUST_ANCHORS",
      "HAECHI_AUTH_PROVIDER",
      "HAECHI_KEYS_PATH",
    ]
  ) {
    const err = envError({ [name]: "x" });
    assertEquals(err.message.startsWith(`${name} cannot be set from the environment`), true, name);
  }
  for (
    const [name, weak] of [
      ["HAECHI_TOKEN_VAULT_REVEAL_POLICY", "allow"],
      ["HAECHI_TOKEN_VAULT_DECRYPT_POLICY", "allow"],
      ["HAECHI_AUDIT_ENABLED", "false"],
      ["HAECHI_PLUGINS_ENABLED", "true"],
      ["HAECHI_DETECT_DECODE", "false"],
    ]
  ) {
    const err = envError({ [name]: weak });
    assertEquals(err.message.startsWith(`${name} can only make haechi stricter`), true, name);
  }
  assertEquals(
    effective({ HAECHI_TOKEN_VAULT_REVEAL_POLICY: "deny" }).tokenVault.revealPolicy,
    "deny",
  );
  assertEquals(effective({ HAECHI_PLUGINS_ENABLED: "false" }).plugins.enabled, false);
});

Deno.test("precedence is defaults, then file, then environment", () => {
  const file = { configVersion: 1, mode: "dry-run", limits: { maxDepth: 16, maxBytes: 2048 } };
  const config = effective({ HAECHI_LIMITS_MAX_DEPTH: "8" }, file);
  assertEquals(config.mode, "dry-run");
  assertEquals(config.limits, { ...DEFAULT_CONFIG.limits, maxDepth: 8, maxBytes: 2048 });
  assertEquals(config.audit, DEFAULT_CONFIG.audit);
});

Deno.test("a variable replaces the file's whole list rather than merging", () => {
  const file = { configVersion: 1, mcp: { methods: { deny: ["a", "b"] } } };
  const config = effective({ HAECHI_MCP_METHODS_DENY: "c" }, file);
  assertEquals(config.mcp.methods.deny, ["c"]);
});

Deno.test("an empty variable sets an empty string where the key allows one", () => {
  assertEquals(effective({ HAECHI_PROXY_MCP_UPSTREAM: "" }).proxy.mcpUpstream, "");
  assertEquals(
    envError({ HAECHI_PROXY_HOST: "" }).message,
    'HAECHI_PROXY_HOST must be a non-empty string, got ""',
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
  ];
  for (const [env, path, message] of cases) {
    const err = envError(env);
    assertEquals(
      { message: err.message, path: err.details.path, env: err.details.env },
      { message, path, env: Object.keys(env)[0] },
    );
  }
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
      '"HAECHI_LIMITS_MAX_BYTES", "HAECHI_LIMITS_MAX_DEPTH", "HAECHI_LIMITS_MAX_FINDINGS", ' +
      '"HAECHI_LIMITS_REQUEST_TIMEOUT_MS", "HAECHI_LIMITS_HEADERS_TIMEOUT_MS", ' +
      '"HAECHI_LIMITS_SHUTDOWN_GRACE_MS"',
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
