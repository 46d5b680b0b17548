/**
 * Small primitives with no third-party code: hashes and byte-to-text encodings shared by the
 * audit chain, the vault and the signer, and the PKCS#12 reader behind `proxy.tls`.
 *
 * @example
 * ```ts
 * import { toHex } from "./mod.ts";
 * if (toHex(new Uint8Array([0, 171])) !== "00ab") throw new Error("hex");
 * ```
 *
 * @module
 */
export { toBase64, toHex } from "./encoding.ts";
export { createHmacSha256, type HmacSha256, sha256, sha256Hex } from "./hmac_sha256.ts";
export { readPkcs12 } from "./pkcs12.ts";
