/**
 * The configuration schema as data: one row per key.
 *
 * Each row names a dotted path, its value type with constraints, the environment variable
 * that overrides it and a one-line description. Validation, the `HAECHI_*` overlay,
 * `haechi config` and {@linkcode renderConfigFile} all read this table, so adding a key
 * means adding its field to `types.ts`, its default to `defaults.ts` (the compiler insists)
 * and one row here (the test suite insists). Sections nest by path: a row `proxy.tls.cert`
 * makes `proxy` and `proxy.tls` objects without further code.
 *
 * @module
 */
import { ACTIONS } from "./types.ts";
import { anchorPathFor, DEFAULT_CONFIG } from "./defaults.ts";

/** The value shapes a key can take, with their constraints. */
export type FieldType =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "string"; readonly nonEmpty?: boolean }
  | { readonly kind: "boolean" }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "number"; readonly min: number; readonly max: number }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "stringArray" }
  | { readonly kind: "actionMap"; readonly values: readonly string[] }
  | { readonly kind: "integerMap"; readonly min: number; readonly max: number }
  | { readonly kind: "trustAnchors" }
  | { readonly kind: "customRules" }
  | { readonly kind: "allowlist" }
  | { readonly kind: "callerProfiles" }
  | { readonly kind: "profileBinding" };

/** What a row states; the default is read from `DEFAULT_CONFIG` by path. */
export interface ConfigKeySpec {
  /** Dotted path, e.g. `limits.maxDepth`. */
  readonly path: string;
  /** Value shape and constraints. */
  readonly type: FieldType;
  /** One line for `haechi config`. */
  readonly description: string;
  /**
   * Environment variable; derived from the path when absent ({@linkcode envNameFor}),
   * `null` when the key cannot come from the environment.
   */
  readonly env?: string | null;
  /** The key must appear in every config file. */
  readonly required?: boolean;
  /**
   * Values the environment may set, when only some may: an environment variable can make
   * haechi stricter (`HAECHI_TOKEN_VAULT_REVEAL_POLICY=deny`) but never weaker.
   */
  readonly envOnly?: readonly unknown[];
  /** Never echo the value in an error message (credentials, tokens). */
  readonly sensitive?: boolean;
  /**
   * Default computed from keys earlier in the table, for a key that follows another unless
   * set (the anchor file follows the audit log). Rendered files leave the key out while it
   * still equals this, so it keeps following.
   */
  readonly derive?: (partial: Readonly<Record<string, unknown>>) => unknown;
}

/** One documented, validated key. */
export interface ConfigKey extends ConfigKeySpec {
  /** Environment variable, or `null` when the key is file-only. */
  readonly env: string | null;
  /** Built-in default, from `DEFAULT_CONFIG`. */
  readonly default: unknown;
}

/**
 * Derive the `HAECHI_*` name for a dotted path: camelCase words split on capitals, dots
 * become underscores.
 *
 * @param path Dotted key path.
 * @returns The environment variable name.
 *
 * @example
 * ```ts
 * import { envNameFor } from "./schema.ts";
 * if (envNameFor("limits.maxDepth") !== "HAECHI_LIMITS_MAX_DEPTH") throw new Error("bad name");
 * ```
 */
export function envNameFor(path: string): string {
  const words = path.split(".").map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
  return `HAECHI_${words.join("_").toUpperCase()}`;
}

