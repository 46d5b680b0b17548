/**
 * Schema rows for MCP, caller profiles, auth and plugins.
 * Part of the table that `schema.ts` concatenates, in key order.
 *
 * @module
 */
import type { ConfigKeySpec } from "./schema.ts";

/** Schema rows for MCP, caller profiles, auth and plugins. */
export const ACCESS_SPECS: readonly ConfigKeySpec[] = [
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
    type: { kind: "enum", values: ["none", "bearer", "plugin", "external"] },
    description:
      "Who authenticates callers: none, bearer tokens (haechi auth), the signed plugin, or a provider injected by an embedding program (external).",
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
    path: "auth.plugin.keyMaterial.url",
    env: null,
    type: { kind: "string" },
    description:
      "https URL of a key document (e.g. a JWKS) the host fetches for the plugin; empty for none.",
  },
  {
    path: "auth.plugin.keyMaterial.ttlMs",
    env: null,
    type: { kind: "integer", min: 1000, max: 86_400_000 },
    description: "How long a fetched key document is used before it is fetched again.",
  },
  {
    path: "auth.plugin.keyMaterial.cooldownMs",
    env: null,
    type: { kind: "integer", min: 1000, max: 86_400_000 },
    description: "After a failed key document fetch, how long until the next attempt.",
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
    description:
      "Deno executable that runs plugins; empty uses the running one if it is deno (binaries and npm need it set).",
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
];
