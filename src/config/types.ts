/**
 * The validated configuration, as the rest of haechi consumes it.
 *
 * The raw JSON file (`haechi.config.json`, `configVersion: 1`) is checked against the schema
 * in `schema.ts`, overlaid with `HAECHI_*` environment variables and filled with defaults,
 * producing one {@linkcode HaechiConfig}. Nothing downstream re-validates.
 *
 * @module
 */

import type { CustomRuleSpec } from "../detect/mod.ts";

/** What to do with a finding. */
export type Action = "allow" | "mask" | "tokenize" | "encrypt" | "redact" | "block";

/** Every action, weakest first: the order the strengthen-only merge uses. */
export const ACTIONS: readonly Action[] = [
  "allow",
  "mask",
  "tokenize",
  "encrypt",
  "redact",
  "block",
];

/** Enforce changes payloads; dry-run only reports. */
export type Mode = "enforce" | "dry-run";

/** Named starting points for per-type actions. */
export type PresetName = "balanced" | "strict" | "secrets-only" | "none";

/** Policy section. */
export interface PolicyConfig {
  /** Starting point for per-type actions. */
  readonly preset: PresetName;
  /** Action for types the preset and `actions` leave open. */
  readonly defaultAction: Action;
  /** Per-type overrides, keyed by finding type. */
  readonly actions: Readonly<Record<string, Action>>;
  /** How many trailing characters `mask` keeps visible. */
  readonly maskKeep: number;
  /** Privacy profile layered on top (strengthen-only); `none` for no profile. */
  readonly profile: PrivacyProfileName;
  /** Signed policy bundle to load (strengthen-only); empty for none. */
  readonly bundlePath: string;
  /** Public keys allowed to sign policy bundles. */
  readonly trustAnchors: readonly TrustAnchorConfig[];
  /** Let a profile set a weaker action than the base policy. */
  readonly allowUnsafeOverrides: boolean;
  /** Named per-caller overlays; empty: every caller gets the base policy. */
  readonly profiles: Readonly<Record<string, CallerProfile>>;
  /** Which profile a caller gets. */
  readonly profileBinding: ProfileBindingConfig;
  /** Models every caller may name; empty allows all. */
  readonly modelAllowlist: readonly string[];
  /** Per-identity request rate limit. */
  readonly rate: RateConfig;
}

/** One named per-caller profile (`policy.profiles.<name>`). */
export interface CallerProfile {
  /** Per-type actions over the base `policy.actions`. */
  readonly actions?: Readonly<Record<string, Action>>;
  /** Models this profile may name; absent or empty: the base allowlist. */
  readonly modelAllowlist?: readonly string[];
  /** This profile's own budget per identity; absent: `policy.rate.requestsPerMinute`. */
  readonly rate?: { readonly requestsPerMinute: number };
}

/** `policy.profileBinding`: scope, then label (`key=value`), then `default`. */
export interface ProfileBindingConfig {
  /** Token scope to profile name. */
  readonly byScope: Readonly<Record<string, string>>;
  /** `key=value` label to profile name. */
  readonly byLabel: Readonly<Record<string, string>>;
  /** Profile for every other caller, anonymous ones included ("" only without profiles). */
  readonly default: string;
}

/** Per-identity request rate limit (`policy.rate`). */
export interface RateConfig {
  /** Requests each identity may make per minute; 0 for no limit. */
  readonly requestsPerMinute: number;
  /** Where counters live: this process (`memory`) or a Redis shared by every replica. */
  readonly store: "memory" | "redis";
  /** `redis://` URL of the shared store (only with `store: "redis"`). */
  readonly redisUrl: string;
}

/** Privacy profiles: per-type default actions for a jurisdiction, strengthen-only. */
export type PrivacyProfileName =
  | "none"
  | "kr-pipa"
  | "eu-gdpr"
  | "us-general"
  | "asia-pdpa"
  | "jp-appi";

/** One trusted Ed25519 public key (plugins and policy bundles). */
export interface TrustAnchorConfig {
  /** Id signers name in `signerKeyId`. */
  readonly keyId: string;
  /** SPKI PEM, or base64 of the SPKI DER. */
  readonly publicKey: string;
}

