/**
 * Signing: what plugin manifests, policy bundles and the audit log share to make a value
 * provable. Canonical JSON gives one byte-exact text per value; Ed25519 keys sign and verify
 * it; the signed envelope `{format, alg, payload, signature}` carries a payload with its
 * signature; trust anchors name the keys an operator trusts; semver ranges state which
 * versions a signed artifact accepts.
 *
 * This folder is a pure building block: it reads no files and knows no plugin, policy or
 * audit record, so each of those depends on it and never the other way round.
 *
 * @example
 * ```ts
 * import { canonicalJson, satisfies } from "./mod.ts";
 * if (canonicalJson({ b: 1, a: 2 }) !== '{"a":2,"b":1}') throw new Error("key order");
 * if (!satisfies("0.1.4", "^0.1.0")) throw new Error("caret range");
 * ```
 *
 * @module
 */
export { CANONICAL_JSON_MAX_DEPTH, canonicalJson } from "./canonical_json.ts";
export {
  ENVELOPE_FORMAT,
  type EnvelopeProblem,
  envelopeSignatureValid,
  MAX_ENVELOPE_BYTES,
  parseEnvelope,
  SIGNATURE_ALG,
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
  signBytes,
  verifyBytes,
} from "./keys.ts";
export { ED25519_SPKI_LENGTH, fromBase64, fromPem, parseEd25519Spki, toPem } from "./pem.ts";
export {
  compareVersions,
  parseRange,
  parseVersion,
  satisfies,
  type SemVer,
  type SemVerRange,
} from "./semver.ts";
export { importTrustAnchors, KEY_ID_RE, normalizeTrustAnchors, type TrustAnchor } from "./trust.ts";