const SPECS: readonly ConfigKeySpec[] = [
  {
    path: "configVersion",
    type: { kind: "const", value: 1 },
    env: null,
    description: "Schema version of the file; 1 for this release, and 1 when absent.",
  },
  {
    path: "mode",
    type: { kind: "enum", values: ["enforce", "dry-run"] },
    description: "Enforce changes payloads; dry-run only reports what would change.",
  },
  {
    path: "policy.preset",
    type: { kind: "enum", values: ["balanced", "strict", "secrets-only", "none"] },
    env: null,
    description:
      "Named starting point for per-type actions; none gives every type policy.defaultAction.",
  },
  {
    path: "policy.defaultAction",
    env: null,
    type: { kind: "enum", values: ACTIONS },
    description: "Action for finding types that the preset and policy.actions leave open.",
  },
  {
    path: "policy.actions",
    env: null,
    type: { kind: "actionMap", values: ACTIONS },
    description: "Per-type action overrides, keyed by finding type.",
  },
  {
    path: "policy.maskKeep",
    type: { kind: "integer", min: 0, max: 64 },
    description: "How many trailing characters the mask action leaves visible.",
  },
  {
    path: "policy.profile",
    env: null,
    type: {
      kind: "enum",
      values: ["none", "kr-pipa", "eu-gdpr", "us-general", "asia-pdpa", "jp-appi"],
    },
    description: "Privacy profile whose per-type actions can only strengthen the policy.",
  },
  {
    path: "policy.bundlePath",
    env: null,
    type: { kind: "string" },
    description:
      "Signed policy bundle (haechi policy-sign) merged strengthen-only; empty for none.",
  },
  {
    path: "policy.trustAnchors",
    env: null,
    type: { kind: "trustAnchors" },
    description:
      "Ed25519 public keys trusted to sign policy bundles: [{keyId, publicKey}] or a map.",
  },
  {
    path: "policy.allowUnsafeOverrides",
    env: null,
    type: { kind: "boolean" },
    description: "Let policy.profiles set a weaker action than the base policy (removes a guard).",
  },
  {
    path: "policy.profiles",
    env: null,
    type: { kind: "callerProfiles" },
    description:
      "Named per-caller overlays {actions?, modelAllowlist?}, strengthen-only; see docs/callers.md.",
  },
  {
    path: "policy.profileBinding",
    env: null,
    type: { kind: "profileBinding" },
    description:
      'Which profile a caller gets: byScope, then byLabel ("key=value"), then default (required).',
  },
  {
    path: "policy.modelAllowlist",
    env: null,
    type: { kind: "stringArray" },
    description: "Models every caller may name (403 otherwise); empty allows all.",
  },
  {
    path: "filters.minConfidence",
    env: null,
    type: { kind: "number", min: 0, max: 1 },
    description: "Soft findings below this confidence are ignored.",
  },
  {
    path: "filters.customRules",
    type: { kind: "customRules" },
    env: null,
    description:
      "Extra rules {id, type, pattern, flags?, confidence?, keywords?}; patterns are checked linear.",
  },
  {
    path: "filters.allowlist",
    env: null,
    type: { kind: "allowlist" },
    description:
      "Exact values or * globs never reported for soft types; {path, value?} only at that JSON path.",
  },
  {
    path: "detect.decode",
    envOnly: [true],
    type: { kind: "boolean" },
    description: "Decode base64, URL-encoding and \\u escapes, then scan again.",
  },
  {
    path: "detect.decodeMaxDepth",
    env: null,
    type: { kind: "integer", min: 0, max: 8 },
    description: "Layers of encoding to peel when decoding.",
  },
  {
    path: "detect.scanKeys",
    env: null,
    type: { kind: "boolean" },
    description: "Scan JSON object keys as well as values.",
  },
  {
    path: "detect.scanNumbers",
    env: null,
    type: { kind: "boolean" },
    description: "Scan JSON numbers in replies too (requests always have their numbers scanned).",
  },
  {
    path: "detect.disabledRules",
    env: null,
    type: { kind: "stringArray" },
    description: "Rule ids to switch off.",
  },
  {
    path: "limits.maxBytes",
    type: { kind: "integer", min: 1, max: 1024 * 1024 * 1024 },
    description: "Largest accepted payload in bytes.",
  },
  {
    path: "limits.maxDepth",
    type: { kind: "integer", min: 1, max: 1024 },
    description: "Deepest accepted JSON nesting.",
  },
  {
    path: "limits.maxFindings",
    type: { kind: "integer", min: 1, max: 100_000_000 },
    description: "Most findings one message (request, reply, MCP message, JSONL line) may hold; " +
      "more is refused with payload.too_many_findings (HTTP 413) before anything is tokenized.",
  },
  {
    path: "limits.requestTimeoutMs",
    type: { kind: "integer", min: 0, max: 3_600_000 },
    description:
      "Milliseconds a request body may take to arrive once its head is in (408 after); 0: none.",
  },
  {
    path: "limits.headersTimeoutMs",
    type: { kind: "integer", min: 0, max: 3_600_000 },
    description: "Milliseconds a request head may take to arrive; 0: none.",
  },
  {
    path: "limits.shutdownGraceMs",
    type: { kind: "integer", min: 0, max: 3_600_000 },
    description:
      "On SIGINT/SIGTERM, milliseconds in-flight requests get to finish before they are cut.",
  },
  {
    path: "audit.enabled",
    envOnly: [true],
    type: { kind: "boolean" },
    description: "Write audit events.",
  },
  {
    path: "audit.path",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "Audit log file (JSON lines).",
  },
  {
    path: "audit.anchorPath",
    env: null,
    type: { kind: "string" },
    description: "Anchor file for the audit hash chain; empty for none. Unless set, it follows " +
      "audit.path: the log's name with .anchors.jsonl in place of .jsonl.",
    derive: (partial) => anchorPathFor(String(valueAt(partial, "audit.path"))),
  },
  {
    path: "audit.anchorEvery",
    type: { kind: "integer", min: 0, max: 1_000_000_000 },
    description: "Write an anchor every this many events; 0 writes one only on close.",
  },
  {
    path: "keys.provider",
    env: null,
    type: { kind: "enum", values: ["local", "external"] },
    description:
      "local: the key file at keys.path; external: a crypto provider injected through the library (the CLI cannot).",
  },
  {
    path: "keys.path",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "Key file written by haechi init (mode 0600).",
  },
  {
    path: "keys.nonceBudget",
    env: null,
    type: { kind: "integer", min: 1, max: 2 ** 32 },
    description:
      "AES-GCM encryptions per data key before haechi keys rotate is required (NIST limit 2^32).",
  },
  {
    path: "tokenVault.path",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "SQLite database holding encrypted token records (mode 0600).",
  },
  {
    path: "tokenVault.deterministicTypes",
    env: null,
    type: { kind: "stringArray" },
    description: "Types whose same value in the same scope always maps to the same token.",
  },
  {
    path: "tokenVault.ttlSeconds",
    env: null,
    type: { kind: "integer", min: 0, max: 10 * 365 * 24 * 60 * 60 },
    description: "Token lifetime in seconds; 0 means tokens never expire.",
  },
  {
    path: "tokenVault.ttlByType",
    env: null,
    type: { kind: "integerMap", min: 0, max: 10 * 365 * 24 * 60 * 60 },
    description: "Per-type token lifetimes in seconds, overriding tokenVault.ttlSeconds.",
  },
  {
    path: "tokenVault.revealPolicy",
    envOnly: ["deny"],
    type: { kind: "enum", values: ["deny", "allow"] },
    description: "Whether haechi token-reveal may print a token's value (always audited).",
  },
  {
    path: "tokenVault.decryptPolicy",
    envOnly: ["deny"],
    type: { kind: "enum", values: ["deny", "allow"] },
    description: "Whether haechi decrypt may print an [ENC:...] envelope's value (always audited).",
  },
  {
    path: "tokenVault.synchronous",
    envOnly: ["full"],
    type: { kind: "enum", values: ["normal", "full"] },
    description: "SQLite sync level: normal survives process crashes, full also power loss.",
  },
  {
    path: "tokenVault.redisUrl",
    type: { kind: "string" },
    sensitive: true,
    description: "redis:// URL of a vault shared by replicas (ciphertext only); empty: SQLite.",
  },
  {
    path: "mcp.methods.allow",
    env: null,
    type: { kind: "stringArray" },
    description: "MCP methods let through (exact names or prefix/* globs; * allows all).",
  },
  {
    path: "mcp.methods.deny",
    type: { kind: "stringArray" },
    description:
      "MCP methods refused even when allowed: requests get an error, notifications drop.",
  },
  {
    path: "mcp.maxLineBytes",
    type: { kind: "integer", min: 1024, max: 256 * 1024 * 1024 },
    description: "Longest MCP JSON-RPC message accepted, in bytes.",
  },
  {
    path: "mcp.stderr",
    env: null,
    type: { kind: "enum", values: ["filter", "drop", "inherit"] },
    description: "What mcp-wrap does with the server's stderr: filter, drop or inherit.",
  },
  {
    path: "mcp.scope",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "Token scope for MCP traffic and for detokenizeArguments.",
  },
  {
    path: "mcp.detokenizeArguments",
    env: null,
    type: { kind: "stringArray" },
    description: "server/tool patterns whose tools/call arguments get real values for tokens.",
  },
  {
    path: "policy.rate.requestsPerMinute",
    type: { kind: "integer", min: 0, max: 10_000_000 },
    description: "Requests each caller identity may make per minute (429 past it); 0: no limit.",
  },
  {
    path: "policy.rate.store",
    type: { kind: "enum", values: ["memory", "redis"] },
    description: "Where rate counters live: this process, or a Redis shared by every replica.",
  },
  {
    path: "policy.rate.redisUrl",
    type: { kind: "string" },
    sensitive: true,
    description: "redis:// URL of the shared rate store (policy.rate.store redis).",
  },
  {
    path: "auth.provider",
    env: null,
    type: { kind: "enum", values: ["none", "bearer", "plugin"] },
    description:
      "Who authenticates callers: none, bearer tokens (haechi auth), or the signed plugin.",
  },
  {
    path: "auth.store",
    env: null,
    type: { kind: "string", nonEmpty: true },
    description: "Bearer token store (mode 0600); holds keyed-HMAC hashes, never tokens.",
  },
  {
    path: "auth.allowedLabelKeys",
    env: null,
    type: { kind: "stringArray" },
    description: "Label keys a bearer token may carry (haechi auth add --label key=value).",
  },
  {
    path: "auth.plugin.manifestPath",
    env: null,
    type: { kind: "string" },
    description: "Signed plugin manifest written by haechi plugin-sign.",
  },
  {
    path: "auth.plugin.entryPath",
    env: null,
    type: { kind: "string" },
    description: "The auth plugin's entry file; its exact bytes are signed.",
  },
  {
    path: "auth.plugin.trustAnchors",
    env: null,
    type: { kind: "trustAnchors" },
    description: "Ed25519 public keys trusted to sign plugins: [{keyId, publicKey}] or a map.",
  },
  {
    path: "auth.plugin.allowCapabilities",
    env: null,
    type: { kind: "stringArray" },
    description: "Capabilities a plugin may declare (readsCredentials, readsHeaders, readsPath).",
  },
  {
    path: "auth.plugin.pin",
    env: null,
    type: { kind: "string" },
    description: "Expected SHA-256 (hex) of the plugin entry file; empty for no pin.",
  },
  {
    path: "auth.plugin.pinVersion",
    env: null,
    type: { kind: "string" },
    description: "Exact plugin version required (1.4: auth.plugin.pin.version); empty for any.",
  },
  {
    path: "auth.plugin.pinManifestSha256",
    env: null,
    type: { kind: "string" },
    description:
      "Expected SHA-256 (hex) of the signed manifest file's bytes (1.4: auth.plugin.pin.manifestSha256).",
  },
  {
    path: "auth.plugin.versionFloor",
    env: null,
    type: { kind: "string" },
    description: "Lowest plugin version accepted; empty for none.",
  },
  {
    path: "auth.plugin.revoked",
    env: null,
    type: { kind: "stringArray" },
    description: "Revoked signer key ids and entry SHA-256 digests.",
  },
  {
    path: "plugins.enabled",
    envOnly: [false],
    type: { kind: "boolean" },
    description: "Global kill switch: false refuses to run any plugin.",
  },
  {
    path: "plugins.denoPath",
    env: null,
    type: { kind: "string" },
    description: "Deno executable that runs plugins; empty uses the running one if it is deno.",
  },
  {
    path: "plugins.timeoutMs",
    type: { kind: "integer", min: 10, max: 60_000 },
    description: "Per-call time limit in milliseconds; the plugin process is killed past it.",
  },
  {
    path: "plugins.maxHeapMb",
    type: { kind: "integer", min: 16, max: 4096 },
    description: "V8 heap cap for the plugin process, in MiB.",
  },
  {
    path: "plugins.maxReplyBytes",
    type: { kind: "integer", min: 256, max: 16 * 1024 * 1024 },
    description: "Largest reply line accepted from a plugin, in bytes.",
  },
  {
    path: "proxy.host",
    type: { kind: "string", nonEmpty: true },
    description:
      "Address haechi proxy listens on; non-loopback needs --allow-remote-bind and TLS (or proxy.trustForwardedProto).",
  },
  {
    path: "proxy.port",
    type: { kind: "integer", min: 0, max: 65535 },
    description: "Port haechi proxy listens on (0 picks a free one).",
  },
  {
    path: "proxy.upstream",
    env: "HAECHI_UPSTREAM",
    type: { kind: "string" },
    description: "Base URL of the LLM server (e.g. http://127.0.0.1:11434); required to start.",
  },
  {
    path: "proxy.mcpUpstream",
    type: { kind: "string" },
    description:
      "MCP Streamable HTTP server to protect (the mcp target), e.g. http://127.0.0.1:3001/mcp.",
  },
  {
    path: "proxy.mcpPath",
    type: { kind: "string", nonEmpty: true },
    description: "Path the gateway serves the MCP endpoint on.",
  },
  {
    path: "proxy.allowNonLoopback",
    env: null,
    type: { kind: "boolean" },
    description:
      "Acknowledges a non-loopback bind; the --allow-remote-bind flag is still required.",
  },
  {
    path: "proxy.tls.certFile",
    env: null,
    type: { kind: "string" },
    description: "PEM certificate file; with proxy.tls.keyFile, haechi proxy serves HTTPS.",
  },
  {
    path: "proxy.tls.keyFile",
    env: null,
    type: { kind: "string" },
    description: "PEM private key file for proxy.tls.certFile.",
  },
  {
    path: "proxy.trustForwardedProto",
    type: { kind: "boolean" },
    envOnly: [true],
    description:
      "A TLS-terminating proxy sits in front: refuse requests whose X-Forwarded-Proto is not https.",
  },
  {
    path: "proxy.allowUnknownRoutes",
    env: null,
    type: { kind: "boolean" },
    description: "Forward unknown routes with request protection only (default: refuse them).",
  },
  {
    path: "proxy.upstreamAllowHosts",
    env: null,
    type: { kind: "stringArray" },
    description: "Upstream hosts exempt from the link-local and cloud-metadata refusal.",
  },
  {
    path: "proxy.upstreamTimeoutMs",
    type: { kind: "integer", min: 100, max: 3_600_000 },
    description:
      "Milliseconds for a whole non-streamed reply, and for stream headers and each chunk gap.",
  },
  {
    path: "proxy.maxInFlight",
    type: { kind: "integer", min: 1, max: 100_000 },
    description: "Requests handled at once; more get 503 with Retry-After.",
  },
  {
    path: "proxy.upstreamAuthHeader",
    env: null,
    type: { kind: "string" },
    description: "Header that carries the upstream credential, e.g. authorization; empty for none.",
  },
  {
    path: "proxy.upstreamAuthEnv",
    env: null,
    type: { kind: "string" },
    description: "Environment variable holding the upstream credential header's value.",
  },
  {
    path: "proxy.forwardCallerCredentials",
    env: null,
    type: { kind: "boolean" },
    description: "Forward the caller's Authorization/x-api-key upstream (never with gateway auth).",
  },
  {
    path: "proxy.scopeHeader",
    env: null,
    type: { kind: "string" },
    description:
      "Request header naming the token scope without gateway auth; empty: scope default.",
  },
  {
    path: "proxy.forwardHeaders",
    env: null,
    type: { kind: "stringArray" },
    description:
      "Request headers forwarded (values scanned) beyond the built-in list; others are dropped.",
  },
  {
    path: "proxy.forwardQuery",
    env: null,
    type: { kind: "stringArray" },
    description:
      "Query parameters forwarded (values scanned) beyond the built-in list; others are dropped.",
  },
  {
    path: "proxy.stream.requests",
    type: { kind: "enum", values: ["inspect", "block"] },
    envOnly: ["block"],
    description:
      "inspect streamed replies (default), or block: refuse streaming requests with 501.",
  },
  {
    path: "proxy.restoreTokens",
    type: { kind: "boolean" },
    envOnly: [false],
    description:
      "Restore the caller's own tokens in replies; false leaves tokens in place (1.4's default).",
  },
  {
    path: "proxy.stream.holdbackChars",
    type: { kind: "integer", min: 16, max: 16384 },
    description:
      "Output characters held back per stream channel to catch values split across frames.",
  },
  {
    path: "proxy.stream.maxEventBytes",
    type: { kind: "integer", min: 1024, max: 64 * 1024 * 1024 },
    description: "Largest upstream stream event or NDJSON line, in bytes.",
  },
  {
    path: "proxy.stream.maxDurationMs",
    type: { kind: "integer", min: 1000, max: 86_400_000 },
    description: "Longest a streamed reply may run in total, in milliseconds.",
  },
  {
    path: "logging.format",
    type: { kind: "enum", values: ["text", "json"] },
    env: "HAECHI_LOG_FORMAT",
    description: "haechi proxy's own log lines: text, or one JSON object per line.",
  },
  {
    path: "metrics.enabled",
    type: { kind: "boolean" },
    description: "Serve GET /__haechi/metrics; false answers 404.",
  },
];

