import { FOLD_STABLE_RANGES, normalizeForScan } from "../../src/detect/normalize.ts";
import { assertEquals } from "../assert.ts";

Deno.test("every code point on the fold-free fast path is unchanged by NFKC", () => {
  const changed: string[] = [];
  for (const [a, b] of FOLD_STABLE_RANGES) {
    for (let c = a; c <= b; c++) {
      const ch = String.fromCharCode(c);
      if (ch.normalize("NFKC") !== ch) changed.push(c.toString(16));
    }
  }
  assertEquals(changed, []);
});

Deno.test("pairs of fast-path code points do not compose under NFKC", () => {
  // Every range's first, middle and last code point against every other's.
  const picks = FOLD_STABLE_RANGES.flatMap(([a, b]) => [a, (a + b) >> 1, b]);
  for (const x of picks) {
    for (const y of picks) {
      const s = String.fromCharCode(x, y);
      assertEquals(s.normalize("NFKC"), s, `${x.toString(16)} ${y.toString(16)}`);
    }
  }
});

Deno.test("text needing folding still takes the slow path with a full offset map", () => {
  const n = normalizeForScan("한국어 ｔｅｓｔ");
  assertEquals(n.text, "한국어 test");
  assertEquals(n.starts !== null, true);
});

Deno.test("Korean, Japanese and accented Latin prose keep their original text", () => {
  for (
    const t of ["주민등록번호를 알려주세요", "マイナンバーを教えて", "Olá, número de segurança"]
  ) {
    const n = normalizeForScan(t);
    assertEquals(n.text, t);
    assertEquals(n.starts, null);
  }
});
