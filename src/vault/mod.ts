/**
 * The token vault: reversible tokens and `[ENC:…]` envelopes, encrypted at rest with
 * AES-256-GCM, looked up through keyed fingerprints, stored in SQLite.
 *
 * - {@linkcode openTokenVault} opens the configured vault; it implements
 *   `ReversibleActions`, so pass it to `createProtector` as `reversible`.
 * - {@linkcode restorerFor} narrows restoring to what one caller may see (docs/vault.md);
 * - {@linkcode TokenVault.restoreTokens} restores a scope's tokens in text;
 *   {@linkcode createRestoreStream} and {@linkcode StreamingRestorer} do the same for
 *   streams chunked anywhere.
 * - {@linkcode KeyProvider} and {@linkcode VaultStore} are the plug points for an
 *   external KMS and a shared store.
 *
 * See docs/vault.md for formats and decisions.
 *
 * @module
 */
export { openTokenVault, type OpenTokenVaultOptions } from "./open.ts";
export {
  checkScope,
  createTokenVault,
  DEFAULT_HIT_CACHE_SIZE,
  DEFAULT_PURGE_EVERY,
  type RestoreCounts,
  type RestoreResult,
  type RevealedToken,
  type TokenRestorer,
  type TokenVault,
  type TokenVaultOptions,
} from "./vault.ts";
export { MintedTokens, type RestoreGrant, restorerFor } from "./caller_restorer.ts";
export {
  createRestoreStream,
  holdBackFrom,
  type RestoreStream,
  StreamingRestorer,
} from "./restore_stream.ts";
export {
  type DataKey,
  DEFAULT_NONCE_BLOCK,
  type KeyProvider,
  type KeyStatusEntry,
  type LocalKeyProviderOptions,
  MAX_NONCE_BLOCK,
  openLocalKeyProvider,
} from "./key_provider.ts";
export {
  createKeyFile,
  type DataKeyEntry,
  type DataKeyStatus,
  ensureActiveDataKey,
  type KeyMaterial,
  loadKeyFile,
  MAX_DATA_KEY_ID,
  noncesPathFor,
  parseKeyFile,
  rotateKeyFile,
  type RotationResult,
} from "./keyfile.ts";
export { type NonceLedger, openNonceLedger } from "./nonce_ledger.ts";
export type { Awaitable, TokenMetadata, VaultRecord, VaultStore } from "./store.ts";
export { openSqliteStore, type SqliteVaultStore, VAULT_SCHEMA_VERSION } from "./sqlite_store.ts";
export {
  decodeEnvelope,
  encodeEnvelope,
  ENVELOPE_PATTERN,
  ENVELOPE_VERSION,
  type EnvelopeParts,
} from "./envelope.ts";
export {
  formatToken,
  isTokenPrefix,
  isTokenType,
  MAX_TOKEN_LENGTH,
  type ParsedToken,
  parseToken,
  TOKEN_PATTERN,
} from "./token.ts";
export { createMemoryVault, type MemoryVault } from "./memory.ts";
export { withFileLock } from "./_lock.ts";
