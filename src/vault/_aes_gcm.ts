/**
 * Synchronous AES-256-GCM through `node:crypto` (built into Deno and Node), for keys whose
 * bytes the provider holds in this process. WebCrypto's `encrypt` resolves on another
 * thread, so a token waited a full event-loop turn for it; this runs in the caller's turn.
 * The output is WebCrypto's layout, ciphertext then the 16-byte tag, so records and
 * envelopes sealed either way open either way.
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from "node:crypto";

const TAG_BYTES = 16;

/** An AES-256-GCM key usable without awaiting. */
export interface AesGcmKey {
  /** Ciphertext followed by the tag. `nonce` must be fresh for every call. */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or null when authentication fails. */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}

/**
 * Wrap 32 raw key bytes.
 *
 * @example
 * ```ts
 * import { aesGcmKey } from "./_aes_gcm.ts";
 * const key = aesGcmKey(new Uint8Array(32));
 * const nonce = new Uint8Array(12);
 * const sealed = key.seal(nonce, new Uint8Array(0), new Uint8Array([1, 2]));
 * if (key.open(nonce, new Uint8Array(0), sealed)?.[1] !== 2) throw new Error("round trip");
 * ```
 */
export function aesGcmKey(bytes: Uint8Array): AesGcmKey {
  // Raw bytes, not a KeyObject: Deno exports a KeyObject's bytes again on every cipher it
  // builds (about a quarter of a seal). A private copy, so the caller may wipe its own.
  const key = bytes.slice();
  return {
    seal(nonce, aad, plaintext) {
      const c = createCipheriv("aes-256-gcm", key, nonce);
      c.setAAD(aad);
      const body = c.update(plaintext);
      const tail = c.final();
      const tag = c.getAuthTag();
      const out = new Uint8Array(body.length + tail.length + TAG_BYTES);
      out.set(body, 0);
      out.set(tail, body.length);
      out.set(tag, body.length + tail.length);
      return out;
    },
    open(nonce, aad, sealed) {
      if (sealed.length < TAG_BYTES) return null;
      const end = sealed.length - TAG_BYTES;
      try {
        const d = createDecipheriv("aes-256-gcm", key, nonce);
        d.setAAD(aad);
        d.setAuthTag(sealed.subarray(end));
        const body = d.update(sealed.subarray(0, end));
        const tail = d.final();
        if (tail.length === 0) return new Uint8Array(body.buffer, body.byteOffset, body.length);
        const out = new Uint8Array(body.length + tail.length);
        out.set(body, 0);
        out.set(tail, body.length);
        return out;
      } catch {
        return null;
      }
    },
  };
}