/** The signed auth plugin and what it may do. */
export interface AuthPluginConfig {
  /** Signed manifest written by `haechi plugin-sign`. */
  readonly manifestPath: string;
  /** The plugin's entry file (its exact bytes are signed). */
  readonly entryPath: string;
  /** Public keys trusted to sign plugins. */
  readonly trustAnchors: readonly TrustAnchorConfig[];
  /** Capabilities a plugin may declare. */
  readonly allowCapabilities: readonly string[];
  /** Expected entry SHA-256 (hex); empty for no pin. */
  readonly pin: string;
  /** Exact plugin version required; empty for any. */
  readonly pinVersion: string;
  /** Expected SHA-256 (hex) of the signed manifest file's bytes; empty for no pin. */
  readonly pinManifestSha256: string;
  /** Lowest accepted plugin version; empty for none. */
  readonly versionFloor: string;
  /** Revoked signer key ids and entry SHA-256 digests. */
  readonly revoked: readonly string[];
  /** A key document the host fetches and hands to the plugin (`url` "" for none). */
  readonly keyMaterial: KeyMaterialSettings;
}

/** `auth.plugin.keyMaterial`: the host-fetched key document of a custom-credential plugin. */
export interface KeyMaterialSettings {
  /** https URL; "" for none. */
  readonly url: string;
  /** How long a fetched document is used (ms). */
  readonly ttlMs: number;
  /** After a failed fetch, how long until the next attempt (ms). */
  readonly cooldownMs: number;
}

/** Who authenticates gateway callers. */
export interface AuthConfig {
  /**
   * `none` lets every caller through; `bearer` checks `Authorization: Bearer` against the
   * token store; `plugin` asks the signed auth plugin; `external` asks a provider the
   * program embedding haechi injects (`openGateway` option `authProvider`).
   */
  readonly provider: "none" | "bearer" | "plugin" | "external";
  /** Bearer token store (mode 0600): keyed-HMAC hashes of tokens, never the tokens. */
  readonly store: string;
  /** Label keys a bearer token may carry. */
  readonly allowedLabelKeys: readonly string[];
  /** The auth plugin. */
  readonly plugin: AuthPluginConfig;
}

/** The plugin sandbox. */
export interface PluginsConfig {
  /** Global kill switch: false refuses to run any plugin. */
  readonly enabled: boolean;
  /** Deno executable that runs plugins; empty uses the running one when it is deno. */
  readonly denoPath: string;
  /** Per-call time limit; the child is killed when it passes. */
  readonly timeoutMs: number;
  /** V8 heap cap for the child, in MiB. */
  readonly maxHeapMb: number;
  /** Largest reply line accepted from the child, in bytes. */
  readonly maxReplyBytes: number;
}

/** Filters that can silence soft findings (never hard-block types). */
export interface FiltersConfig {
  /** Soft findings below this confidence are ignored. */
  readonly minConfidence: number;
  /** Operator rules, checked linear at load (src/detect/custom_rules.ts). */
  readonly customRules: readonly CustomRuleSpec[];
  /**
   * Exact values or `*` globs never reported for soft types, and path-scoped entries
   * (haechi 1.4's `{value?, path}`): only at that JSON path.
   */
  readonly allowlist: readonly AllowlistEntry[];
}

/**
 * One `filters.allowlist` entry: a value (exact or `*` glob) allowed anywhere, or an entry
 * for one JSON path as `haechi scan` reports it (`$.messages[0].content`): every soft
 * finding there, or only `value` there.
 */
export type AllowlistEntry = string | { readonly path: string; readonly value?: string };

/** Detection switches. */
export interface DetectConfig {
  /** Decode base64, URL-encoding and `\u` escapes and rescan. */
  readonly decode: boolean;
  /** Layers of encoding to peel when decoding. */
  readonly decodeMaxDepth: number;
  /** Scan object keys as well as values. */
  readonly scanKeys: boolean;
  /** Scan JSON numbers of replies (requests always have their numbers scanned). */
  readonly scanNumbers: boolean;
  /** Rule ids to switch off. */
  readonly disabledRules: readonly string[];
}

