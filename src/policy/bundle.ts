/**
 * Signed policy bundles: a central team signs per-type actions with Ed25519 (the same
 * keys and envelope as plugins), and gateways that trust the team's public key merge the
 * bundle into their policy, strengthen-only.
 *
 * Payload (inside the `haechi.signed/v1` envelope):
 *
 * ```json
 * {
 *   "purpose": "haechi.policy-bundle/v1", "bundleId": "corp-baseline", "version": "3.0.0",
 *   "signerKeyId": "sec-team", "issuedAt": 1700000000000, "notAfter": 1800000000000,
 *   "policy": { "actions": { "email": "redact" }, "defaultAction": "block", "mode": "enforce" }
 * }
 * ```
 *
 * `mode: "enforce"` forces enforcement on a gateway configured for dry-run; a bundle can
 * never turn enforcement off.
 *
 * @module
 */
import { type Action, ACTIONS, type HaechiConfig, strongerAction } from "../config/mod.ts";
import { BUILTIN_RULES, type Rule } from "../detect/mod.ts";
import { HaechiError } from "../errors.ts";
import {
  envelopeSignatureValid,
  importTrustAnchors,
  KEY_ID_RE,
  parseEnvelope,
  parseVersion,
  signEnvelope,
  type TrustAnchor,
} from "../signing/mod.ts";
import { presetAction } from "./presets.ts";

/** Payload purpose tag for policy bundles. */
export const BUNDLE_PURPOSE = "haechi.policy-bundle/v1";

/** What a bundle asks for. */
export interface BundlePolicy {
  /** Per-type actions (floors). */
  readonly actions: Readonly<Record<string, Action>>;
  /** Floor for the default action. */
  readonly defaultAction?: Action;
  /** `enforce` forces enforcement. */
  readonly mode?: "enforce";
}

/** A checked bundle payload. */
export interface PolicyBundle {
  readonly purpose: typeof BUNDLE_PURPOSE;
  readonly bundleId: string;
  readonly version: string;
  readonly signerKeyId: string;
  readonly issuedAt: number;
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly policy: BundlePolicy;
}

/** Why a bundle is refused. */
export type BundleRefusal =
  | "bundle-invalid"
  | "alg-not-ed25519"
  | "unknown-signer"
  | "invalid-signature"
  | "expired-window"
  | "revoked";

const ID_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const TYPE_RE = /^[a-z0-9][a-z0-9_]{0,63}$/;
const PAYLOAD_KEYS = [
  "purpose",
  "bundleId",
  "version",
  "signerKeyId",
  "issuedAt",
  "notBefore",
  "notAfter",
  "policy",
];

function isTime(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function isAction(v: unknown): v is Action {
  return typeof v === "string" && (ACTIONS as readonly string[]).includes(v);
}

/**
 * Check the `policy` part a signer supplies (also used by `policy-sign` before signing).
 *
 * @example
 * ```ts
 * import { checkBundlePolicy } from "./bundle.ts";
 * if (checkBundlePolicy({ actions: { email: "maybe" } }).ok) throw new Error("bad action");
 * ```
 */
export function checkBundlePolicy(
  value: unknown,
): { ok: true; policy: BundlePolicy } | { ok: false; message: string } {
  const bad = (message: string) => ({ ok: false as const, message });
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return bad('Bundle "policy" must be an object');
  }
  const p = value as Record<string, unknown>;
  const extra = Object.keys(p).find((k) => !["actions", "defaultAction", "mode"].includes(k));
  if (extra !== undefined) return bad(`Bundle "policy" has unknown key ${JSON.stringify(extra)}`);
  const actions = p.actions;
  if (actions === null || typeof actions !== "object" || Array.isArray(actions)) {
    return bad('Bundle "policy.actions" must be an object mapping finding types to actions');
  }
  for (const [type, action] of Object.entries(actions)) {
    if (!TYPE_RE.test(type)) return bad(`Bundle "policy.actions" has an invalid type name`);
    if (!isAction(action)) {
      return bad(`Bundle "policy.actions.${type}" must be one of ${ACTIONS.join(", ")}`);
    }
  }
  if (p.defaultAction !== undefined && !isAction(p.defaultAction)) {
    return bad(`Bundle "policy.defaultAction" must be one of ${ACTIONS.join(", ")}`);
  }
  if (p.mode !== undefined && p.mode !== "enforce") {
    return bad('Bundle "policy.mode" may only be "enforce"');
  }
  return { ok: true, policy: p as unknown as BundlePolicy };
}

