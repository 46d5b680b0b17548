/**
 * Where the vault gets its keys: the {@linkcode KeyProvider} interface, and the local
 * provider backed by the key file and the nonce ledger.
 *
 * The interface speaks WebCrypto `CryptoKey`s, so an external KMS plugs in by unwrapping
 * data keys into non-extractable `CryptoKey`s (envelope encryption) and counting nonces
 * however it likes. A provider that holds key bytes in this process anyway (the local key
 * file) may also hand them to the vault through `keyBytes`, so it seals and opens with
 * synchronous AES-GCM instead of waiting an event-loop turn per WebCrypto call; a KMS
 * provider leaves `keyBytes` out and its keys never leave their `CryptoKey`s.
 *
 * @module
 */
import { createHmacSha256, type HmacSha256 } from "../crypto/mod.ts";
import { HaechiError } from "../errors.ts";
import {
  type DataKeyStatus,
  ensureActiveDataKey,
  type KeyMaterial,
  loadKeyFile,
  noncesPathFor,
} from "./keyfile.ts";
import { type NonceLedger, openNonceLedger } from "./nonce_ledger.ts";

/** A data key ready for AES-GCM. */
export interface DataKey {
  /** Id recorded beside every ciphertext (1 to 65535). */
  readonly id: number;
  /** Non-extractable AES-256-GCM key. */
  readonly key: CryptoKey;
}

/** One row of `haechi keys status`. */
export interface KeyStatusEntry {
  /** Key id. */
  readonly id: number;
  /** `active` or `retired`. */
  readonly status: DataKeyStatus;
  /** ISO creation time. */
  readonly createdAt: string;
  /** Nonces reserved so far (an upper bound on encryptions done). */
  readonly noncesUsed: number;
  /** Encryptions allowed before rotation is required. */
  readonly nonceBudget: number;
}

/** Supplies keys and enforces the nonce budget. */
export interface KeyProvider {
  /** The key new encryptions use; picks up a rotation made by another process. */
  activeKey(): Promise<DataKey>;
  /** The key with `id`, active or retired, or undefined when unknown. */
  keyById(id: number): Promise<CryptoKey | undefined>;
  /**
   * Raw bytes of the key with `id`, or undefined when unknown. Optional: only for providers
   * that already hold the bytes in this process; the vault then skips WebCrypto.
   */
  keyBytes?(id: number): Promise<Uint8Array | undefined>;
  /**
   * Account for `count` nonces about to be used with key `keyId`, before using them.
   *
   * @throws {HaechiError} `keys.nonce_budget_exhausted` past the key's budget.
   */
  reserveNonces(keyId: number, count: number): Promise<void>;
  /** HMAC-SHA256 of `data` under the fingerprint key. */
  fingerprint(data: Uint8Array): Promise<Uint8Array>;
  /** Every key with its nonce usage. */
  status(): Promise<readonly KeyStatusEntry[]>;
  /** Release files and handles. */
  close(): Promise<void>;
}

/** Options for {@linkcode openLocalKeyProvider}. */
export interface LocalKeyProviderOptions {
  /** Key file path (`keys.path`). */
  readonly path: string;
  /** Encryptions per key (`keys.nonceBudget`). */
  readonly nonceBudget: number;
  /** Material already read from `path`, to skip reading it again. */
  readonly material?: KeyMaterial;
  /** Ledger path; defaults to {@linkcode noncesPathFor}(path). */
  readonly ledgerPath?: string;
  /**
   * Nonces reserved by the first ledger write of each key (default 1024); each later
   * write of the same process reserves twice the last, up to `maxBlockSize`.
   */
  readonly blockSize?: number;
  /**
   * Largest block (default {@linkcode MAX_NONCE_BLOCK}, or `blockSize` when that is
   * given: tests pin fixed blocks).
   */
  readonly maxBlockSize?: number;
}

/** Default nonces reserved by a key's first ledger write in a process. */
export const DEFAULT_NONCE_BLOCK = 1024;
/**
 * Largest block a ledger write reserves, and so the most nonces a crash can waste: a
 * process that keeps encrypting (a bulk `protect`) doubles its block from
 * {@linkcode DEFAULT_NONCE_BLOCK} up to this, so its synced ledger writes stay rare; one
 * that encrypts now and then keeps small blocks. 65536 is 1/65536 of the default budget.
 */
export const MAX_NONCE_BLOCK = 65536;
/** Longest an encrypting process goes without re-reading the key file, ms. */
const RELOAD_MS = 1000;

/**
 * Open the provider for the local key file. The file must exist (`haechi init` writes
 * it); a version 1 file gains its first data key on the first encryption.
 *
 * @throws {HaechiError} `keys.not_found`, `keys.invalid`, `vault.io`, `vault.corrupt`.
 *
 * @example
 * ```ts ignore
 * const keys = await openLocalKeyProvider({ path: ".haechi/keys.json", nonceBudget: 2 ** 32 });
 * const { id, key } = await keys.activeKey();
 * await keys.reserveNonces(id, 1);
 * await keys.close();
 * ```
 */