/** Payload limits. */
export interface LimitsConfig {
  /** Largest accepted payload in bytes. */
  readonly maxBytes: number;
  /** Deepest accepted JSON nesting. */
  readonly maxDepth: number;
  /** Most findings one message may hold before it is refused (each may cost a vault write). */
  readonly maxFindings: number;
  /** Time allowed for a request body to arrive once its head is in, in ms; 0 disables. */
  readonly requestTimeoutMs: number;
  /** Time allowed for a request head to arrive, in ms; 0 disables. */
  readonly headersTimeoutMs: number;
  /** On SIGINT/SIGTERM, how long in-flight requests may finish before they are cut, in ms. */
  readonly shutdownGraceMs: number;
}

/** Audit log section. */
export interface AuditConfig {
  /** Write audit events. */
  readonly enabled: boolean;
  /** JSONL log path. */
  readonly path: string;
  /** Anchor file path, or empty for none. */
  readonly anchorPath: string;
  /** Write an anchor record every this many events (0: only on close). */
  readonly anchorEvery: number;
}

/** Key material location and limits. */
export interface KeysConfig {
  /**
   * `local`: the key file at `path`. `external`: keys come from a crypto provider the
   * embedding program injects (`openSession`/`openGateway` option `crypto`); the CLI has
   * no way to inject one and refuses to start.
   */
  readonly provider: "local" | "external";
  /** Key file written by `haechi init` (mode 0600). */
  readonly path: string;
  /**
   * AES-GCM encryptions allowed per data key before `haechi keys rotate` is required.
   * The default, 2^32, is the NIST SP 800-38D limit for random 96-bit nonces.
   */
  readonly nonceBudget: number;
}

/** Who may turn a token or envelope back into its value from the command line. */
export type RevealPolicy = "deny" | "allow";

/** Token vault section. */
export interface TokenVaultConfig {
  /** SQLite database holding the encrypted token records. */
  readonly path: string;
  /** Types whose same value in the same scope always gets the same token. */
  readonly deterministicTypes: readonly string[];
  /** Default token lifetime in seconds; 0 means tokens never expire. */
  readonly ttlSeconds: number;
  /** Per-type lifetimes in seconds, overriding `ttlSeconds`. */
  readonly ttlByType: Readonly<Record<string, number>>;
  /** Whether `haechi token-reveal` may print values. */
  readonly revealPolicy: RevealPolicy;
  /** Whether `haechi decrypt` may print values. */
  readonly decryptPolicy: RevealPolicy;
  /** SQLite `synchronous`: `normal` survives process crashes, `full` also power loss. */
  readonly synchronous: "normal" | "full";
  /**
   * `redis://` URL of a token vault shared by gateway replicas; empty keeps the SQLite file
   * at `path`. Values are encrypted before they reach either store.
   */
  readonly redisUrl: string;
}

/** What `mcp-wrap --stderr` does with the child's standard error. */
export type McpStderrMode = "filter" | "drop" | "inherit";

/** Method allow/deny lists for MCP traffic (exact names or `prefix/*` globs). */
export interface McpMethodsConfig {
  /** Methods let through; `*` allows everything not denied. */
  readonly allow: readonly string[];
  /** Methods refused even when allowed. */
  readonly deny: readonly string[];
}

/** MCP wrapper section (`haechi mcp-wrap`, `mcp-stdio` and the HTTP `mcp` target). */
export interface McpConfig {
  /** Method policy applied in both directions. */
  readonly methods: McpMethodsConfig;
  /** Longest JSON-RPC message accepted, in bytes. */
  readonly maxLineBytes: number;
  /** Default for `--stderr`. */
  readonly stderr: McpStderrMode;
  /** Token scope for tokens issued in MCP traffic and for `detokenizeArguments`. */
  readonly scope: string;
  /** `server/tool` patterns whose call arguments get real values back for tokens. */
  readonly detokenizeArguments: readonly string[];
}

/** Streaming settings of the gateway. */
export interface ProxyStreamConfig {
  /** `inspect` streamed replies, or `block`: refuse streaming requests (501). */
  readonly requests: "inspect" | "block";
  /** Characters of model output held back per text channel to catch values split across frames. */
  readonly holdbackChars: number;
  /** Largest single upstream stream event or line, in bytes. */
  readonly maxEventBytes: number;
  /** Longest a streamed reply may run in total, in ms. */
  readonly maxDurationMs: number;
}