function checkPayload(
  p: Record<string, unknown>,
): { ok: true; bundle: PolicyBundle } | { ok: false; message: string } {
  const bad = (message: string) => ({ ok: false as const, message });
  const extra = Object.keys(p).find((k) => !PAYLOAD_KEYS.includes(k));
  if (extra !== undefined) return bad(`Bundle has unknown key ${JSON.stringify(extra)}`);
  if (p.purpose !== BUNDLE_PURPOSE) return bad(`Bundle "purpose" must be "${BUNDLE_PURPOSE}"`);
  if (typeof p.bundleId !== "string" || !ID_RE.test(p.bundleId)) {
    return bad('Bundle "bundleId" must be 1-64 lowercase letters, digits or ._-');
  }
  if (typeof p.version !== "string" || parseVersion(p.version) === null) {
    return bad('Bundle "version" must be a semantic version');
  }
  if (typeof p.signerKeyId !== "string" || !KEY_ID_RE.test(p.signerKeyId)) {
    return bad('Bundle "signerKeyId" must be 1-64 letters, digits or ._:-');
  }
  if (!isTime(p.issuedAt)) return bad('Bundle "issuedAt" must be milliseconds since the epoch');
  if (p.notBefore !== undefined && !isTime(p.notBefore)) {
    return bad('Bundle "notBefore" is invalid');
  }
  if (p.notAfter !== undefined && !isTime(p.notAfter)) return bad('Bundle "notAfter" is invalid');
  const policy = checkBundlePolicy(p.policy);
  if (!policy.ok) return policy;
  return { ok: true, bundle: p as unknown as PolicyBundle };
}

/** Fields the signer states besides the policy. */
export interface BundleSignOptions {
  readonly bundleId: string;
  readonly version: string;
  readonly signerKeyId: string;
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly issuedAt?: number;
}

/**
 * Sign a policy bundle.
 *
 * @returns The envelope text.
 * @throws {HaechiError} `usage.invalid` naming the field when the bundle would be invalid.
 *
 * @example
 * ```ts ignore
 * const text = await signPolicyBundle({ actions: { email: "redact" } }, opts, key);
 * ```
 */