/**
 * Read the value at a dotted path, or `undefined` when any step is missing.
 *
 * @example
 * ```ts
 * import { valueAt } from "./schema.ts";
 * if (valueAt({ a: { b: 2 } }, "a.b") !== 2) throw new Error("bad lookup");
 * ```
 */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function buildKey(spec: ConfigKeySpec): ConfigKey {
  const fallback = valueAt(DEFAULT_CONFIG, spec.path);
  if (fallback === undefined) {
    throw new TypeError(`Schema row "${spec.path}" has no default in DEFAULT_CONFIG`);
  }
  return Object.freeze({
    ...spec,
    env: spec.env === undefined ? envNameFor(spec.path) : spec.env,
    default: fallback,
  });
}

/**
 * Every configuration key, in the order `haechi config` and rendered files show them.
 *
 * @example
 * ```ts
 * import { CONFIG_SCHEMA } from "./schema.ts";
 * const depth = CONFIG_SCHEMA.find((k) => k.path === "limits.maxDepth");
 * if (depth?.env !== "HAECHI_LIMITS_MAX_DEPTH") throw new Error("env name");
 * ```
 */
export const CONFIG_SCHEMA: readonly ConfigKey[] = Object.freeze(SPECS.map(buildKey));

/**
 * Describe a field type in words, as `haechi config` and error messages phrase it.
 *
 * @param type The field type.
 * @returns A phrase such as `an integer from 1 to 1024`.
 *
 * @example
 * ```ts
 * import { describeType } from "./schema.ts";
 * if (describeType({ kind: "boolean" }) !== "true or false") throw new Error("phrase");
 * ```
 */
