// Issue tokens and envelopes into a CLI test environment's vault, as the protector would.
import { loadConfig } from "../../src/config/mod.ts";
import { createKeyFile } from "../../src/vault/keyfile.ts";
import { openTokenVault, type TokenVault } from "../../src/vault/mod.ts";
import type { CliVaultEnv } from "./_cli_env.ts";

export async function withIssuedVault<T>(
  env: CliVaultEnv,
  fn: (vault: TokenVault) => Promise<T>,
): Promise<T> {
  try {
    await Deno.stat(env.keysPath);
  } catch {
    await createKeyFile(env.keysPath);
  }
  const config = await loadConfig({ path: env.config, env: {} });
  const vault = await openTokenVault(config);
  try {
    return await fn(vault);
  } finally {
    await vault.close();
  }
}