export async function signPolicyBundle(
  policy: unknown,
  options: BundleSignOptions,
  key: CryptoKey,
): Promise<string> {
  const payload: Record<string, unknown> = {
    purpose: BUNDLE_PURPOSE,
    bundleId: options.bundleId,
    version: options.version,
    signerKeyId: options.signerKeyId,
    issuedAt: options.issuedAt ?? Date.now(),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    policy,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  const checked = checkPayload(payload);
  if (!checked.ok) throw new HaechiError("usage.invalid", checked.message);
  return await signEnvelope(payload, key);
}

/** The verifier's answer. */
export type BundleVerdict =
  | { readonly ok: true; readonly bundle: PolicyBundle }
  | { readonly ok: false; readonly reason: BundleRefusal; readonly message: string };

/**
 * Verify a signed bundle's text against trust anchors and the clock.
 *
 * @example
 * ```ts ignore
 * const v = await verifyPolicyBundle(text, { anchors, now: Date.now() });
 * ```
 */
export async function verifyPolicyBundle(
  text: string,
  options: {
    readonly anchors: readonly TrustAnchor[];
    readonly now: number;
    readonly revoked?: readonly string[];
  },
): Promise<BundleVerdict> {
  const parsed = parseEnvelope(text);
  if (!parsed.ok) {
    const reason = parsed.problem.reason === "alg-not-ed25519"
      ? "alg-not-ed25519"
      : "bundle-invalid";
    return { ok: false, reason, message: parsed.problem.message.replace("Signed file", "Bundle") };
  }
  const checked = checkPayload(parsed.envelope.payload);
  if (!checked.ok) return { ok: false, reason: "bundle-invalid", message: checked.message };
  const bundle = checked.bundle;
  const signer = bundle.signerKeyId;
  if ((options.revoked ?? []).includes(signer)) {
    return { ok: false, reason: "revoked", message: `Signer key "${signer}" is revoked` };
  }
  const key = (await importTrustAnchors(options.anchors)).get(signer);
  if (key === undefined) {
    return {
      ok: false,
      reason: "unknown-signer",
      message: `Signer key "${signer}" is not in policy.trustAnchors`,
    };
  }
  if (!await envelopeSignatureValid(parsed.envelope, key)) {
    return {
      ok: false,
      reason: "invalid-signature",
      message: "Bundle signature does not verify; the file was changed after signing",
    };
  }
  if (bundle.notBefore !== undefined && options.now < bundle.notBefore) {
    return { ok: false, reason: "expired-window", message: "Bundle is not valid yet" };
  }
  if (bundle.notAfter !== undefined && options.now >= bundle.notAfter) {
    return { ok: false, reason: "expired-window", message: "Bundle has expired" };
  }
  return { ok: true, bundle };
}

/**
 * Merge a verified bundle into `config`, strengthen-only: each type's action becomes the
 * stronger of its current effective action (explicit, else the preset's) and the bundle's.
 *
 * @param config The loaded configuration.
 * @param bundle A verified bundle.
 * @param rules Rule rows, for each type's preset action (built-in rules by default).
 * @returns A new frozen configuration.
 *
 * @example
 * ```ts ignore
 * const merged = applyPolicyBundle(config, verdict.bundle);
 * ```
 */
export function applyPolicyBundle(
  config: HaechiConfig,
  bundle: PolicyBundle,
  rules: readonly Rule[] = BUILTIN_RULES,
): HaechiConfig {
  const actions: Record<string, Action> = { ...config.policy.actions };
  for (const [type, action] of Object.entries(bundle.policy.actions)) {
    const rule = rules.find((r) => r.type === type);
    const current = actions[type] ??
      (rule === undefined ? config.policy.defaultAction : presetAction(config.policy.preset, type, {
        category: rule.category,
        hardBlock: rule.hardBlock,
      }, config.policy.defaultAction));
    actions[type] = strongerAction(current, action);
  }
  const defaultAction = bundle.policy.defaultAction === undefined
    ? config.policy.defaultAction
    : strongerAction(config.policy.defaultAction, bundle.policy.defaultAction);
  const mode = bundle.policy.mode === "enforce" ? "enforce" : config.mode;
  return deepFreeze({
    ...config,
    mode,
    policy: { ...config.policy, actions, defaultAction },
  });
}

/**
 * Verify the text of the bundle named by `policy.bundlePath` with `policy.trustAnchors` and
 * merge it. Reading the file is the caller's job (`src/session/policy_bundle.ts`), so policy
 * stays free of I/O.
 *
 * @param config The loaded configuration; `policy.bundlePath` names the bundle in messages.
 * @param text The bundle file's text.
 * @param options Clock for the validity window.
 * @returns The merged configuration.
 * @throws {HaechiError} `policy.bundle_invalid` when the bundle is tampered, expired or
 *   signed by an untrusted key; `details.reason` holds the code.
 *
 * @example
 * ```ts ignore
 * const merged = await admitPolicyBundle(config, text);
 * ```
 */
export async function admitPolicyBundle(
  config: HaechiConfig,
  text: string,
  options: { readonly now?: number } = {},
): Promise<HaechiConfig> {
  const path = config.policy.bundlePath;
  const verdict = await verifyPolicyBundle(text, {
    anchors: config.policy.trustAnchors,
    now: options.now ?? Date.now(),
  });
  if (!verdict.ok) {
    throw new HaechiError(
      "policy.bundle_invalid",
      `Policy bundle ${JSON.stringify(path)} refused (${verdict.reason}): ${verdict.message}`,
      { reason: verdict.reason, path },
    );
  }
  return applyPolicyBundle(config, verdict.bundle);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
