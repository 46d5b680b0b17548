import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals, assertMatch, assertNotEquals, assertRejects } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import { rotateKeyFile } from "../../src/vault/keyfile.ts";
import { fakeClock, vaultEnv } from "./_helpers.ts";

const EMAIL = { type: "email", scope: "alice" };

Deno.test("a token restores for the scope it was issued to", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const token = await vault.tokenize("bob@corp.example", EMAIL);
    assertMatch(token, /^\[TOKEN:email:[a-z2-7]{20}\]$/);
    const r = await vault.restoreTokens(`write to ${token} today`, "alice");
    assertEquals(r.text, "write to bob@corp.example today");
    assertEquals(r.counts.restored, 1);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("another scope gets nothing back and the refusal is counted", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const token = await vault.tokenize("bob@corp.example", EMAIL);
    const r = await vault.restoreTokens(`to ${token}`, "mallory");
    assertEquals(r.text, `to ${token}`);
    assertEquals(r.counts, { restored: 0, foreignScope: 1, unknown: 0, expired: 0, corrupt: 0 });
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("a fake token shaped like a real one is left as is and counted unknown", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const real = await vault.tokenize("bob@corp.example", EMAIL);
    const id = real.slice("[TOKEN:email:".length, -1);
    const fake = "[TOKEN:email:aaaaaaaaaaaaaaaaaaaa]";
    const retyped = `[TOKEN:phone:${id}]`;
    const r = await vault.restoreTokens(`${fake} ${retyped}`, "alice");
    assertEquals(r.text, `${fake} ${retyped}`);
    assertEquals(r.counts.unknown, 2);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("deterministic types give the same token across calls and processes, per scope", async () => {
  const env = await vaultEnv();
  let vault = await env.open();
  try {
    const a = await vault.tokenize("bob@corp.example", EMAIL);
    assertEquals(await vault.tokenize("bob@corp.example", EMAIL), a);
    const other = await vault.tokenize("bob@corp.example", { type: "email", scope: "carol" });
    assertNotEquals(other, a, "unlinkable across scopes");
    await vault.close();
    vault = await env.open();
    assertEquals(await vault.tokenize("bob@corp.example", EMAIL), a, "stable after reopening");
    assertEquals(await vault.count(), 2);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("concurrent tokenize calls for one deterministic value agree on one token", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const tokens = await Promise.all(
      Array.from({ length: 8 }, () => vault.tokenize("bob@corp.example", EMAIL)),
    );
    assertEquals(new Set(tokens).size, 1);
    assertEquals(await vault.count(), 1);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("random-mode types get a fresh token per occurrence, each restoring", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const ctx = { type: "us_ssn", scope: "alice" };
    const a = await vault.tokenize("123-45-6789", ctx);
    const b = await vault.tokenize("123-45-6789", ctx);
    assertNotEquals(a, b);
    assertEquals((await vault.restoreTokens(`${a}|${b}`, "alice")).text, "123-45-6789|123-45-6789");
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("expired tokens are not restored, get replaced, and are purged", async () => {
  const env = await vaultEnv({ ttlSeconds: 60, ttlByType: { phone: 3600 } });
  const clock = fakeClock();
  const vault = await env.open({ now: clock.now });
  try {
    const email = await vault.tokenize("bob@corp.example", EMAIL);
    const phone = await vault.tokenize("+1 415 555 0100", { type: "phone", scope: "alice" });
    clock.advance(61_000);
    const r = await vault.restoreTokens(`${email} ${phone}`, "alice");
    assertEquals(r.text, `${email} +1 415 555 0100`, "the per-type TTL keeps the phone alive");
    assertEquals(r.counts.expired, 1);
    const again = await vault.tokenize("bob@corp.example", EMAIL);
    assertNotEquals(again, email, "an expired deterministic token is not revived");
    clock.advance(3600_000);
    assertEquals(await vault.purgeExpired(), 2);
    assertEquals(await vault.count(), 0);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("a TTL of 0 means the token never expires", async () => {
  const env = await vaultEnv({ ttlSeconds: 0 });
  const clock = fakeClock();
  const vault = await env.open({ now: clock.now });
  try {
    const t = await vault.tokenize("bob@corp.example", EMAIL);
    clock.advance(100 * 365 * 24 * 3600_000);
    assertEquals((await vault.restoreTokens(t, "alice")).text, "bob@corp.example");
    assertEquals((await vault.describe(t))?.expiresAt, null);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("a record moved to another token, type or scope fails to decrypt", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  const ctx = { type: "us_ssn", scope: "alice" };
  const a = await vault.tokenize("123-45-6789", ctx);
  const b = await vault.tokenize("987-65-4321", ctx);
  const c = await vault.tokenize("111-22-3333", ctx);
  await vault.close();
  const id = (t: string) => t.slice(-21, -1);
  const db = new DatabaseSync(env.dbPath);
  // Move b's sealed value under a's token, and give c's record another scope.
  db.prepare(
    "UPDATE tokens SET nonce = (SELECT nonce FROM tokens WHERE id = ?), " +
      "ciphertext = (SELECT ciphertext FROM tokens WHERE id = ?) WHERE id = ?",
  ).run(id(b), id(b), id(a));
  db.prepare("UPDATE tokens SET scope = 'bob' WHERE id = ?").run(id(c));
  db.close();
  const reopened = await env.open();
  try {
    const r1 = await reopened.restoreTokens(`${a} ${b}`, "alice");
    assertEquals(r1.text, `${a} 987-65-4321`);
    assertEquals(r1.counts.corrupt, 1);
    const r2 = await reopened.restoreTokens(c, "bob");
    assertEquals(r2.text, c);
    assertEquals(r2.counts.corrupt, 1);
    await assertRejects(() => reopened.reveal(a), HaechiError, "fails authentication");
  } finally {
    await reopened.close();
    await env.cleanup();
  }
});

Deno.test("after key rotation old tokens and envelopes still open and new ones use the new key", async () => {
  const env = await vaultEnv();
  const vault = await env.open({ nonceBlockSize: 1 });
  try {
    const old = await vault.tokenize("123-45-6789", { type: "us_ssn", scope: "alice" });
    const oldEnv = await vault.encrypt("4111 1111 1111 1111", {
      type: "payment_card",
      scope: "alice",
    });
    const { retired, active } = await rotateKeyFile(env.keysPath);
    assertEquals([retired, active], [1, 2]);
    const fresh = await vault.encrypt("4111 1111 1111 1111", {
      type: "payment_card",
      scope: "alice",
    });
    assertNotEquals(fresh.slice(5, 9), oldEnv.slice(5, 9), "the key id bytes differ");
    assertEquals((await vault.restoreTokens(old, "alice")).text, "123-45-6789");
    assertEquals((await vault.decryptEnvelope(oldEnv, "alice")).value, "4111 1111 1111 1111");
    assertEquals((await vault.decryptEnvelope(fresh, "alice")).value, "4111 1111 1111 1111");
    const status = await vault.keys.status();
    assertEquals(status.map((k) => k.status), ["retired", "active"]);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("a key refuses to encrypt past its nonce budget and names the fix", async () => {
  const env = await vaultEnv({ nonceBudget: 3 });
  const vault = await env.open();
  try {
    const ctx = { type: "us_ssn", scope: "alice" };
    for (let i = 0; i < 3; i++) await vault.tokenize(`123-45-678${i}`, ctx);
    const err = await assertRejects(() => vault.tokenize("123-45-6789", ctx), HaechiError);
    assertEquals((err as HaechiError).code, "keys.nonce_budget_exhausted");
    assert(err.message.includes("haechi keys rotate"));
    await assertRejects(() => vault.encrypt("x", ctx), HaechiError, "keys rotate");
    await rotateKeyFile(env.keysPath);
    await vault.tokenize("123-45-6789", ctx);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("the nonce budget holds across processes sharing the key file", async () => {
  const env = await vaultEnv({ nonceBudget: 5 });
  const a = await env.open({ nonceBlockSize: 2 });
  const b = await env.open({ nonceBlockSize: 2 });
  try {
    const ctx = { type: "us_ssn", scope: "alice" };
    let ok = 0;
    for (let i = 0; i < 10; i++) {
      try {
        await (i % 2 === 0 ? a : b).tokenize(`v${i}`, ctx);
        ok++;
      } catch (e) {
        assertEquals((e as HaechiError).code, "keys.nonce_budget_exhausted");
      }
    }
    assert(ok <= 5, `at most the budget was spent (${ok})`);
    assertEquals((await a.keys.status())[0].noncesUsed, 5);
  } finally {
    await a.close();
    await b.close();
    await env.cleanup();
  }
});

Deno.test("an envelope opens only for its scope and refuses edits", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const envelope = await vault.encrypt("4111 1111 1111 1111", {
      type: "payment_card",
      scope: "alice",
    });
    assertMatch(envelope, /^\[ENC:[A-Za-z0-9_-]+\]$/);
    assertEquals(await vault.decryptEnvelope(envelope, "alice"), {
      type: "payment_card",
      value: "4111 1111 1111 1111",
    });
    await assertRejects(() => vault.decryptEnvelope(envelope, "bob"), HaechiError, "scope");
    const body = envelope.slice(5, -1);
    const flipped = body.slice(0, -3) + (body.at(-3) === "A" ? "B" : "A") + body.slice(-2);
    const err = await assertRejects(() => vault.decryptEnvelope(`[ENC:${flipped}]`, "alice"));
    assertEquals((err as HaechiError).code, "vault.decrypt_failed");
    const bad = await assertRejects(() => vault.decryptEnvelope("[ENC:zz]", "alice"));
    assertEquals((bad as HaechiError).code, "vault.invalid_envelope");
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("plaintext values never reach the database files", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  const value = "very-distinct-value@plaintext.example";
  await vault.tokenize(value, EMAIL);
  await vault.tokenize(value, { type: "us_ssn", scope: "alice" });
  await vault.close();
  try {
    for await (const entry of Deno.readDir(env.dir)) {
      const bytes = await Deno.readFile(`${env.dir}/${entry.name}`);
      const text = new TextDecoder("latin1").decode(bytes);
      assert(!text.includes(value), `${entry.name} holds no plaintext`);
    }
    const mode = (await Deno.stat(env.dbPath)).mode;
    if (mode !== null) assertEquals(mode & 0o777, 0o600);
  } finally {
    await env.cleanup();
  }
});

Deno.test("reveal, describe, purge and list work by token and never expose ciphertext", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const t = await vault.tokenize("bob@corp.example", EMAIL);
    const s = await vault.tokenize("123-45-6789", { type: "us_ssn", scope: "bob" });
    assertEquals((await vault.reveal(t)).value, "bob@corp.example");
    await assertRejects(() => vault.reveal(t, { scope: "bob" }), HaechiError, "not issued");
    await assertRejects(() => vault.reveal("[TOKEN:email:bad]"), HaechiError, "Not a token");
    const listed = [];
    for await (const m of vault.list({ type: "us_ssn" })) listed.push(m);
    assertEquals(listed.length, 1);
    assertEquals(Object.keys(listed[0]).sort(), ["createdAt", "expiresAt", "id", "scope", "type"]);
    assertEquals(await vault.purge(s), true);
    assertEquals(await vault.purge(s), false);
    assertEquals(await vault.describe(s), undefined);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("bad scopes and types are refused before anything is stored", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const e1 = await assertRejects(() => vault.tokenize("x", { type: "email", scope: "" }));
    assertEquals((e1 as HaechiError).code, "vault.invalid_scope");
    const e2 = await assertRejects(() => vault.tokenize("x", { type: "e\u0000", scope: "s" }));
    assertEquals((e2 as HaechiError).code, "vault.invalid_type");
    assertEquals(await vault.count(), 0);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("a corrupt vault database fails closed with vault.corrupt", async () => {
  const env = await vaultEnv();
  await Deno.writeTextFile(env.dbPath, "this is not a database, just some text ".repeat(100));
  try {
    const err = await assertRejects(() => env.open(), HaechiError);
    assertEquals((err as HaechiError).code, "vault.corrupt");
  } finally {
    await env.cleanup();
  }
});

Deno.test("the hit cache never hands out a token purged by another process", async () => {
  const env = await vaultEnv();
  const a = await env.open();
  const b = await env.open();
  try {
    const first = await a.tokenize("bob@corp.example", EMAIL);
    assertEquals(await a.tokenize("bob@corp.example", EMAIL), first, "served from the cache");
    assertEquals(await b.purge(first), true);
    const second = await a.tokenize("bob@corp.example", EMAIL);
    assertNotEquals(second, first);
    assertEquals((await b.restoreTokens(second, "alice")).text, "bob@corp.example");
  } finally {
    await a.close();
    await b.close();
    await env.cleanup();
  }
});
