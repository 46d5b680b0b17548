import {
  createPathFingerprinter,
  createPathFingerprinterSync,
  PATH_FINGERPRINT_HEX_LENGTH,
} from "../../src/audit/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { assertEquals, assertMatch, assertNotEquals, assertThrows } from "../assert.ts";

const KEY = new Uint8Array(32).map((_, i) => i);

Deno.test("a path fingerprint is the truncated HMAC-SHA256 of the path under the key", async () => {
  const fp = createPathFingerprinter(KEY);
  const got = await fp("$.messages[0].content");
  const key = await crypto.subtle.importKey("raw", KEY, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("$.messages[0].content")),
  );
  const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  assertEquals(got, hex.slice(0, PATH_FINGERPRINT_HEX_LENGTH));
  assertMatch(got, /^[0-9a-f]{32}$/);
});

Deno.test("the same path fingerprints alike under one key and differently under another", async () => {
  const a = createPathFingerprinter(KEY);
  const b = createPathFingerprinter(new Uint8Array(32).fill(9));
  assertEquals(await a("$.x"), await a("$.x"));
  assertNotEquals(await a("$.x"), await a("$.y"));
  assertNotEquals(await a("$.x"), await b("$.x"));
});

Deno.test("changing the caller's key array later does not change fingerprints", async () => {
  const key = KEY.slice();
  const fp = createPathFingerprinter(key);
  const before = await fp("$.x");
  key.fill(0);
  assertEquals(await fp("$.x"), before);
});

Deno.test("a key shorter than 16 bytes is refused", () => {
  const err = assertThrows(() => createPathFingerprinter(new Uint8Array(8)), HaechiError);
  assertEquals((err as HaechiError).code, "keys.invalid");
});

Deno.test("the plain fingerprinter gives the promised one's fingerprints", async () => {
  const sync = createPathFingerprinterSync(KEY);
  const async = createPathFingerprinter(KEY);
  for (const path of ["$", "$.messages[0].content", '$.users["alice@example.com"]', "$.é"]) {
    assertEquals(sync(path), await async(path));
  }
  const err = assertThrows(() => createPathFingerprinterSync(new Uint8Array(8)), HaechiError);
  assertEquals((err as HaechiError).code, "keys.invalid");
});
