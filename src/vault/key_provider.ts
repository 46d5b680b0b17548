/**
 * Where the vault gets its keys: the {@linkcode KeyProvider} interface, and the local
 * provider backed by the key file and the nonce ledger.
 *
 * The interface speaks WebCrypto `CryptoKey`s, so an external KMS plugs in by unwrapping
 * data keys into non-extractable `CryptoKey`s (envelope encryption) and counting nonces
 * however it likes; the vault never sees raw key bytes.
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
  /** Nonces reserved per ledger write (default 1024). */
  readonly blockSize?: number;
}

/** Default nonces reserved per ledger write: at most this many are lost to a crash. */
export const DEFAULT_NONCE_BLOCK = 1024;

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
  #budget: number;
  #blockSize: number;

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
  }

  async activeKey(): Promise<DataKey> {
    let active = this.#activeEntry();
    // Re-read the file only when a new block is due: cheap, and it is how a long-running
    // process notices `haechi keys rotate` run elsewhere.
    if (active === undefined || (this.#blocks.get(active.id) ?? 0) === 0) {
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

  reserveNonces(keyId: number, count: number): Promise<void> {
    const left = this.#blocks.get(keyId) ?? 0;
    if (left >= count) {
      this.#blocks.set(keyId, left - count);
      return Promise.resolve();
    }
    try {
      const need = count - left;
      const granted = this.#ledger.reserve(
        keyId,
        need,
        Math.max(need, this.#blockSize),
        this.#budget,
      );
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
