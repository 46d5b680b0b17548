/**
 * Trust anchors: the public keys an operator trusts, by key id.
 *
 * Config accepts either an array of `{keyId, publicKey}` or a map `{keyId: publicKey}`;
 * both normalise to the array form. `publicKey` is SPKI PEM or base64 of the SPKI DER.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { importPublicKey } from "./keys.ts";
import { parseEd25519Spki } from "./pem.ts";

/** One trusted public key. */
export interface TrustAnchor {
  /** The id signers put in `signerKeyId`. */
  readonly keyId: string;
  /** SPKI PEM, or base64 of the SPKI DER. */
  readonly publicKey: string;
}

/** Key ids: short identifiers safe to print and to audit. */
export const KEY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * Check and normalise a trust-anchor value (array or map). Used by config validation.
 *
 * @param value The raw value.
 * @returns The anchors, or messages (relative to the value) describing what is wrong.
 *
 * @example
 * ```ts
 * import { normalizeTrustAnchors } from "./trust.ts";
 * const r = normalizeTrustAnchors({ "team-a": "not a key" });
 * if (r.ok) throw new Error("a bad key is refused");
 * ```
 */
export function normalizeTrustAnchors(
  value: unknown,
): { ok: true; anchors: TrustAnchor[] } | {
  ok: false;
  problems: { at: string; message: string }[];
} {
  const problems: { at: string; message: string }[] = [];
  const items: { at: string; keyId: unknown; publicKey: unknown }[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item === null || typeof item !== "object" || Array.isArray(item)) {
        problems.push({ at: `[${i}]`, message: "must be an object {keyId, publicKey}" });
        return;
      }
      const extra = Object.keys(item).find((k) => k !== "keyId" && k !== "publicKey");
      if (extra !== undefined) {
        problems.push({ at: `[${i}]`, message: "may only hold keyId and publicKey" });
        return;
      }
      items.push({ at: `[${i}]`, keyId: item.keyId, publicKey: item.publicKey });
    });
  } else if (value !== null && typeof value === "object") {
    for (const [keyId, publicKey] of Object.entries(value)) {
      items.push({ at: `.${keyId}`, keyId, publicKey });
    }
  } else {
    return {
      ok: false,
      problems: [{ at: "", message: "must be an array of {keyId, publicKey} or a map" }],
    };
  }
  const seen = new Set<string>();
  const anchors: TrustAnchor[] = [];
  for (const item of items) {
    if (typeof item.keyId !== "string" || !KEY_ID_RE.test(item.keyId)) {
      problems.push({ at: item.at, message: "keyId must be 1-64 letters, digits or ._:-" });
      continue;
    }
    if (seen.has(item.keyId)) {
      problems.push({ at: item.at, message: `keyId ${JSON.stringify(item.keyId)} appears twice` });
      continue;
    }
    seen.add(item.keyId);
    if (typeof item.publicKey !== "string" || parseEd25519Spki(item.publicKey) === null) {
      problems.push({
        at: item.at,
        message: "publicKey must be an Ed25519 SPKI PEM or base64 SPKI",
      });
      continue;
    }
    anchors.push({ keyId: item.keyId, publicKey: item.publicKey });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, anchors };
}

/**
 * Import anchors into verifying keys by id.
 *
 * @throws {HaechiError} `keys.invalid` naming the key id whose key cannot be imported.
 *
 * @example
 * ```ts ignore
 * const keys = await importTrustAnchors(config.auth.plugin.trustAnchors);
 * ```
 */
export async function importTrustAnchors(
  anchors: readonly TrustAnchor[],
): Promise<Map<string, CryptoKey>> {
  const out = new Map<string, CryptoKey>();
  for (const anchor of anchors) {
    const key = await importPublicKey(anchor.publicKey);
    if (key === null) {
      throw new HaechiError(
        "keys.invalid",
        `Trust anchor ${JSON.stringify(anchor.keyId)} is not an Ed25519 public key`,
        { keyId: anchor.keyId },
      );
    }
    out.set(anchor.keyId, key);
  }
  return out;
}
