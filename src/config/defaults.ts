/**
 * Built-in defaults: what haechi does with no config file at all, and what `init` writes.
 *
 * @module
 */
import type { HaechiConfig } from "./types.ts";

/**
 * The default configuration: enforce, balanced preset, audit on.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "./defaults.ts";
 * if (DEFAULT_CONFIG.mode !== "enforce") throw new Error("defaults enforce");
 * ```
 */
export const DEFAULT_CONFIG: HaechiConfig = {
  configVersion: 1,
  mode: "enforce",
  policy: {
    preset: "balanced",
    defaultAction: "redact",
    actions: {},
    maskKeep: 4,
    profile: "none",
    bundlePath: "",
    trustAnchors: [],
    allowUnsafeOverrides: false,
    profiles: {},
    profileBinding: { byScope: {}, byLabel: {}, default: "" },
    modelAllowlist: [],
    rate: { requestsPerMinute: 0, store: "memory", redisUrl: "" },
  },
  filters: { minConfidence: 0, customRules: [], allowlist: [] },
  detect: {
    decode: false,
    decodeMaxDepth: 2,
    scanKeys: true,
    scanNumbers: false,
    disabledRules: [],
  },
  limits: {
    maxBytes: 10 * 1024 * 1024,
    maxDepth: 64,
    maxFindings: 10_000,
    requestTimeoutMs: 30_000,
    headersTimeoutMs: 30_000,
    shutdownGraceMs: 10_000,
  },
  audit: {
    enabled: true,
    path: ".haechi/audit.jsonl",
    anchorPath: ".haechi/audit.anchors.jsonl",
    anchorEvery: 1000,
  },
  keys: { provider: "local", path: ".haechi/keys.json", nonceBudget: 2 ** 32 },
  tokenVault: {
    path: ".haechi/vault.db",
    deterministicTypes: ["email", "phone", "ip_address"],
    ttlSeconds: 30 * 24 * 60 * 60,
    ttlByType: {},
    revealPolicy: "deny",
    decryptPolicy: "deny",
    synchronous: "normal",
    redisUrl: "",
  },
  mcp: {
    methods: { allow: ["*"], deny: [] },
    maxLineBytes: 4 * 1024 * 1024,
    stderr: "filter",
    scope: "default",
    detokenizeArguments: [],
  },
  auth: {
    provider: "none",
    store: ".haechi/auth.json",
    allowedLabelKeys: ["team", "env", "tier", "role"],
    plugin: {
      manifestPath: "",
      entryPath: "",
      trustAnchors: [],
      allowCapabilities: [],
      pin: "",
      pinVersion: "",
      pinManifestSha256: "",
      versionFloor: "",
      revoked: [],
      keyMaterial: { url: "", ttlMs: 300_000, cooldownMs: 30_000 },
    },
  },
  plugins: {
    enabled: true,
    denoPath: "",
    timeoutMs: 2000,
    maxHeapMb: 64,
    maxReplyBytes: 64 * 1024,
  },
  proxy: {
    host: "127.0.0.1",
    port: 11016,
    upstream: "",
    allowNonLoopback: false,
    tls: { certFile: "", keyFile: "", pfxFile: "", passphrase: "" },
    trustForwardedProto: false,
    allowUnknownRoutes: false,
    upstreamAllowHosts: [],
    upstreamTimeoutMs: 300_000,
    maxInFlight: 64,
    upstreamAuthHeader: "",
    upstreamAuthEnv: "",
    forwardCallerCredentials: false,
    scopeHeader: "",
    forwardHeaders: [],
    forwardQuery: [],
    mcpUpstream: "",
    mcpPath: "/mcp",
    restoreTokens: true,
    stream: {
      requests: "inspect",
      holdbackChars: 256,
      maxEventBytes: 1024 * 1024,
      maxDurationMs: 3_600_000,
    },
  },
  logging: { format: "text" },
  metrics: { enabled: true },
};

/**
 * The anchor file that goes with an audit log when `audit.anchorPath` is not set: beside
 * it, `.jsonl` replaced by `.anchors.jsonl` (or that appended). A log moved to a new path
 * takes its anchors along, instead of being checked against the old log's anchors.
 *
 * @param logPath The audit log path.
 * @returns The anchor file path.
 *
 * @example
 * ```ts
 * import { anchorPathFor } from "./defaults.ts";
 * if (anchorPathFor("logs/a.jsonl") !== "logs/a.anchors.jsonl") throw new Error("beside");
 * ```
 */
export function anchorPathFor(logPath: string): string {
  return logPath.endsWith(".jsonl")
    ? `${logPath.slice(0, -".jsonl".length)}.anchors.jsonl`
    : `${logPath}.anchors.jsonl`;
}
