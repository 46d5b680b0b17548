import { createTokenVault, type KeyProvider, openSqliteStore } from "../../src/vault/mod.ts";
import { openLocalKeyProvider } from "../../src/vault/key_provider.ts";
import { assert, assertEquals } from "../assert.ts";
import { vaultEnv } from "./_helpers.ts";

/** The same keys, minus `keyBytes`: what a KMS-backed provider looks like to the vault. */
function withoutKeyBytes(keys: KeyProvider): KeyProvider {
  return {
    activeKey: () => keys.activeKey(),
    keyById: (id) => keys.keyById(id),
    reserveNonces: (id, n) => keys.reserveNonces(id, n),
    fingerprint: (data) => keys.fingerprint(data),
    status: () => keys.status(),
    close: () => keys.close(),
  };
}

Deno.test("records sealed with in-process key bytes and with WebCrypto keys open each other", async () => {
  const env = await vaultEnv();
  const fast = await env.open();
  const keys = await openLocalKeyProvider({ path: env.keysPath, nonceBudget: 2 ** 32 });
  const web = await createTokenVault({
    keys: withoutKeyBytes(keys),
    store: await openSqliteStore(env.dbPath),
  });
  try {
    const email = { type: "email", scope: "alice" };
    const ssn = { type: "us_ssn", scope: "alice" };
    const card = { type: "payment_card", scope: "alice" };
    const a = await fast.tokenize("bob@corp.example", email);
    const b = await web.tokenize("123-45-6789", ssn);
    assertEquals(await web.tokenize("bob@corp.example", email), a, "one deterministic token");
    assertEquals((await web.restoreTokens(`x ${a}`, "alice")).text, "x bob@corp.example");
    assertEquals((await fast.restoreTokens(`y ${b}`, "alice")).text, "y 123-45-6789");
    assertEquals((await web.reveal(a)).value, "bob@corp.example");
    const e1 = await fast.encrypt("4111 1111 1111 1111", card);
    const e2 = await web.encrypt("4111 1111 1111 1111", card);
    assertEquals((await web.decryptEnvelope(e1, "alice")).value, "4111 1111 1111 1111");
    assertEquals((await fast.decryptEnvelope(e2, "alice")).value, "4111 1111 1111 1111");
    assertEquals((await fast.restoreTokens(`${b}`, "bob")).counts.foreignScope, 1);
  } finally {
    await fast.close();
    await web.close();
    await env.cleanup();
  }
});

Deno.test("deferred commits reach other connections at commit, and close commits the rest", async () => {
  const env = await vaultEnv();
  const writer = await env.open();
  const reader = await env.open();
  try {
    writer.deferCommits();
    const ctx = { type: "email", scope: "alice" };
    const first = await writer.tokenize("first@corp.example", ctx);
    assertEquals((await writer.restoreTokens(first, "alice")).text, "first@corp.example");
    assertEquals(await reader.describe(first), undefined, "not visible before the commit");
    await writer.commit();
    assert(await reader.describe(first) !== undefined, "visible after the commit");
    await writer.commit();
    const second = await writer.tokenize("second@corp.example", ctx);
    assertEquals(await reader.describe(second), undefined);
    await writer.close();
    assertEquals((await reader.restoreTokens(second, "alice")).text, "second@corp.example");
    assertEquals(await reader.tokenize("second@corp.example", ctx), second);
  } finally {
    await reader.close();
    await env.cleanup();
  }
});

Deno.test("a process that keeps encrypting reserves growing nonce blocks; a pinned size stays fixed", async () => {
  const env = await vaultEnv();
  const growing = await openLocalKeyProvider({ path: env.keysPath, nonceBudget: 2 ** 32 });
  try {
    const { id } = await growing.activeKey();
    for (let i = 0; i < 3000; i++) await growing.reserveNonces(id, 1);
    assertEquals((await growing.status())[0].noncesUsed, 1024 + 2048);
  } finally {
    await growing.close();
  }
  const pinned = await openLocalKeyProvider({
    path: env.keysPath,
    nonceBudget: 2 ** 32,
    ledgerPath: `${env.dir}/pinned.nonces.db`,
    blockSize: 2,
  });
  try {
    const { id } = await pinned.activeKey();
    for (let i = 0; i < 5; i++) await pinned.reserveNonces(id, 1);
    assertEquals((await pinned.status())[0].noncesUsed, 6);
  } finally {
    await pinned.close();
    await env.cleanup();
  }
});
