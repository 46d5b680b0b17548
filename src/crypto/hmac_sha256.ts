/**
 * Synchronous SHA-256 and HMAC-SHA-256 over `node:crypto`, with the HMAC key schedule done
 * once.
 *
 * WebCrypto is asynchronous and costs about 100 µs per call in Deno, which dominates
 * tokenizing a request that holds a handful of values. `createHmac` is synchronous but
 * redoes the key schedule on every call (measured 3–5× slower than this on short messages),
 * and keyed fingerprints are computed on every tokenize and lookup. So the inner and outer
 * padded-key states (RFC 2104) are hashed once here and reused for every message. A short
 * message (a fingerprint's scope, type and value) is then finished by the JavaScript
 * compression function in `_sha256_block.ts`, about half the cost of copying and finalizing
 * two `node:crypto` hashes; a long one by `node:crypto`, whose per-block cost is far lower.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { SHA256_IV, sha256Block } from "./_sha256_block.ts";

/** View a Buffer as a plain Uint8Array (no copy), so callers compare like with like. */
function bytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * SHA-256 of `data`.
 *
 * @example
 * ```ts
 * import { sha256 } from "./hmac_sha256.ts";
 * const hex = [...sha256(new TextEncoder().encode("abc"))].map((b) => b.toString(16).padStart(2, "0")).join("");
 * if (hex !== "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") throw new Error(hex);
 * ```
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  return bytes(createHash("sha256").update(data).digest());
}

/**
 * Lowercase hex SHA-256 of `data` (a string is hashed as UTF-8), without an intermediate
 * byte array.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./hmac_sha256.ts";
 * if (sha256Hex("abc") !== "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") {
 *   throw new Error("sha256Hex");
 * }
 * ```
 */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A keyed HMAC-SHA-256 function. */
export type HmacSha256 = (message: Uint8Array | string) => Uint8Array;

/**
 * Build an HMAC-SHA-256 function for `key`; the padded-key states are computed here once.
 *
 * @param key Secret key (any length; keys over 64 bytes are hashed first, per RFC 2104).
 * @returns A function from message (bytes, or text as UTF-8) to the 32-byte MAC.
 *
 * @example
 * ```ts
 * import { createHmacSha256 } from "./hmac_sha256.ts";
 * const mac = createHmacSha256(new TextEncoder().encode("key"));
 * const hex = [...mac("The quick brown fox jumps over the lazy dog")]
 *   .map((b) => b.toString(16).padStart(2, "0")).join("");
 * if (hex !== "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8") throw new Error(hex);
 * ```
 */
export function createHmacSha256(key: Uint8Array): HmacSha256 {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const pad = new Uint8Array(64);
  for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
  const inner: Hash = createHash("sha256").update(pad);
  const innerState = new Int32Array(SHA256_IV);
  sha256Block(innerState, pad, 0);
  for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
  const outer: Hash = createHash("sha256").update(pad);
  const outerState = new Int32Array(SHA256_IV);
  sha256Block(outerState, pad, 0);
  block.fill(0);
  pad.fill(0);
  // A short message, then its padding: 0x80, zeros, and the 64-bit length in bits.
  const buf = new Uint8Array(SHORT_MESSAGE_BYTES + 72);
  const state = new Int32Array(8);
  const finish = (n: number): Uint8Array => {
    // The inner hash has already taken the 64-byte padded key.
    const end = (n + 9 + 63) & ~63;
    buf[n] = 0x80;
    buf.fill(0, n + 1, end - 4);
    writeWord(buf, end - 4, (64 + n) * 8);
    state.set(innerState);
    for (let at = 0; at < end; at += 64) sha256Block(state, buf, at);
    for (let i = 0; i < 8; i++) writeWord(buf, 4 * i, state[i]);
    buf[32] = 0x80;
    buf.fill(0, 33, 62);
    // The outer hash: the padded key, then the 32-byte inner hash, 768 bits in all.
    buf[62] = 0x03;
    buf[63] = 0x00;
    state.set(outerState);
    sha256Block(state, buf, 0);
    const mac = new Uint8Array(32);
    for (let i = 0; i < 8; i++) writeWord(mac, 4 * i, state[i]);
    // Bytes 0-63 now hold the inner hash and padding; past them the message (a value being
    // fingerprinted) would stay in this long-lived buffer until the next call.
    buf.fill(0, 64, end);
    return mac;
  };
  return (message) => {
    if (typeof message === "string") {
      // A UTF-16 unit takes at most three UTF-8 bytes.
      if (message.length * 3 <= SHORT_MESSAGE_BYTES) {
        return finish(encoder.encodeInto(message, buf).written);
      }
    } else if (message.length <= SHORT_MESSAGE_BYTES) {
      buf.set(message);
      return finish(message.length);
    }
    return bytes(outer.copy().update(inner.copy().update(message).digest()).digest());
  };
}

/** Longest message, in bytes, finished in JavaScript; measured to cost no more than `node:crypto`. */
const SHORT_MESSAGE_BYTES = 512;

const encoder = new TextEncoder();

function writeWord(out: Uint8Array, at: number, word: number): void {
  out[at] = word >>> 24;
  out[at + 1] = word >>> 16;
  out[at + 2] = word >>> 8;
  out[at + 3] = word;
}
