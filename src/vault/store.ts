/**
 * The {@linkcode VaultStore} interface: where token records live. The embedded default is
 * SQLite (`sqlite_store.ts`); a shared networked store implements the same methods.
 * Methods may return values or promises, so a remote store can be asynchronous while
 * the local one stays synchronous and fast.
 *
 * A store only ever sees ciphertext. Metadata (type, scope, times) is stored in the clear
 * so expiry and export work without keys.
 *
 * @module
 */

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** Token facts that are safe to show: no value, no ciphertext. */
export interface TokenMetadata {
  /** Random 20-character id. */
  readonly id: string;
  /** Finding type. */
  readonly type: string;
  /** Scope the token was issued to. */
  readonly scope: string;
  /** Issue time, milliseconds since the epoch. */
  readonly createdAt: number;
  /** Expiry time in milliseconds, or null for never. */
  readonly expiresAt: number | null;
}

/** One stored token. */
export interface VaultRecord extends TokenMetadata {
  /** HMAC fingerprint for deterministic lookup (16 bytes), or null in random mode. */
  readonly fingerprint: Uint8Array | null;
  /** Data key that sealed the value. */
  readonly keyId: number;
  /** 12-byte AES-GCM nonce. */
  readonly nonce: Uint8Array;
  /** AES-GCM ciphertext with its 16-byte tag. */
  readonly ciphertext: Uint8Array;
}

/** Persistent token records. */
export interface VaultStore {
  /** The record with `id`, or undefined. */
  findById(id: string): Awaitable<VaultRecord | undefined>;
  /** The record with `fingerprint`, or undefined. */
  findByFingerprint(fingerprint: Uint8Array): Awaitable<VaultRecord | undefined>;
  /**
   * Insert `record`; false when its id or fingerprint is taken. Durable on return, or
   * at the next `commit` after `deferCommits`.
   */
  insert(record: VaultRecord): Awaitable<boolean>;
  /**
   * Optional: from now on keep writes in one open transaction until `commit` (or `close`).
   * Stores without transactions leave it out and stay durable on return.
   */
  deferCommits?(): void;
  /** Optional: commit the open transaction, if any; later writes open a new one. */
  commit?(): Awaitable<void>;
  /** Delete the record with `id`; false when there was none. */
  deleteById(id: string): Awaitable<boolean>;
  /** Delete up to `limit` records that expired at or before `now`; returns how many. */
  purgeExpired(now: number, limit: number): Awaitable<number>;
  /** Metadata of every record (optionally of one type), without loading all at once. */
  list(filter?: { readonly type?: string }): Iterable<TokenMetadata> | AsyncIterable<TokenMetadata>;
  /** How many records are stored. */
  count(): Awaitable<number>;
  /** Close the store. */
  close(): Awaitable<void>;
}
