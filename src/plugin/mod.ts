/**
 * Signed plugins: the manifest, the trust gate and the process sandbox. Keys, the signed
 * envelope and trust anchors are in `src/signing/`; the auth gate that runs an
 * `authProvider` plugin for the proxy is in `src/auth/`.
 *
 * Lifecycle: `generateSigningKeyPair` (signing) → `signPlugin` → `verifyPlugin` (the gate,
 * with stable {@linkcode RefusalReason} codes) → `createAuthGate` (auth), which verifies
 * again at start-up and runs the plugin in a {@linkcode PluginSandbox}.
 *
 * @example
 * ```ts
 * import { REFUSAL_REASONS } from "./mod.ts";
 * if (!REFUSAL_REASONS.includes("unknown-signer")) throw new Error("stable refusal codes");
 * ```
 *
 * @module
 */
export { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from "./breaker.ts";
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
export {
  defaultRunnerPath,
  PluginSandbox,
  sandboxArgs,
  type SandboxEvent,
  type SandboxFailure,
  type SandboxOptions,
  type SandboxResult,
} from "./sandbox.ts";
export { materialisedRunner, type RunnerFile, runnerOnDisk } from "./runner_file.ts";
export { type PluginSignOptions, signPlugin } from "./sign.ts";
export {
  type PluginTrustPolicy,
  type PluginVerdict,
  REFUSAL_REASONS,
  type RefusalReason,
  verifyPlugin,
} from "./verify.ts";
export { readV14PluginEnvelope } from "./envelope_v14.ts";
