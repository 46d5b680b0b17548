/**
 * Open the configured vault: the local key provider (`keys.*`) and the SQLite store
 * (`tokenVault.*`), wired into a {@linkcode TokenVault}.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import type { KeyMaterial } from "./keyfile.ts";
import { type KeyProvider, openLocalKeyProvider } from "./key_provider.ts";
import { openSqliteStore } from "./sqlite_store.ts";
import { openRedisStore } from "./redis_store.ts";
import type { VaultStore } from "./store.ts";
import { createTokenVault, type TokenVault } from "./vault.ts";

/** Options for {@linkcode openTokenVault}. */
export interface OpenTokenVaultOptions {
  /** Key material already loaded from `config.keys.path` (skips a second read). */
  readonly material?: KeyMaterial;
  /**
   * Keys from an injected crypto provider (`keys.provider: "external"`) instead of the key
   * file. The caller keeps ownership: closing the vault does not close them.
   */
  readonly keys?: KeyProvider;
  /** Clock in milliseconds, for tests. */
  readonly now?: () => number;
  /** Nonces reserved per ledger write (tests use small blocks). */
  readonly nonceBlockSize?: number;
  /**
   * New tokens between opportunistic purges of expired ones; 0 turns them off, including
   * the sweep on open (`haechi token-purge --expired` does, to report what it removed).
   */
  readonly purgeEvery?: number;
}

/**
 * Open the vault `config` describes. Close it when done: that closes the database and
 * the nonce ledger.
 *
 * @throws {HaechiError} `keys.not_found`, `keys.invalid`, `vault.io`, `vault.corrupt`.
 *
 * @example
 * ```ts ignore
 * const material = await loadKeyFile(config.keys.path, { createIfMissing: true });
 * const vault = await openTokenVault(config, { material });
 * try {
 *   const t = await vault.tokenize("bob@corp.example", { type: "email", scope: "alice" });
 * } finally {
 *   await vault.close();
 * }
 * ```
 */
export async function openTokenVault(
  config: HaechiConfig,
  options: OpenTokenVaultOptions = {},
): Promise<TokenVault> {
  const keys = options.keys !== undefined ? borrowed(options.keys) : await openLocalKeyProvider({
    path: config.keys.path,
    nonceBudget: config.keys.nonceBudget,
    material: options.material,
    blockSize: options.nonceBlockSize,
  });
  let store: VaultStore;
  try {
    // A shared Redis store when configured (replicas restore each other's tokens), else
    // the local SQLite file; both only ever receive ciphertext.
    store = config.tokenVault.redisUrl !== ""
      ? await openRedisStore(config.tokenVault.redisUrl)
      : await openSqliteStore(config.tokenVault.path, {
        synchronous: config.tokenVault.synchronous,
      });
  } catch (e) {
    await keys.close();
    throw e;
  }
  try {
    return await createTokenVault({
      keys,
      store,
      deterministicTypes: config.tokenVault.deterministicTypes,
      ttlSeconds: config.tokenVault.ttlSeconds,
      ttlByType: config.tokenVault.ttlByType,
      now: options.now,
      purgeEvery: options.purgeEvery,
    });
  } catch (e) {
    await store.close();
    await keys.close();
    throw e;
  }
}

/** `keys` with a `close` that leaves them open: their owner closes them. */
function borrowed(keys: KeyProvider): KeyProvider {
  const keyBytes = keys.keyBytes;
  return {
    activeKey: () => keys.activeKey(),
    keyById: (id) => keys.keyById(id),
    ...(keyBytes === undefined ? {} : { keyBytes: (id: number) => keyBytes.call(keys, id) }),
    reserveNonces: (id, count) => keys.reserveNonces(id, count),
    fingerprint: (data) => keys.fingerprint(data),
    status: () => keys.status(),
    close: () => Promise.resolve(),
  };
}
