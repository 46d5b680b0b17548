/**
 * The trust gate: the one check both `haechi plugin-verify` and the runtime run before a
 * plugin's code is handed to the sandbox. It fails closed with a stable reason code.
 *
 * Order matters only for which reason is reported when several apply; every check must
 * pass. Shape and algorithm come first (nothing else can be read safely before them),
 * revocation of the signer before the signature (a revoked key is refused even with a
 * valid signature), then the signature, then facts the signature vouches for.
 *
 * @module
 */
import {
  compareVersions,
  envelopeSignatureValid,
  importTrustAnchors,
  parseEnvelope,
  parseVersion,
  satisfies,
  sha256Hex,
  type SignedEnvelope,
  type TrustAnchor,
} from "../signing/mod.ts";
import { readV14PluginEnvelope } from "./envelope_v14.ts";
import { checkManifest, type PluginManifest } from "./manifest.ts";

/** Every reason a plugin is refused. */
export const REFUSAL_REASONS = [
  "manifest-invalid",
  "alg-not-ed25519",
  "unknown-signer",
  "invalid-signature",
  "tampered-entry",
  "expired-window",
  "below-version-floor",
  "revoked",
  "pin-mismatch",
  "capability-not-allowlisted",
  "core-range-mismatch",
] as const;
/** A refusal reason code. */
export type RefusalReason = typeof REFUSAL_REASONS[number];

/** What the operator trusts and allows. */
export interface PluginTrustPolicy {
  /** Trusted keys: anchors from config, or keys already imported by id. */
  readonly anchors: readonly TrustAnchor[] | ReadonlyMap<string, CryptoKey>;
  /** Capabilities a plugin may declare; anything else is refused. */
  readonly allowCapabilities: readonly string[];
  /** Expected entry SHA-256 (hex); empty or absent for no pin. */
  readonly pin?: string;
  /** Exact plugin version required; empty or absent for any. */
  readonly pinVersion?: string;
  /** Expected SHA-256 (hex) of the manifest file's exact bytes; empty or absent for no pin. */
  readonly pinManifestSha256?: string;
  /** Lowest accepted plugin version; empty or absent for none. */
  readonly versionFloor?: string;
  /** Revoked signer key ids and entry SHA-256 digests. */
  readonly revoked?: readonly string[];
  /** The running core version (src/version.ts `VERSION`). */
  readonly coreVersion: string;
  /** Current time in milliseconds. */
  readonly now: number;
}

/** The gate's answer. */
export type PluginVerdict =
  | { readonly ok: true; readonly manifest: PluginManifest }
  | {
    readonly ok: false;
    readonly reason: RefusalReason;
    /** Sentence-case explanation; names fields and ids, never key material. */
    readonly message: string;
    /** The manifest when it parsed, for audit details (id, version, signer). */
    readonly manifest?: PluginManifest;
  };

/**
 * Verify a signed manifest against the exact entry bytes and the operator's policy.
 *
 * @param manifestText The signed manifest file's text.
 * @param entry The entry file's bytes (the same bytes that will run).
 * @param policy Anchors, allowlist, pin, floor, revocations, core version and clock.
 * @returns `{ok: true, manifest}` or `{ok: false, reason, message}`.
 *
 * @example
 * ```ts ignore
 * const verdict = await verifyPlugin(text, bytes, { anchors, allowCapabilities: [...],
 *   coreVersion: VERSION, now: Date.now() });
 * if (!verdict.ok) console.error(verdict.reason);
 * ```
 */
