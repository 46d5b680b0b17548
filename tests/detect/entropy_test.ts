import { shannonEntropy } from "../../src/detect/entropy.ts";
import { assertEquals } from "../assert.ts";

/** Entropy counted the plain way, with a fresh map per call. */
function reference(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const ascii = [...counts].filter(([c]) => c < 128).sort((a, b) => a[0] - b[0]);
  const other = [...counts].filter(([c]) => c >= 128);
  let bits = 0;
  for (const [, n] of [...ascii, ...other]) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

Deno.test("entropy is the same whatever was measured before it", () => {
  const values = ["", "a", "aaaa", "ab", "ghp_Ab12Cd34", "비밀번호 abc", "\u007f\u0000zz", "~~~~!"];
  for (let round = 0; round < 3; round++) {
    for (const v of values) assertEquals(shannonEntropy(v), reference(v), JSON.stringify(v));
  }
});
