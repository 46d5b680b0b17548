import { assertEquals, assertRejects } from "../assert.ts";
import type { HaechiError } from "../../src/errors.ts";
import { openLocalKeyProvider, openSqliteStore } from "../../src/vault/mod.ts";
import type * as VaultModule from "../../src/vault/vault.ts";
import { vaultEnv } from "./_helpers.ts";

// The context check remembers the last pair that passed in module state, so this test loads
// its own copy of the module: the first check of a process is the one under test.
Deno.test("an empty type and scope are refused even as the first context a process checks", async () => {
  const specifier = new URL("../../src/vault/vault.ts?first-context", import.meta.url).href;
  const { createTokenVault } = await import(specifier) as typeof VaultModule;
  const env = await vaultEnv();
  const vault = await createTokenVault({
    keys: await openLocalKeyProvider({ path: env.keysPath, nonceBudget: 2 ** 32 }),
    store: await openSqliteStore(env.dbPath),
  });
  try {
    const err = await assertRejects(() => vault.tokenize("x", { type: "", scope: "" }));
    assertEquals((err as HaechiError).code, "vault.invalid_type");
    assertEquals(await vault.count(), 0);
  } finally {
    await vault.close();
    await env.cleanup();
  }
});