export async function verifyPlugin(
  manifestText: string,
  entry: Uint8Array,
  policy: PluginTrustPolicy,
): Promise<PluginVerdict> {
  const read = readSignedPlugin(manifestText);
  if (!read.ok) return read.verdict;
  const { envelope, manifest } = read;
  const refuse = (reason: RefusalReason, message: string): PluginVerdict => ({
    ok: false,
    reason,
    message,
    manifest,
  });
  const revoked = new Set(policy.revoked ?? []);
  const signer = manifest.signerKeyId;
  if (revoked.has(signer)) return refuse("revoked", `Signer key ${q(signer)} is revoked`);
  const keys = policy.anchors instanceof Map
    ? policy.anchors
    : await importTrustAnchors(policy.anchors as readonly TrustAnchor[]);
  const key = keys.get(signer);
  if (key === undefined) {
    return refuse("unknown-signer", `Signer key ${q(signer)} is not a configured trust anchor`);
  }
  if (!await envelopeSignatureValid(envelope, key)) {
    return refuse("invalid-signature", `Signature does not verify with trust anchor ${q(signer)}`);
  }
  const digest = await sha256Hex(entry);
  if (digest !== manifest.entrySha256) {
    return refuse("tampered-entry", "Entry file bytes do not match the signed entrySha256");
  }
  if (revoked.has(digest)) return refuse("revoked", "Entry file digest is revoked");
  const pin = policy.pin ?? "";
  if (pin !== "" && pin.toLowerCase() !== digest) {
    return refuse("pin-mismatch", "Entry file digest does not match the configured pin");
  }
  const pinVersion = policy.pinVersion ?? "";
  if (pinVersion !== "" && pinVersion !== manifest.version) {
    return refuse(
      "pin-mismatch",
      `Plugin version ${q(manifest.version)} is not the pinned version ${q(pinVersion)}`,
    );
  }
  const pinManifest = policy.pinManifestSha256 ?? "";
  if (
    pinManifest !== "" &&
    pinManifest.toLowerCase() !== await sha256Hex(new TextEncoder().encode(manifestText))
  ) {
    return refuse("pin-mismatch", "Manifest file digest does not match the configured pin");
  }
  if (manifest.notBefore !== undefined && policy.now < manifest.notBefore) {
    return refuse("expired-window", "Signature is not valid yet (notBefore is in the future)");
  }
  if (manifest.notAfter !== undefined && policy.now >= manifest.notAfter) {
    return refuse("expired-window", "Signature has expired (notAfter has passed)");
  }
  const floor = policy.versionFloor ?? "";
  if (floor !== "") {
    const floorVersion = parseVersion(floor);
    const version = parseVersion(manifest.version);
    if (floorVersion === null || version === null || compareVersions(version, floorVersion) < 0) {
      return refuse(
        "below-version-floor",
        `Plugin version ${q(manifest.version)} is below the floor ${q(floor)}`,
      );
    }
  }
  if (!satisfies(policy.coreVersion, manifest.coreRange)) {
    return refuse(
      "core-range-mismatch",
      `Core version ${q(policy.coreVersion)} is outside the plugin's range ${
        q(manifest.coreRange)
      }`,
    );
  }
  const allowed = new Set(policy.allowCapabilities);
  const denied = manifest.capabilities.find((c) => !allowed.has(c));
  if (denied !== undefined) {
    return refuse(
      "capability-not-allowlisted",
      `Capability ${q(denied)} is not in the allowlist (auth.plugin.allowCapabilities)`,
    );
  }
  return { ok: true, manifest };
}

/** This project's envelope, or one written by haechi 1.4's plugin-sign. */
function readSignedPlugin(
  text: string,
):
  | { ok: true; envelope: SignedEnvelope; manifest: PluginManifest }
  | { ok: false; verdict: PluginVerdict } {
  const v14 = readV14PluginEnvelope(text);
  if (v14 !== undefined) {
    return v14.ok ? v14 : { ok: false, verdict: { ok: false, ...v14.problem } };
  }
  const parsed = parseEnvelope(text);
  if (!parsed.ok) return { ok: false, verdict: { ok: false, ...parsed.problem } };
  const checked = checkManifest(parsed.envelope.payload);
  if (!checked.ok) {
    return {
      ok: false,
      verdict: { ok: false, reason: "manifest-invalid", message: checked.message },
    };
  }
  return { ok: true, envelope: parsed.envelope, manifest: checked.manifest };
}

function q(text: string): string {
  return JSON.stringify(text);
}
