/**
 * Signed plugins: Ed25519 keys, the signed envelope shared with policy bundles, the
 * trust gate, the process sandbox and the auth gate the proxy calls.
 *
 * Lifecycle: `generateSigningKeyPair` → `signPlugin` → `verifyPlugin` (the gate, with
 * stable {@linkcode RefusalReason} codes) → `createAuthGate`, which verifies again at
 * start-up and runs the plugin in a {@linkcode PluginSandbox}.
 *
 * @example
 * ```ts
 * import { satisfies } from "./mod.ts";
 * if (!satisfies("0.1.0", "^0.1.0")) throw new Error("core range");
 * ```
 *
 * @module
 */
export {
  type AuditRecorder,
  type AuthDecision,
  type AuthGateDeps,
  type AuthProvider,
  createAuthGate,
  CREDENTIAL_HEADERS,
  requestView,
  resolveDeno,
} from "./auth_gate.ts";
export { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from "./breaker.ts";
export {
  ENVELOPE_FORMAT,
  envelopeSignatureValid,
  parseEnvelope,
  type SignedEnvelope,
  signEnvelope,
} from "./envelope.ts";
export {
  type GeneratedKeyPair,
  generateSigningKeyPair,
  importPrivateKeyPem,
  importPublicKey,
  keyIdFor,
  sha256Hex,
} from "./keys.ts";
export {
  CAPABILITIES,
  type Capability,
  checkManifest,
  normalizeCapabilities,
  PLUGIN_KINDS,
  PLUGIN_PURPOSE,
  type PluginKind,
  type PluginManifest,
} from "./manifest.ts";
export { parseEd25519Spki } from "./pem.ts";
export {
  PluginSandbox,
  sandboxArgs,
  type SandboxEvent,
  type SandboxFailure,
  type SandboxOptions,
  type SandboxResult,
} from "./sandbox.ts";
export { compareVersions, parseRange, parseVersion, satisfies } from "./semver.ts";
export { type PluginSignOptions, signPlugin } from "./sign.ts";
export { importTrustAnchors, normalizeTrustAnchors, type TrustAnchor } from "./trust.ts";
export {
  type PluginTrustPolicy,
  type PluginVerdict,
  REFUSAL_REASONS,
  type RefusalReason,
  verifyPlugin,
} from "./verify.ts";
