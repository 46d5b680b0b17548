/**
 * Where this project's default deliberately differs from haechi 1.4's, as data: `haechi
 * status` prints it and docs/compat.md explains it. An explicit value in a config file
 * still wins where haechi can honour it (see src/config/compat.ts).
 *
 * @module
 */

/** One deliberate difference in default. */
export interface DefaultDifference {
  /** The 1.4 key (or behaviour) concerned. */
  readonly key: string;
  /** haechi 1.4's default. */
  readonly spec: string;
  /** This project's default. */
  readonly here: string;
}

/**
 * Every deliberate difference in default.
 *
 * @example
 * ```ts
 * import { DEFAULT_DIFFERENCES } from "./compat_defaults.ts";
 * if (!DEFAULT_DIFFERENCES.some((d) => d.key === "mode")) throw new Error("mode differs");
 * ```
 */
export const DEFAULT_DIFFERENCES: readonly DefaultDifference[] = [
  { key: "mode", spec: "dry-run", here: "enforce" },
  {
    key: "policy.presets",
    spec: "korean-pii, secrets-only, llm-redact; card blocks",
    here: "balanced: secrets redacted, contact data tokenized, cards masked; nothing blocks",
  },
  { key: "streaming.requestMode", spec: "block (501)", here: "inspect every stream" },
  { key: "responseProtection.enabled", spec: "false", here: "every reply is scanned" },
  {
    key: "tokenVault.detokenizeResponses",
    spec: "false",
    here: "a request's own tokens restored; its scope's only when authenticated",
  },
  {
    key: "tokenVault.deterministic",
    spec: "false",
    here: "email, phone and IP address tokens are deterministic per scope",
  },
  { key: "tokenVault.path", spec: ".haechi/token-vault.json", here: ".haechi/vault.db (SQLite)" },
  { key: "keys.keyFile", spec: ".haechi/dev.keys.json", here: ".haechi/keys.json" },
  {
    key: "mcp.allowedMethods",
    spec: "initialize, tools/call, resources/read, prompts/get",
    here: "* (every method; deny lists narrow it)",
  },
  { key: "limits.maxRequestBytes", spec: "1048576", here: "10485760" },
  { key: "limits.maxNestingDepth", spec: "256", here: "64" },
  { key: "limits.upstreamTimeoutMs", spec: "120000", here: "300000" },
  { key: "limits.maxInFlight", spec: "0 (no ceiling)", here: "64" },
  {
    key: "policy-sign",
    spec: "HMAC with the local key file",
    here: "Ed25519 with a key from plugin-keygen",
  },
];
