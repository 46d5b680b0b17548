// The SQLite store keeps records it has read by id; what it hands out must still be exactly
// what the database holds at the time of the call, whoever changed it.
import { openSqliteStore } from "../../src/vault/sqlite_store.ts";
import type { VaultRecord } from "../../src/vault/store.ts";
import { assertEquals } from "../assert.ts";
import { vaultEnv } from "./_helpers.ts";

function record(id: string, scope = "alice", expiresAt: number | null = null): VaultRecord {
  return {
    id,
    type: "email",
    scope,
    createdAt: 1,
    expiresAt,
    fingerprint: null,
    keyId: 1,
    nonce: new Uint8Array(12),
    ciphertext: new Uint8Array(20).fill(7),
  };
}

async function twoConnections(
  fn: (
    a: Awaited<ReturnType<typeof openSqliteStore>>,
    b: Awaited<ReturnType<typeof openSqliteStore>>,
  ) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "haechi-store-" });
  const a = await openSqliteStore(`${dir}/vault.db`);
  const b = await openSqliteStore(`${dir}/vault.db`);
  try {
    await fn(a, b);
  } finally {
    a.close();
    b.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a record read before another connection deleted it is not handed out again", async () => {
  await twoConnections(async (a, b) => {
    a.insert(record("t1"));
    assertEquals((await a.findById("t1"))?.scope, "alice");
    assertEquals((await a.findById("t1"))?.scope, "alice");
    assertEquals(b.deleteById("t1"), true);
    assertEquals(await a.findById("t1"), undefined);
    // The same id stored again elsewhere, for another scope: the new row, not the old one.
    b.insert(record("t1", "bob"));
    assertEquals((await a.findById("t1"))?.scope, "bob");
  });
});

Deno.test("a record read before another connection purged it as expired is not handed out", async () => {
  await twoConnections(async (a, b) => {
    a.insert(record("old", "alice", 10));
    a.insert(record("new", "alice", null));
    assertEquals((await a.findById("old"))?.id, "old");
    assertEquals(b.purgeExpired(100, 10), 1);
    assertEquals(await a.findById("old"), undefined);
    assertEquals((await a.findById("new"))?.id, "new");
  });
});

Deno.test("the store's own deletes and purges are seen at once", async () => {
  await twoConnections(async (a) => {
    a.insert(record("t1"));
    a.insert(record("t2", "alice", 10));
    assertEquals((await a.findById("t1"))?.id, "t1");
    assertEquals((await a.findById("t2"))?.id, "t2");
    assertEquals(a.deleteById("t1"), true);
    assertEquals(await a.findById("t1"), undefined);
    assertEquals(a.purgeExpired(100, 10), 1);
    assertEquals(await a.findById("t2"), undefined);
  });
});

Deno.test("a restored token purged by another process is not restored again", async () => {
  const env = await vaultEnv();
  const a = await env.open();
  const b = await env.open();
  try {
    const token = await a.tokenize("4111 1111 1111 1111", { type: "credit_card", scope: "alice" });
    assertEquals((await a.restoreTokens(token, "alice")).text, "4111 1111 1111 1111");
    assertEquals((await a.restoreTokens(token, "alice")).counts.restored, 1);
    assertEquals(await b.purge(token), true);
    const after = await a.restoreTokens(token, "alice");
    assertEquals(after.text, token);
    assertEquals(after.counts.unknown, 1);
  } finally {
    await a.close();
    await b.close();
    await env.cleanup();
  }
});
