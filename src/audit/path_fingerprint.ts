/**
 * Keyed fingerprints of JSON paths, so the log can say "the same field again" without
 * saying which field. Paths can themselves be personal data (`$.users["alice@example.com"]`),
 * and an unkeyed hash of a short path is easy to reverse by guessing, hence HMAC.
 *
 * @module
 */
import { createHmacSha256 } from "../crypto/mod.ts";
import { HaechiError } from "../errors.ts";
import { toHex } from "./record.ts";

/** Hex digits kept from each HMAC-SHA256 (128 bits: collisions are not a practical concern). */
export const PATH_FINGERPRINT_HEX_LENGTH = 32;

/** Shortest key accepted, in bytes. */
export const PATH_FINGERPRINT_MIN_KEY_BYTES = 16;

const encoder = new TextEncoder();

/**
 * Build a function that fingerprints JSON paths under `key`.
 *
 * Each fingerprint is the HMAC-SHA256 (WebCrypto) of the path's UTF-8 bytes, as lowercase
 * hex truncated to the first {@linkcode PATH_FINGERPRINT_HEX_LENGTH} digits. The same key and
 * path always give the same fingerprint; without the key, fingerprints reveal nothing.
 *
 * @param key Raw key bytes, at least {@linkcode PATH_FINGERPRINT_MIN_KEY_BYTES}; copied, so
 *   later changes to the caller's array have no effect.
 * @returns An async function from a path such as `$.messages[0].content` to its fingerprint.
 * @throws {HaechiError} `keys.invalid` when the key is too short.
 *
 * @example
 * ```ts
 * import { createPathFingerprinter } from "./path_fingerprint.ts";
 * const fingerprint = createPathFingerprinter(new Uint8Array(32).fill(7));
 * const a = await fingerprint("$.messages[0].content");
 * if (a.length !== 32 || a !== await fingerprint("$.messages[0].content")) {
 *   throw new Error("fingerprints are stable 32-digit hex");
 * }
 * ```
 */
export function createPathFingerprinter(key: Uint8Array): (path: string) => Promise<string> {
  const fingerprint = createPathFingerprinterSync(key);
  return (path: string) => Promise.resolve(fingerprint(path));
}

/**
 * {@linkcode createPathFingerprinter} as a plain function: the same fingerprints, without a
 * promise per path, for the audit sink, which fingerprints on every audited request.
 *
 * @param key Raw key bytes, at least {@linkcode PATH_FINGERPRINT_MIN_KEY_BYTES}; copied.
 * @returns A function from a path to its fingerprint.
 * @throws {HaechiError} `keys.invalid` when the key is too short.
 *
 * @example
 * ```ts
 * import { createPathFingerprinter, createPathFingerprinterSync } from "./path_fingerprint.ts";
 * const key = new Uint8Array(32).fill(7);
 * const path = "$.messages[0].content";
 * if (createPathFingerprinterSync(key)(path) !== await createPathFingerprinter(key)(path)) {
 *   throw new Error("both forms agree");
 * }
 * ```
 */
export function createPathFingerprinterSync(key: Uint8Array): (path: string) => string {
  if (!(key instanceof Uint8Array) || key.length < PATH_FINGERPRINT_MIN_KEY_BYTES) {
    throw new HaechiError(
      "keys.invalid",
      `Path fingerprint key must be at least ${PATH_FINGERPRINT_MIN_KEY_BYTES} bytes`,
    );
  }
  // The key schedule is computed once; each path then costs two SHA-256 compressions.
  const mac = createHmacSha256(key.slice());
  return (path: string) => toHex(mac(encoder.encode(path))).slice(0, PATH_FINGERPRINT_HEX_LENGTH);
}
