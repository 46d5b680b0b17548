/**
 * Plugin envelopes as haechi 1.4's `plugin-sign` writes them, read into this project's
 * manifest so the same trust gate checks them.
 *
 * The 1.4 shape is `{payload, signerKeyId, alg: "ed25519", signature}` where `payload` is
 * `{pluginId, kind, version, capabilities: {name: boolean}, coreVersionRange, entrySha256,
 * notBefore, notAfter}` (window bounds are epoch milliseconds or `null`) and `signature` is
 * the base64 Ed25519 signature of the payload's canonical JSON (keys sorted, no spaces),
 * the same canonical form as src/signing/canonical_json.ts produces for these values.
 *
 * The signer key id sits outside the signed payload in 1.4, so it only selects the trust
 * anchor; a wrong id finds the wrong key and the signature fails.
 *
 * @module
 */
import {
  ENVELOPE_FORMAT,
  type EnvelopeProblem,
  fromBase64,
  parseRange,
  parseVersion,
  type SignedEnvelope,
} from "../signing/mod.ts";
import {
  CAPABILITIES,
  type Capability,
  PLUGIN_KINDS,
  PLUGIN_PURPOSE,
  type PluginManifest,
} from "./manifest.ts";

const ENVELOPE_KEYS = ["payload", "signerKeyId", "alg", "signature"];
const PAYLOAD_KEYS = [
  "pluginId",
  "kind",
  "version",
  "capabilities",
  "coreVersionRange",
  "entrySha256",
  "notBefore",
  "notAfter",
];

/** A 1.4 envelope read into this project's types. */
export type V14Read =
  | { readonly ok: true; readonly envelope: SignedEnvelope; readonly manifest: PluginManifest }
  | { readonly ok: false; readonly problem: EnvelopeProblem };

/**
 * Read `text` as a 1.4 plugin envelope, or return `undefined` when it is not one (it then
 * goes to this project's own envelope reader).
 *
 * @param text Envelope file text.
 * @returns The envelope and manifest, a problem, or `undefined`.
 *
 * @example
 * ```ts
 * import { readV14PluginEnvelope } from "./envelope_v14.ts";
 * if (readV14PluginEnvelope('{"format":"haechi.signed/v1"}') !== undefined) throw new Error();
 * const r = readV14PluginEnvelope('{"payload":{},"signerKeyId":"k","alg":"rsa","signature":"x"}');
 * if (r?.ok !== false || r.problem.reason !== "alg-not-ed25519") throw new Error("alg");
 * ```
 */
export function readV14PluginEnvelope(text: string): V14Read | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  if (Object.hasOwn(o, "format") || !Object.hasOwn(o, "signerKeyId")) return undefined;
  const invalid = (message: string): V14Read => ({
    ok: false,
    problem: { reason: "manifest-invalid", message },
  });
  const extra = Object.keys(o).find((k) => !ENVELOPE_KEYS.includes(k));
  if (extra !== undefined) return invalid(`Signed file has unknown key ${JSON.stringify(extra)}`);
  if (o.alg !== "ed25519") {
    return {
      ok: false,
      problem: {
        reason: "alg-not-ed25519",
        message: `Signature algorithm must be "ed25519", got ${JSON.stringify(o.alg)}`,
      },
    };
  }
  if (typeof o.signerKeyId !== "string" || o.signerKeyId === "") {
    return invalid('Signed file "signerKeyId" must be a non-empty string');
  }
  if (typeof o.signature !== "string" || fromBase64(o.signature)?.length !== 64) {
    return invalid('Signed file "signature" must be a base64 Ed25519 signature (64 bytes)');
  }
  const p = o.payload;
  if (p === null || typeof p !== "object" || Array.isArray(p)) {
    return invalid('Signed file "payload" must be an object');
  }
  const payload = p as Record<string, unknown>;
  const manifest = manifestOf(payload, o.signerKeyId);
  if (typeof manifest === "string") return invalid(manifest);
  return {
    ok: true,
    envelope: { format: ENVELOPE_FORMAT, alg: "Ed25519", payload, signature: o.signature },
    manifest,
  };
}

function manifestOf(p: Record<string, unknown>, signerKeyId: string): PluginManifest | string {
  const extra = Object.keys(p).find((k) => !PAYLOAD_KEYS.includes(k));
  if (extra !== undefined) return `Manifest has unknown key ${JSON.stringify(extra)}`;
  for (const k of ["pluginId", "kind", "version", "coreVersionRange", "entrySha256"]) {
    if (typeof p[k] !== "string" || p[k] === "") {
      return `Manifest "${k}" must be a non-empty string`;
    }
  }
  if (!(PLUGIN_KINDS as readonly string[]).includes(p.kind as string)) {
    return `Manifest "kind" must be one of ${PLUGIN_KINDS.join(", ")}`;
  }
  if (parseVersion(p.version as string) === null) return 'Manifest "version" is not a version';
  if (parseRange(p.coreVersionRange as string) === null) {
    return 'Manifest "coreVersionRange" is not a supported version range';
  }
  if (!/^[0-9a-f]{64}$/.test(p.entrySha256 as string)) {
    return 'Manifest "entrySha256" must be 64 lowercase hex digits';
  }
  const caps = p.capabilities;
  if (caps === null || typeof caps !== "object" || Array.isArray(caps)) {
    return 'Manifest "capabilities" must be an object of booleans';
  }
  const declared: Capability[] = [];
  for (const [name, on] of Object.entries(caps)) {
    // A non-boolean value would be a way to smuggle a capability past a `=== true` check.
    if (typeof on !== "boolean") return `Capability ${JSON.stringify(name)} must be true or false`;
    if (!on) continue;
    if (!(CAPABILITIES as readonly string[]).includes(name)) {
      return `Capability ${JSON.stringify(name)} is unknown`;
    }
    declared.push(name as Capability);
  }
  const notBefore = bound(p.notBefore);
  const notAfter = bound(p.notAfter);
  if (notBefore === null || notAfter === null) {
    return 'Manifest "notBefore" and "notAfter" must be epoch milliseconds, a date, or null';
  }
  return {
    purpose: PLUGIN_PURPOSE,
    id: p.pluginId as string,
    kind: p.kind as PluginManifest["kind"],
    version: p.version as string,
    coreRange: p.coreVersionRange as string,
    capabilities: [...new Set(declared)].sort(),
    entrySha256: p.entrySha256 as string,
    signerKeyId,
    issuedAt: 0,
    ...(notBefore === undefined ? {} : { notBefore }),
    ...(notAfter === undefined ? {} : { notAfter }),
  };
}

/** `undefined` for no bound, `null` for an unusable one. */
function bound(v: unknown): number | undefined | null {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v !== "") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
