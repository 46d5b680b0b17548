import { aesGcmKey } from "../../src/vault/_aes_gcm.ts";
import { assert, assertEquals } from "../assert.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

async function webCryptoKey(raw: Uint8Array): Promise<CryptoKey> {
  return await crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
}

Deno.test("synchronous AES-GCM output is byte-identical to WebCrypto and opens both ways", async () => {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const sync = aesGcmKey(raw);
  const web = await webCryptoKey(raw);
  const aad = bytes("haechi:vault-record:v1 id email scope");
  for (const text of ["", "a", "bob@corp.example", "ü".repeat(40), "x".repeat(1000)]) {
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const sealed = sync.seal(nonce, aad, bytes(text));
    const reference = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv: nonce as BufferSource, additionalData: aad as BufferSource },
        web,
        bytes(text) as BufferSource,
      ),
    );
    assertEquals(sealed, reference);
    assertEquals(sync.open(nonce, aad, reference), bytes(text));
    const opened = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce as BufferSource, additionalData: aad as BufferSource },
      web,
      sealed as BufferSource,
    );
    assertEquals(new Uint8Array(opened), bytes(text));
  }
});

Deno.test("synchronous AES-GCM refuses a changed byte, other additional data or a short input", () => {
  const key = aesGcmKey(crypto.getRandomValues(new Uint8Array(32)));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const aad = bytes("aad");
  const sealed = key.seal(nonce, aad, bytes("secret value"));
  for (let i = 0; i < sealed.length; i++) {
    const edited = sealed.slice();
    edited[i] ^= 1;
    assertEquals(key.open(nonce, aad, edited), null, `byte ${i} changed`);
  }
  assertEquals(key.open(nonce, bytes("other"), sealed), null);
  assertEquals(key.open(nonce, aad, sealed.subarray(0, 15)), null);
  const other = aesGcmKey(crypto.getRandomValues(new Uint8Array(32)));
  assertEquals(other.open(nonce, aad, sealed), null);
  assert(key.open(nonce, aad, sealed) !== null);
});
