import { assert, assertEquals, assertRejects, assertThrows } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import {
  addToken,
  checkNewToken,
  createAuthHasher,
  readTokenStore,
  revokeToken,
} from "../../src/auth/mod.ts";
import { createBearerAuth } from "../../src/auth/bearer.ts";

const KEYS = ["team", "env", "tier", "role"];

Deno.test("labels must use an allowed key and a short value that cannot hold personal data", () => {
  assertEquals(checkNewToken({ type: "service", scope: "team:eng", labels: ["env=prod"] }, KEYS), {
    env: "prod",
  });
  for (const label of ["owner=x", "env=alice@example.com", "env=01012345678", "env=", "env"]) {
    assertThrows(
      () => checkNewToken({ type: "service", scope: "s", labels: [label] }, KEYS),
      HaechiError,
    );
  }
  const err = assertThrows(
    () => checkNewToken({ type: "service", scope: "s", labels: ["env=alice@example.com"] }, KEYS),
    HaechiError,
  );
  assert(!err.message.includes("alice"), "a refused label value is echoed");
  assertThrows(() => checkNewToken({ type: "robot", scope: "s", labels: [] }, KEYS), HaechiError);
  assertThrows(() => checkNewToken({ type: "user", scope: "a b", labels: [] }, KEYS), HaechiError);
});

Deno.test("the store keeps a keyed hash of each token, is mode 0600, and revocation is kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/auth.json`;
    const hasher = createAuthHasher(crypto.getRandomValues(new Uint8Array(32)));
    const { entry, token } = await addToken(path, hasher, {
      type: "service",
      scope: "team:eng",
      labels: {},
    });
    const text = await Deno.readTextFile(path);
    assert(!text.includes(token));
    assertEquals(entry.hash, hasher.tokenHash(token));
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    // Another key gives another hash: the store alone cannot check a guess.
    const other = createAuthHasher(new Uint8Array(32));
    assert(other.tokenHash(token) !== entry.hash);
    const auth = createBearerAuth(path, hasher);
    const headers = new Headers({ authorization: `Bearer ${token}` });
    assertEquals((await auth.authenticate(headers))?.scope, "team:eng");
    assertEquals(await createBearerAuth(path, other).authenticate(headers), null);
    const revoked = await revokeToken(path, entry.id);
    assert(revoked?.revokedAt !== null);
    assertEquals(await auth.authenticate(headers), null);
    assertEquals((await readTokenStore(path)).tokens.length, 1);
    assertEquals(await revokeToken(path, "ffffffffffffffff"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a damaged store lets nobody in rather than being read as empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/auth.json`;
    const hasher = createAuthHasher(new Uint8Array(32));
    const { token } = await addToken(path, hasher, { type: "user", scope: "u", labels: {} });
    await Deno.writeTextFile(path, "{not json");
    const auth = createBearerAuth(path, hasher);
    assertEquals(await auth.authenticate(new Headers({ authorization: `Bearer ${token}` })), null);
    await assertRejects(() => readTokenStore(path), HaechiError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
