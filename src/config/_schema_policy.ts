/**
 * Schema rows for the top level, policy, filters, detection and limits.
 * Part of the table that `schema.ts` concatenates, in key order.
 *
 * @module
 */
import type { ConfigKeySpec } from "./schema.ts";
import { ACTIONS } from "./types.ts";

/** Schema rows for the top level, policy, filters, detection and limits. */
export const POLICY_SPECS: readonly ConfigKeySpec[] = [
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
      "Named per-caller overlays {actions?, modelAllowlist?, rate?}, strengthen-only; see docs/callers.md.",
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
];
