import { base64Fallback, hexFallback, toBase64, toHex } from "../../src/crypto/encoding.ts";
import { assertEquals } from "../assert.ts";

Deno.test("hex and base64 give the same text natively and through the Node 22 fallback", () => {
  for (let len = 0; len <= 70; len++) {
    const data = crypto.getRandomValues(new Uint8Array(len));
    assertEquals(toHex(data), hexFallback(data), `hex, length ${len}`);
    assertEquals(toBase64(data), base64Fallback(data), `base64, length ${len}`);
  }
});

Deno.test("hex and base64 of a view encode only the bytes in view", () => {
  const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
  const view = whole.subarray(2, 5);
  assertEquals(toHex(view), "030405");
  assertEquals(toBase64(view), "AwQF");
});
