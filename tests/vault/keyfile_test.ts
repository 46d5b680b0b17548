import { assert, assertEquals, assertRejects } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import {
  createKeyFile,
  ensureActiveDataKey,
  loadKeyFile,
  rotateKeyFile,
} from "../../src/vault/keyfile.ts";
import { openLocalKeyProvider } from "../../src/vault/key_provider.ts";
import { vaultEnv } from "./_helpers.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "haechi-keys-" });
}

Deno.test("a new key file holds an HMAC key and one active data key, mode 0600", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/keys.json`;
    const created = await createKeyFile(path);
    const json = JSON.parse(await Deno.readTextFile(path));
    assertEquals(json.keysVersion, 2);
    assertEquals(json.dataKeys.length, 1);
    assertEquals(json.dataKeys[0].id, 1);
    assertEquals(json.dataKeys[0].status, "active");
    const loaded = await loadKeyFile(path);
    assertEquals(loaded.hmacKey, created.hmacKey);
    assertEquals(loaded.dataKeys[0].key.length, 32);
    const mode = (await Deno.stat(path)).mode;
    if (mode !== null) assertEquals(mode & 0o777, 0o600);
    const err = await assertRejects(() => createKeyFile(path), HaechiError, "already exists");
    assertEquals((err as HaechiError).code, "keys.invalid");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing key file fails with keys.not_found unless creation is asked for", async () => {
  const dir = await tempDir();
  try {
    const err = await assertRejects(() => loadKeyFile(`${dir}/keys.json`), HaechiError);
    assertEquals((err as HaechiError).code, "keys.not_found");
    assert(err.message.includes("haechi init"));
    const made = await loadKeyFile(`${dir}/keys.json`, { createIfMissing: true });
    assertEquals(made.dataKeys.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const CORRUPT: Record<string, string> = {
  "not JSON": "{ nope",
  "an array": "[]",
  "an unknown version": JSON.stringify({ keysVersion: 9, hmacKey: btoa("k".repeat(32)) }),
  "a short HMAC key": JSON.stringify({ keysVersion: 2, hmacKey: btoa("k"), dataKeys: [] }),
  "two active keys": JSON.stringify({
    keysVersion: 2,
    hmacKey: btoa("k".repeat(32)),
    dataKeys: [1, 2].map((id) => ({
      id,
      status: "active",
      createdAt: "",
      key: btoa("d".repeat(32)),
    })),
  }),
  "a duplicate key id": JSON.stringify({
    keysVersion: 2,
    hmacKey: btoa("k".repeat(32)),
    dataKeys: ["active", "retired"].map((status) => ({
      id: 1,
      status,
      createdAt: "",
      key: btoa("d".repeat(32)),
    })),
  }),
  "a bad data key": JSON.stringify({
    keysVersion: 2,
    hmacKey: btoa("k".repeat(32)),
    dataKeys: [{ id: 1, status: "active", createdAt: "", key: "!!" }],
  }),
};

for (const [what, text] of Object.entries(CORRUPT)) {
  Deno.test(`a key file with ${what} fails closed with keys.invalid`, async () => {
    const dir = await tempDir();
    try {
      const path = `${dir}/keys.json`;
      await Deno.writeTextFile(path, text, { mode: 0o600 });
      const err = await assertRejects(
        () => loadKeyFile(path, { createIfMissing: true }),
        HaechiError,
      );
      assertEquals((err as HaechiError).code, "keys.invalid");
      assert(!err.message.includes("ZGRk"), "never echoes key bytes");
      assertEquals(await Deno.readTextFile(path), text, "a corrupt file is never replaced");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a key file readable by others is refused", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/keys.json`;
    await createKeyFile(path);
    await Deno.chmod(path, 0o644);
    await assertRejects(() => loadKeyFile(path), HaechiError, "chmod 600");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a version 1 key file is upgraded in place on first need, keeping its HMAC key", async () => {
  const env = await vaultEnv({ createKeys: false });
  try {
    const hmac = btoa("h".repeat(32));
    const v1 = JSON.stringify({ keysVersion: 1, createdAt: "2024-01-01T00:00:00Z", hmacKey: hmac });
    await Deno.writeTextFile(env.keysPath, v1, { mode: 0o600 });
    const before = await loadKeyFile(env.keysPath);
    assertEquals([before.keysVersion, before.dataKeys.length], [1, 0]);
    assertEquals(await Deno.readTextFile(env.keysPath), v1, "reading does not rewrite");
    const vault = await env.open();
    try {
      const t = await vault.tokenize("123-45-6789", { type: "us_ssn", scope: "s" });
      assertEquals((await vault.restoreTokens(t, "s")).text, "123-45-6789");
    } finally {
      await vault.close();
    }
    const after = JSON.parse(await Deno.readTextFile(env.keysPath));
    assertEquals(after.keysVersion, 2);
    assertEquals(after.hmacKey, hmac);
    assertEquals(after.dataKeys.map((k: { id: number }) => k.id), [1]);
    assertEquals((await ensureActiveDataKey(env.keysPath)).dataKeys.length, 1, "idempotent");
  } finally {
    await env.cleanup();
  }
});

Deno.test("rotation retires the active key, adds the next id and leaves no temp files", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/keys.json`;
    await createKeyFile(path);
    const r = await rotateKeyFile(path);
    assertEquals([r.retired, r.active], [1, 2]);
    const loaded = await loadKeyFile(path);
    assertEquals(loaded.dataKeys.map((k) => `${k.id}:${k.status}`), ["1:retired", "2:active"]);
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    // The empty lock file stays (the lock itself is the kernel's); no temporary file does.
    assertEquals(names.sort(), ["keys.json", "keys.json.lock"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("concurrent rotations are serialised and lose no key", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/keys.json`;
    await createKeyFile(path);
    const results = await Promise.all([1, 2, 3, 4].map(() => rotateKeyFile(path)));
    assertEquals(results.map((r) => r.active).sort(), [2, 3, 4, 5]);
    const loaded = await loadKeyFile(path);
    assertEquals(loaded.dataKeys.length, 5);
    assertEquals(loaded.dataKeys.filter((k) => k.status === "active").map((k) => k.id), [5]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a key provider refuses a key file whose HMAC key changed under it", async () => {
  const env = await vaultEnv();
  try {
    const keys = await openLocalKeyProvider({ path: env.keysPath, nonceBudget: 10 });
    try {
      await Deno.remove(env.keysPath);
      await createKeyFile(env.keysPath);
      await assertRejects(() => keys.status(), HaechiError, "changed its HMAC key");
    } finally {
      await keys.close();
    }
  } finally {
    await env.cleanup();
  }
});
