/**
 * Synchronous HMAC-SHA-256 (RFC 2104 over FIPS 180-4 SHA-256) with the key schedule done
 * once.
 *
 * WebCrypto's HMAC is asynchronous and costs about 100 µs per call in Deno, which
 * dominates tokenizing a request that holds a handful of values. Keyed fingerprints are
 * computed on every tokenize and lookup, so this module precomputes the inner and outer
 * padded-key states at construction and then needs two compression rounds for a short
 * message. It is checked against WebCrypto in the tests.
 *
 * @module
 */

const K = new Uint32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Uint32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);
const W = new Uint32Array(64);

/** One SHA-256 compression of the 64-byte block at `data[off…]` into `h`. */
function compress(h: Uint32Array, data: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    W[i] = (data[j] << 24) | (data[j + 1] << 16) | (data[j + 2] << 8) | data[j + 3];
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15];
    const b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + hh) | 0;
}

/** Finish a hash whose state `h` has absorbed `prefixBytes` bytes, over `msg`. */
function finish(h: Uint32Array, prefixBytes: number, msg: Uint8Array): Uint8Array {
  const total = prefixBytes + msg.length;
  const padded = new Uint8Array(((msg.length + 9 + 63) >> 6) << 6);
  padded.set(msg);
  padded[msg.length] = 0x80;
  const bits = total * 8;
  const end = padded.length;
  padded[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  padded[end - 4] = (bits >>> 24) & 0xff;
  padded[end - 3] = (bits >>> 16) & 0xff;
  padded[end - 2] = (bits >>> 8) & 0xff;
  padded[end - 1] = bits & 0xff;
  for (let off = 0; off < end; off += 64) compress(h, padded, off);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    out[i * 4] = h[i] >>> 24;
    out[i * 4 + 1] = (h[i] >>> 16) & 0xff;
    out[i * 4 + 2] = (h[i] >>> 8) & 0xff;
    out[i * 4 + 3] = h[i] & 0xff;
  }
  return out;
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
export function sha256(data: Uint8Array): Uint8Array {
  return finish(IV.slice(), 0, data);
}

/** A keyed HMAC-SHA-256 function. */
export type HmacSha256 = (message: Uint8Array | string) => Uint8Array;

const encoder = new TextEncoder();

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
  const inner = IV.slice();
  const outer = IV.slice();
  for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
  compress(inner, pad, 0);
  for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
  compress(outer, pad, 0);
  block.fill(0);
  pad.fill(0);
  return (message) => {
    const msg = typeof message === "string" ? encoder.encode(message) : message;
    const innerHash = finish(inner.slice(), 64, msg);
    return finish(outer.slice(), 64, innerHash);
  };
}