/** TLS material for `haechi proxy`, as file paths read at start-up (`""` = none). */
export interface ProxyTlsConfig {
  /** PEM certificate (chain) file. */
  readonly certFile: string;
  /** PEM private key file. */
  readonly keyFile: string;
  /** PKCS#12 file holding key and chain (instead of the two PEM files); "" when unused. */
  readonly pfxFile: string;
  /** Password of `pfxFile`. */
  readonly passphrase: string;
}

/** The LLM gateway (`haechi proxy`). */
export interface ProxyConfig {
  /** Address to listen on. */
  readonly host: string;
  /** Port to listen on. */
  readonly port: number;
  /** Base URL of the LLM server requests are forwarded to. */
  readonly upstream: string;
  /**
   * Acknowledges a non-loopback bind. Never enough alone: `haechi proxy` also needs its
   * `--allow-remote-bind` flag, so a config file cannot open the gateway to the network.
   */
  readonly allowNonLoopback: boolean;
  /** PEM files: when both are set, `haechi proxy` serves HTTPS itself. */
  readonly tls: ProxyTlsConfig;
  /**
   * A trusted TLS terminator sits in front: requests whose `X-Forwarded-Proto` is not
   * `https` are refused (403), `/__haechi/*` excepted.
   */
  readonly trustForwardedProto: boolean;
  /** Forward routes no protocol knows, with request protection only. */
  readonly allowUnknownRoutes: boolean;
  /** Upstream host names or addresses exempt from the link-local/metadata refusal. */
  readonly upstreamAllowHosts: readonly string[];
  /**
   * Time allowed for a whole non-streamed reply (headers and body), and for the headers of a
   * stream and each wait between its chunks.
   */
  readonly upstreamTimeoutMs: number;
  /** Requests handled at once; more get 503 with Retry-After. */
  readonly maxInFlight: number;
  /** Header that carries the upstream credential (e.g. authorization, x-api-key). */
  readonly upstreamAuthHeader: string;
  /** Environment variable holding that header's value. */
  readonly upstreamAuthEnv: string;
  /** Forward the caller's own credential headers upstream (only without gateway auth). */
  readonly forwardCallerCredentials: boolean;
  /** Request header naming the caller's token scope when no gateway auth is in use. */
  readonly scopeHeader: string;
  /** Request headers forwarded (values scanned) beyond the built-in list, lower case. */
  readonly forwardHeaders: readonly string[];
  /** Query parameters forwarded (values scanned) beyond the built-in list. */
  readonly forwardQuery: readonly string[];
  /** MCP Streamable HTTP upstream mounted at `mcpPath` (the `mcp` target); empty for none. */
  readonly mcpUpstream: string;
  /** Path the MCP endpoint is served on. */
  readonly mcpPath: string;
  /** Restore the caller's own tokens in replies. */
  readonly restoreTokens: boolean;
  /** Streaming. */
  readonly stream: ProxyStreamConfig;
}

/** haechi proxy's own log lines. */
export interface LoggingConfig {
  /** `text` lines for people, or `json`: one object per line. */
  readonly format: "text" | "json";
}

/** Telemetry. */
export interface MetricsConfig {
  /** Serve `GET /__haechi/metrics`; false answers 404. */
  readonly enabled: boolean;
}

/** The whole validated configuration. */
export interface HaechiConfig {
  /** Always 1 for this release. */
  readonly configVersion: 1;
  /** Enforce or dry-run. */
  readonly mode: Mode;
  /** Policy. */
  readonly policy: PolicyConfig;
  /** Filters. */
  readonly filters: FiltersConfig;
  /** Detection. */
  readonly detect: DetectConfig;
  /** Limits. */
  readonly limits: LimitsConfig;
  /** Audit. */
  readonly audit: AuditConfig;
  /** Keys. */
  readonly keys: KeysConfig;
  /** Token vault. */
  readonly tokenVault: TokenVaultConfig;
  /** MCP wrapper. */
  readonly mcp: McpConfig;
  /** Caller authentication. */
  readonly auth: AuthConfig;
  /** Plugin sandbox. */
  readonly plugins: PluginsConfig;
  /** LLM gateway. */
  readonly proxy: ProxyConfig;
  /** Log format. */
  readonly logging: LoggingConfig;
  /** Telemetry. */
  readonly metrics: MetricsConfig;
}
