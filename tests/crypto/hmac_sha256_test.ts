import { createHmac } from "node:crypto";
import { createHmacSha256, sha256, sha256Hex } from "../../src/crypto/hmac_sha256.ts";
import { toHex } from "../../src/crypto/encoding.ts";
import { assertEquals } from "../assert.ts";

async function webHmac(key: Uint8Array, msg: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    "raw",
    key as BufferSource,
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, msg as BufferSource));
}

Deno.test("SHA-256 matches WebCrypto for every length across block boundaries", async () => {
  for (let len = 0; len <= 300; len++) {
    const data = crypto.getRandomValues(new Uint8Array(len));
    const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    assertEquals(sha256(data), expected, `length ${len}`);
  }
});

Deno.test("HMAC-SHA-256 matches WebCrypto for short, block-sized and long keys and messages", async () => {
  for (const keyLen of [1, 16, 32, 63, 64, 65, 200]) {
    const key = crypto.getRandomValues(new Uint8Array(keyLen));
    const mac = createHmacSha256(key);
    for (const msgLen of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const msg = crypto.getRandomValues(new Uint8Array(msgLen));
      assertEquals(mac(msg), await webHmac(key, msg), `key ${keyLen} msg ${msgLen}`);
    }
  }
});

Deno.test("RFC 4231 test case 2 gives the published MAC", () => {
  const mac = createHmacSha256(new TextEncoder().encode("Jefe"));
  const hex = [...mac("what do ya want for nothing?")].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  assertEquals(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
});

Deno.test("one HMAC function can be reused without state leaking between messages", () => {
  const mac = createHmacSha256(new Uint8Array(32).fill(9));
  const a = mac("first");
  mac("x".repeat(500));
  assertEquals(mac("first"), a);
});

Deno.test("SHA-256 hex of text equals the hex of SHA-256 over its UTF-8 bytes", () => {
  for (const text of ["", "abc", "한국어 텍스트", "x".repeat(1000)]) {
    const bytes = sha256(new TextEncoder().encode(text));
    assertEquals(sha256Hex(text), toHex(bytes));
    assertEquals(sha256(text), bytes);
  }
});

Deno.test("HMAC-SHA-256 matches node:crypto's createHmac on random bytes and text of every length up to 600", () => {
  // Short messages are finished by the JavaScript compression function and long ones by
  // node:crypto: every length across the switch (512 bytes, 170 UTF-16 units of text) and
  // across block boundaries, bytes and text (one-, two-, three- and four-byte characters).
  const alphabet = ["a", "Z", "0", ":", "é", "한", "😀", "\u0000"];
  for (const keyLen of [0, 32, 64, 100]) {
    const key = crypto.getRandomValues(new Uint8Array(keyLen));
    const mac = createHmacSha256(key);
    for (let len = 0; len <= 600; len++) {
      const data = crypto.getRandomValues(new Uint8Array(len));
      assertEquals(mac(data), reference(key, data), `key ${keyLen} bytes ${len}`);
      let text = "";
      while (text.length < len) text += alphabet[data[text.length] % alphabet.length];
      assertEquals(mac(text), reference(key, text), `key ${keyLen} text ${len}`);
    }
  }
});

Deno.test("a MAC handed out is not changed by later calls on the same key", () => {
  const mac = createHmacSha256(new Uint8Array(32).fill(3));
  const first = mac("a short message");
  const copy = first.slice();
  mac("another short message");
  mac(new Uint8Array(700));
  assertEquals(first, copy);
});

function reference(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(data).digest());
}
