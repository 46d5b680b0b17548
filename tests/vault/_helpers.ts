// A temporary folder holding a key file, its nonce ledger and a vault database, so vault
// tests never touch the checkout or each other.
import { DEFAULT_CONFIG, type HaechiConfig } from "../../src/config/mod.ts";
import { createKeyFile } from "../../src/vault/keyfile.ts";
import { openTokenVault, type TokenVault } from "../../src/vault/mod.ts";

export interface VaultEnv {
  readonly dir: string;
  readonly config: HaechiConfig;
  readonly keysPath: string;
  readonly dbPath: string;
  open(options?: { now?: () => number; nonceBlockSize?: number }): Promise<TokenVault>;
  cleanup(): Promise<void>;
}

export interface VaultEnvOptions {
  readonly nonceBudget?: number;
  readonly ttlSeconds?: number;
  readonly ttlByType?: Record<string, number>;
  readonly deterministicTypes?: string[];
  readonly createKeys?: boolean;
}

export async function vaultEnv(options: VaultEnvOptions = {}): Promise<VaultEnv> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-vault-" });
  const keysPath = `${dir}/keys.json`;
  const dbPath = `${dir}/vault.db`;
  if (options.createKeys !== false) await createKeyFile(keysPath);
  const config: HaechiConfig = {
    ...DEFAULT_CONFIG,
    keys: { provider: "local", path: keysPath, nonceBudget: options.nonceBudget ?? 2 ** 32 },
    tokenVault: {
      ...DEFAULT_CONFIG.tokenVault,
      path: dbPath,
      ttlSeconds: options.ttlSeconds ?? DEFAULT_CONFIG.tokenVault.ttlSeconds,
      ttlByType: options.ttlByType ?? {},
      deterministicTypes: options.deterministicTypes ??
        DEFAULT_CONFIG.tokenVault.deterministicTypes,
    },
  };
  return {
    dir,
    config,
    keysPath,
    dbPath,
    open: (o = {}) => openTokenVault(config, o),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/** A clock tests can move. */
export function fakeClock(
  start = Date.UTC(2030, 0, 1),
): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
