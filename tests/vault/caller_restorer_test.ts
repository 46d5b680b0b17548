import { assertEquals } from "../assert.ts";
import { MintedTokens, restorerFor } from "../../src/vault/mod.ts";
import type { RestoreCounts, TokenRestorer } from "../../src/vault/mod.ts";

const A = "[TOKEN:email:aaaaaaaaaaaaaaaaaaaa]";
const B = "[TOKEN:email:bbbbbbbbbbbbbbbbbbbb]";
const zero = (): RestoreCounts => ({
  restored: 0,
  foreignScope: 0,
  unknown: 0,
  expired: 0,
  corrupt: 0,
});
/** A vault stand-in that knows both tokens and records what it was asked. */
function vault(asked: string[]): TokenRestorer {
  return {
    restoreTokens(text) {
      asked.push(text);
      const out = text.replaceAll(A, "a@x.example").replaceAll(B, "b@x.example");
      return Promise.resolve({ text: out, counts: { ...zero(), restored: 1 } });
    },
  };
}

Deno.test("a caller's restorer puts back only minted tokens and never looks the others up", async () => {
  const asked: string[] = [];
  const r = await restorerFor(vault(asked), { minted: new Set([A]), wholeScope: false })
    .restoreTokens(`${A} and ${B}, ${A}`, "default");
  assertEquals(r.text, `a@x.example and ${B}, a@x.example`);
  assertEquals([r.counts.restored, r.counts.foreignScope], [2, 1]);
  assertEquals(asked, [A, A]);
});

Deno.test("an authenticated caller's restorer is the vault itself", () => {
  const asked: string[] = [];
  const inner = vault(asked);
  assertEquals(restorerFor(inner, { minted: new Set(), wholeScope: true }), inner);
});

Deno.test("a session's minted tokens are bounded, the oldest forgotten first", () => {
  const m = new MintedTokens(2);
  m.add(A).add(B).add("[TOKEN:email:cccccccccccccccccccc]");
  assertEquals([m.has(A), m.has(B), m.size], [false, true, 2]);
});