export function describeType(type: FieldType): string {
  switch (type.kind) {
    case "const":
      return String(type.value);
    case "string":
      return type.nonEmpty ? "a non-empty string" : "a string";
    case "boolean":
      return "true or false";
    case "integer":
      return `an integer from ${type.min} to ${type.max}`;
    case "number":
      return `a number from ${type.min} to ${type.max}`;
    case "enum":
      return `one of ${quoteList(type.values)}`;
    case "stringArray":
      return "an array of strings";
    case "actionMap":
      return "an object mapping finding types to actions";
    case "integerMap":
      return `an object mapping finding types to integers from ${type.min} to ${type.max}`;
    case "trustAnchors":
      return "an array of {keyId, publicKey} or an object mapping key ids to public keys";
    case "customRules":
      return "an array of {id, type, pattern, flags?, confidence?, keywords?}";
    case "allowlist":
      return "an array of strings and {path, value?} objects";
    case "callerProfiles":
      return "an object mapping profile names to {actions?, modelAllowlist?}";
    case "profileBinding":
      return "{byScope?, byLabel?, default}";
  }
}

/**
 * Quote and comma-join values for messages: `"a", "b"`.
 *
 * @example
 * ```ts
 * import { quoteList } from "./schema.ts";
 * if (quoteList(["a", "b"]) !== '"a", "b"') throw new Error("quoting");
 * ```
 */
export function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}
