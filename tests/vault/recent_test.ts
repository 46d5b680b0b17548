import { RecentMap } from "../../src/vault/_recent.ts";
import { randomBytes, randomTokenId } from "../../src/vault/_codec.ts";
import { assert, assertEquals } from "../assert.ts";

Deno.test("the recent map keeps at most its capacity and forgets the least recently used first", () => {
  const m = new RecentMap<string, number>(10);
  for (let i = 0; i < 1000; i++) {
    m.set(`k${i}`, i);
    assert(m.size <= 10, `size ${m.size} after ${i + 1} entries`);
  }
  assertEquals(m.get("k999"), 999);
  assertEquals(m.get("k0"), undefined);
  const plain = new RecentMap<string, number>(4);
  for (const [k, v] of [["a", 1], ["b", 2], ["c", 3], ["d", 4]] as const) plain.set(k, v);
  assertEquals(plain.get("a"), undefined, "the oldest entry went first");
  const n = new RecentMap<string, number>(4);
  n.set("a", 1);
  n.set("b", 2);
  n.set("c", 3);
  assertEquals(n.get("a"), 1);
  n.set("d", 4);
  assertEquals(n.get("a"), 1, "a hit keeps an entry");
  assertEquals(n.get("b"), undefined, "b was used least recently");
  n.delete("a");
  assertEquals(n.get("a"), undefined);
  n.set("d", 40);
  assertEquals(n.get("d"), 40, "a set replaces the value");
});

Deno.test("pooled random bytes are never handed out twice and token ids keep their shape", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const nonce = randomBytes(12);
    assertEquals(nonce.length, 12);
    const hex = [...nonce].map((b) => b.toString(16).padStart(2, "0")).join("");
    assert(!seen.has(hex), "a nonce repeated");
    seen.add(hex);
    const id = randomTokenId();
    assert(/^[a-z2-7]{20}$/.test(id), id);
    assert(!seen.has(id), "an id repeated");
    seen.add(id);
  }
  assertEquals(randomBytes(5000).length, 5000, "larger than the pool");
});