export async function openLocalKeyProvider(
  options: LocalKeyProviderOptions,
): Promise<KeyProvider> {
  const material = options.material ?? await loadKeyFile(options.path);
  const ledger = await openNonceLedger(options.ledgerPath ?? noncesPathFor(options.path));
  // Fingerprints are computed on every tokenize and lookup; the in-process HMAC costs about
  // 4 µs where a WebCrypto call costs about 100 µs in Deno. Encryption stays on WebCrypto.
  const hmac = createHmacSha256(material.hmacKey);
  return new LocalKeyProvider(options, material, ledger, hmac);
}

class LocalKeyProvider implements KeyProvider {
  #options: LocalKeyProviderOptions;
  #material: KeyMaterial;
  #ledger: NonceLedger;
  #hmac: HmacSha256;
  #imported = new Map<number, Promise<CryptoKey>>();
  #blocks = new Map<number, number>();
  #nextBlock = new Map<number, number>();
  #budget: number;
  #blockSize: number;
  #maxBlockSize: number;
  #loadedAt = 0;

  constructor(
    options: LocalKeyProviderOptions,
    material: KeyMaterial,
    ledger: NonceLedger,
    hmac: HmacSha256,
  ) {
    this.#options = options;
    this.#material = material;
    this.#ledger = ledger;
    this.#hmac = hmac;
    this.#budget = options.nonceBudget;
    this.#blockSize = Math.max(1, options.blockSize ?? DEFAULT_NONCE_BLOCK);
    this.#maxBlockSize = Math.max(
      this.#blockSize,
      options.maxBlockSize ?? (options.blockSize === undefined ? MAX_NONCE_BLOCK : 1),
    );
    this.#loadedAt = Date.now();
  }

  async activeKey(): Promise<DataKey> {
    let active = this.#activeEntry();
    // Re-read the file when a new block is due, and at least every RELOAD_MS while
    // encrypting (blocks grow large in a bulk run): how a long-running process notices
    // `haechi keys rotate` run elsewhere.
    if (
      active === undefined || (this.#blocks.get(active.id) ?? 0) === 0 ||
      Date.now() - this.#loadedAt >= RELOAD_MS
    ) {
      await this.#reload();
      active = this.#activeEntry();
    }
    if (active === undefined) {
      this.#material = await ensureActiveDataKey(this.#options.path);
      active = this.#activeEntry();
      if (active === undefined) throw new HaechiError("internal", "No active data key");
    }
    return { id: active.id, key: await this.#import(active.id) };
  }

  async keyById(id: number): Promise<CryptoKey | undefined> {
    if (!this.#material.dataKeys.some((k) => k.id === id)) await this.#reload();
    if (!this.#material.dataKeys.some((k) => k.id === id)) return undefined;
    return await this.#import(id);
  }

  async keyBytes(id: number): Promise<Uint8Array | undefined> {
    if (!this.#material.dataKeys.some((k) => k.id === id)) await this.#reload();
    return this.#material.dataKeys.find((k) => k.id === id)?.key.slice();
  }

  reserveNonces(keyId: number, count: number): Promise<void> {
    const left = this.#blocks.get(keyId) ?? 0;
    if (left >= count) {
      this.#blocks.set(keyId, left - count);
      return Promise.resolve();
    }
    try {
      const need = count - left;
      const block = this.#nextBlock.get(keyId) ?? this.#blockSize;
      const granted = this.#ledger.reserve(keyId, need, Math.max(need, block), this.#budget);
      this.#nextBlock.set(keyId, Math.min(block * 2, this.#maxBlockSize));
      this.#blocks.set(keyId, left + granted - count);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  fingerprint(data: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(this.#hmac(data));
  }

  async status(): Promise<readonly KeyStatusEntry[]> {
    await this.#reload();
    return this.#material.dataKeys.map((k) => ({
      id: k.id,
      status: k.status,
      createdAt: k.createdAt,
      noncesUsed: this.#ledger.used(k.id),
      nonceBudget: this.#budget,
    }));
  }

  close(): Promise<void> {
    this.#ledger.close();
    return Promise.resolve();
  }

  #activeEntry() {
    return this.#material.dataKeys.find((k) => k.status === "active");
  }

  async #reload(): Promise<void> {
    const next = await loadKeyFile(this.#options.path);
    // The HMAC key never changes under a running process: every fingerprint and
    // deterministic token depends on it.
    if (!sameBytes(next.hmacKey, this.#material.hmacKey)) {
      throw new HaechiError(
        "keys.invalid",
        `Key file ${this.#options.path} changed its HMAC key while in use`,
        { path: this.#options.path },
      );
    }
    this.#material = next;
    this.#loadedAt = Date.now();
  }

  #import(id: number): Promise<CryptoKey> {
    let p = this.#imported.get(id);
    if (p === undefined) {
      const entry = this.#material.dataKeys.find((k) => k.id === id);
      if (entry === undefined) return Promise.reject(new HaechiError("internal", "Unknown key"));
      p = crypto.subtle.importKey("raw", entry.key as BufferSource, "AES-GCM", false, [
        "encrypt",
        "decrypt",
      ]);
      this.#imported.set(id, p);
    }
    return p;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
