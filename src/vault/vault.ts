/**
 * The token vault: tokenize, encrypt, restore and reveal, over a {@linkcode KeyProvider}
 * and a {@linkcode VaultStore}. It implements {@linkcode ReversibleActions}, so the
 * protector uses it directly.
 *
 * Decisions (see docs/vault.md):
 * - Token ids are random; deterministic types find their existing token through a keyed
 *   fingerprint, HMAC-SHA256 over (scope, type, value) truncated to 16 bytes. Scope is in
 *   the fingerprint, so the same value in two scopes gets unrelated tokens.
 * - Every record is sealed with AES-256-GCM; its additional data binds purpose
 *   `vault-record`, the token id, the type and the scope. A record copied under another
 *   token, type or scope does not decrypt, and is reported as `corrupt`, never restored.
 * - A deterministic token lives for its TTL; after that the same value gets a new token
 *   rather than reviving the old one, which may have leaked with old transcripts.
 * - Expired records are never restored, and are purged in small batches on open and
 *   every {@linkcode DEFAULT_PURGE_EVERY} new tokens (and by `haechi token-purge --expired`).
 *
 * Performance invariant: tokenize and restore cost O(log n) in the number of stored
 * tokens (id and fingerprint index lookups, one AES-GCM call, at most one HMAC
 * and one insert); CryptoKeys are imported once per key. The benchmark in
 * `scripts/bench_vault.ts` checks this stays flat from 1k to 1M tokens.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import {
  emptyRestoreCounts,
  type RestoreResult,
  type ReversibleActions,
  type ReversibleContext,
  type TokenRestorer,
} from "../protect/mod.ts";
import { type AesGcmKey, aesGcmKey } from "./_aes_gcm.ts";
import { frame, randomBytes, randomTokenId } from "./_codec.ts";
import { RecentMap } from "./_recent.ts";
import { decodeEnvelope, encodeEnvelope } from "./envelope.ts";
import type { KeyProvider } from "./key_provider.ts";
import type { TokenMetadata, VaultRecord, VaultStore } from "./store.ts";
import { formatToken, isTokenType, parseToken, TOKEN_PATTERN } from "./token.ts";

export type { RestoreCounts, RestoreResult, TokenRestorer } from "../protect/mod.ts";

/** A revealed token: its metadata and value. */
export interface RevealedToken extends TokenMetadata {
  /** The original value. */
  readonly value: string;
}

/** The vault. */
export interface TokenVault extends ReversibleActions, TokenRestorer {
  /** The value behind one token, for `haechi token-reveal`; scope must match when given. */
  reveal(token: string, options?: { readonly scope?: string }): Promise<RevealedToken>;
  /** Metadata of one token, or undefined when it was never issued. */
  describe(token: string): Promise<TokenMetadata | undefined>;
  /** Open an `[ENC:…]` envelope produced for `scope`. */
  decryptEnvelope(envelope: string, scope: string): Promise<{ type: string; value: string }>;
  /**
   * Hold new tokens in one open write transaction until {@linkcode commit} (or `close`)
   * instead of committing each on its own, for a caller that writes its output in batches
   * and commits before writing each one. Only for a vault with that one caller: a token
   * handed out before the commit is not durable yet. A no-op for stores without
   * transactions, whose writes stay durable on return.
   */
  deferCommits(): void;
  /** Make every token issued so far durable; the next new token opens a new transaction. */
  commit(): Promise<void>;
  /** Delete one token; false when it did not exist. */
  purge(token: string): Promise<boolean>;
  /** Delete every expired token; returns how many. */
  purgeExpired(): Promise<number>;
  /** Metadata of stored tokens, optionally of one type. */
  list(filter?: { readonly type?: string }): AsyncIterable<TokenMetadata>;
  /** Number of stored tokens. */
  count(): Promise<number>;
  /** The key provider (for `haechi keys status`). */
  readonly keys: KeyProvider;
  /** Close the store and the key provider. */
  close(): Promise<void>;
}

/** Options for {@linkcode createTokenVault}. */
export interface TokenVaultOptions {
  /** Keys and nonce budget. */
  readonly keys: KeyProvider;
  /** Record storage. */
  readonly store: VaultStore;
  /** Types tokenized deterministically (default email, phone, ip_address). */
  readonly deterministicTypes?: Iterable<string>;
  /** Default TTL in seconds; 0 means never (default 30 days). */
  readonly ttlSeconds?: number;
  /** Per-type TTLs in seconds. */
  readonly ttlByType?: Readonly<Record<string, number>>;
  /** Clock in milliseconds, for tests. */
  readonly now?: () => number;
  /** Purge a batch of expired tokens after this many new tokens (0: never). */
  readonly purgeEvery?: number;
  /**
   * Deterministic values remembered in memory (never on disk) so repeats skip the HMAC;
   * 0 turns the cache off. Default {@linkcode DEFAULT_HIT_CACHE_SIZE}.
   */
  readonly hitCacheSize?: number;
}

/** Deterministic (scope, type, value) entries kept in the in-memory hit cache. */
export const DEFAULT_HIT_CACHE_SIZE = 10_000;

/** New tokens between opportunistic purges. */
export const DEFAULT_PURGE_EVERY = 1000;
/** Records deleted per opportunistic purge, so no single call stalls. */
const PURGE_BATCH = 1000;
const MAX_SCOPE_LENGTH = 256;
// Control characters would make scopes ambiguous in logs and terminals.
// deno-lint-ignore no-control-regex
const BAD_SCOPE = /[\x00-\x1f\x7f]/;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

type Resolution =
  | { readonly kind: "restored"; readonly value: string }
  | { readonly kind: "foreignScope" | "unknown" | "expired" | "corrupt" };

/**
 * Build a vault over `options.keys` and `options.store`. Most callers want
 * {@linkcode openTokenVault} from `open.ts`, which builds both from config.
 *
 * @example
 * ```ts ignore
 * const vault = await createTokenVault({ keys, store });
 * const t = await vault.tokenize("bob@corp.example", { type: "email", scope: "alice" });
 * (await vault.restoreTokens(`hi ${t}`, "alice")).text; // "hi bob@corp.example"
 * ```
 */
export async function createTokenVault(options: TokenVaultOptions): Promise<TokenVault> {
  const vault = new Vault(options);
  if ((options.purgeEvery ?? DEFAULT_PURGE_EVERY) > 0) await vault.purgeBatch();
  return vault;
}

class Vault implements TokenVault {
  readonly keys: KeyProvider;
  #store: VaultStore;
  #deterministic: ReadonlySet<string>;
  #ttl: number;
  #ttlByType: Readonly<Record<string, number>>;
  #now: () => number;
  #purgeEvery: number;
  #sincePurge = 0;
  #hits: RecentMap<string, string>;
  #opened: RecentMap<string, string>;
  #hitCacheSize: number;
  // Synchronous AES-GCM keys by id; null when the provider keeps its key bytes to itself.
  #syncKeys = new Map<number, AesGcmKey | null>();
  // The last context that passed: a bulk run checks the same type and scope for every
  // value. Undefined until one passes: an empty pair must never match before a check ran.
  #checkedType: string | undefined;
  #checkedScope: string | undefined;

  constructor(o: TokenVaultOptions) {
    this.keys = o.keys;
    this.#store = o.store;
    this.#deterministic = new Set(o.deterministicTypes ?? ["email", "phone", "ip_address"]);
    this.#ttl = o.ttlSeconds ?? 30 * 24 * 60 * 60;
    this.#ttlByType = o.ttlByType ?? {};
    this.#now = o.now ?? Date.now;
    this.#purgeEvery = o.purgeEvery ?? DEFAULT_PURGE_EVERY;
    this.#hitCacheSize = o.hitCacheSize ?? DEFAULT_HIT_CACHE_SIZE;
    this.#hits = new RecentMap(this.#hitCacheSize);
    this.#opened = new RecentMap(this.#hitCacheSize);
  }

  #checkContext(ctx: ReversibleContext): void {
    if (ctx.type === this.#checkedType && ctx.scope === this.#checkedScope) return;
    checkContext(ctx);
    this.#checkedType = ctx.type;
    this.#checkedScope = ctx.scope;
  }

  async tokenize(value: string, ctx: ReversibleContext): Promise<string> {
    this.#checkContext(ctx);
    const { type, scope } = ctx;
    if (!this.#deterministic.has(type)) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const id = randomTokenId();
        const sealed = await this.#seal(value, recordAad(id, type, scope));
        if (await this.#insert(id, type, scope, null, sealed)) {
          this.#rememberValue(id, value);
          return formatToken(type, id);
        }
      }
      throw new HaechiError("internal", "Could not store a new token");
    }
    const cacheKey = `${scope.length}:${scope}${type.length}:${type}${value}`;
    const cached = await this.#fromHitCache(cacheKey, type, scope);
    if (cached !== undefined) return cached;
    // The fingerprint is an in-process HMAC (microseconds), so a stored value is found before
    // any encryption: a repeat spends no nonce and no WebCrypto call.
    const fingerprint = await this.#fingerprint(scope, type, value);
    const found = await this.#liveByFingerprint(fingerprint);
    if (found !== undefined) return this.#remember(cacheKey, found.id, type, value);
    for (let attempt = 0; attempt < 4; attempt++) {
      const id = randomTokenId();
      const sealed = await this.#seal(value, recordAad(id, type, scope));
      if (await this.#insert(id, type, scope, fingerprint, sealed)) {
        return this.#remember(cacheKey, id, type, value);
      }
      // Taken: a concurrent call stored this value first, or (2^-100) the id collided.
      const raced = await this.#liveByFingerprint(fingerprint);
      if (raced !== undefined) return this.#remember(cacheKey, raced.id, type, value);
    }
    throw new HaechiError("internal", "Could not store a new token");
  }

  async #insert(
    id: string,
    type: string,
    scope: string,
    fingerprint: Uint8Array | null,
    sealed: { keyId: number; nonce: Uint8Array; ciphertext: Uint8Array },
  ): Promise<boolean> {
    const now = this.#now();
    const ttl = this.#ttlByType[type] ?? this.#ttl;
    const record: VaultRecord = {
      id,
      type,
      scope,
      createdAt: now,
      expiresAt: ttl === 0 ? null : now + ttl * 1000,
      fingerprint,
      ...sealed,
    };
    if (!(await this.#store.insert(record))) return false;
    await this.#afterInsert();
    return true;
  }

  // The hit cache maps (scope, type, value) to a token id so a repeated value skips the
  // HMAC. Every hit is checked against the store (one primary-key read), so a token
  // purged or expired meanwhile, even by another process, is never handed out.
  async #fromHitCache(key: string, type: string, scope: string): Promise<string | undefined> {
    const id = this.#hits.get(key);
    if (id === undefined) return undefined;
    const record = await this.#store.findById(id);
    if (
      record === undefined || record.type !== type || record.scope !== scope ||
      isExpired(record, this.#now())
    ) {
      this.#hits.delete(key);
      return undefined;
    }
    return formatToken(type, id);
  }

  #remember(key: string, id: string, type: string, value: string): string {
    if (this.#hitCacheSize > 0) this.#hits.set(key, id);
    this.#rememberValue(id, value);
    return formatToken(type, id);
  }

  // Values behind recently issued or opened tokens, so restoring a reply's tokens (usually
  // the ones its request was just given) skips the WebCrypto decrypt. It holds only what
  // this process saw in plaintext anyway, and every restore still checks the store first,
  // so a purged, expired or foreign-scope token is never restored from it.
  #rememberValue(id: string, value: string): void {
    if (this.#hitCacheSize > 0) this.#opened.set(id, value);
  }

  async encrypt(value: string, ctx: ReversibleContext): Promise<string> {
    this.#checkContext(ctx);
    const sealed = await this.#seal(value, envelopeAad(ctx.type, ctx.scope));
    return encodeEnvelope({ type: ctx.type, ...sealed });
  }

  async restoreTokens(text: string, scope: string): Promise<RestoreResult> {
    const counts = emptyRestoreCounts();
    if (!text.includes("[TOKEN:")) return { text, counts };
    const matches = [...text.matchAll(TOKEN_PATTERN)];
    const pending = new Map<string, Promise<Resolution>>();
    for (const m of matches) {
      if (!pending.has(m[0])) pending.set(m[0], this.#resolve(m[1], m[2], scope));
    }
    const resolved = new Map<string, Resolution>();
    for (const [token, p] of pending) resolved.set(token, await p);
    let out = "";
    let last = 0;
    for (const m of matches) {
      const r = resolved.get(m[0]) as Resolution;
      counts[r.kind]++;
      if (r.kind !== "restored") continue;
      out += text.slice(last, m.index) + r.value;
      last = m.index + m[0].length;
    }
    return { text: last === 0 ? text : out + text.slice(last), counts };
  }

  async reveal(token: string, options: { readonly scope?: string } = {}): Promise<RevealedToken> {
    const record = await this.#recordFor(token);
    if (options.scope !== undefined && record.scope !== options.scope) {
      throw new HaechiError(
        "token.not_found",
        `Token ${token} was not issued to scope ${JSON.stringify(options.scope)}`,
        { token },
      );
    }
    if (isExpired(record, this.#now())) {
      throw new HaechiError("token.expired", `Token ${token} has expired`, { token });
    }
    const value = await this.#open(
      record.keyId,
      record.nonce,
      record.ciphertext,
      recordAadOf(record),
    );
    if (value === null) {
      throw new HaechiError(
        "vault.decrypt_failed",
        `The record for token ${token} fails authentication (tampered or moved)`,
        { token },
      );
    }
    return { ...metadataOf(record), value };
  }

  async describe(token: string): Promise<TokenMetadata | undefined> {
    const parsed = parseToken(token);
    if (parsed === null) return undefined;
    const record = await this.#store.findById(parsed.id);
    return record === undefined || record.type !== parsed.type ? undefined : metadataOf(record);
  }

  async decryptEnvelope(envelope: string, scope: string): Promise<{ type: string; value: string }> {
    checkScope(scope);
    const parts = decodeEnvelope(envelope.trim());
    if (parts === null) {
      throw new HaechiError("vault.invalid_envelope", "Not an [ENC:…] envelope of format 1");
    }
    const value = await this.#open(
      parts.keyId,
      parts.nonce,
      parts.ciphertext,
      envelopeAad(parts.type, scope),
    );
    if (value === null) {
      throw new HaechiError(
        "vault.decrypt_failed",
        `The envelope does not decrypt for scope ${JSON.stringify(scope)} with these keys ` +
          "(wrong scope, edited envelope, or another key file)",
        { keyId: parts.keyId },
      );
    }
    return { type: parts.type, value };
  }

  deferCommits(): void {
    this.#store.deferCommits?.();
  }

  async commit(): Promise<void> {
    await this.#store.commit?.();
  }

  async purge(token: string): Promise<boolean> {
    const parsed = parseToken(token);
    if (parsed === null) throw invalidToken();
    const record = await this.#store.findById(parsed.id);
    if (record === undefined || record.type !== parsed.type) return false;
    return await this.#store.deleteById(parsed.id);
  }

  async purgeExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.#store.purgeExpired(this.#now(), PURGE_BATCH);
      total += n;
      if (n < PURGE_BATCH) return total;
    }
  }

  async *list(filter: { readonly type?: string } = {}): AsyncIterable<TokenMetadata> {
    for await (const m of this.#store.list(filter)) yield m;
  }

  async count(): Promise<number> {
    return await this.#store.count();
  }

  async close(): Promise<void> {
    await this.#store.close();
    await this.keys.close();
  }

  /** One bounded purge; public to the module for the open-time sweep. */
  async purgeBatch(): Promise<void> {
    this.#sincePurge = 0;
    await this.#store.purgeExpired(this.#now(), PURGE_BATCH);
  }

  async #afterInsert(): Promise<void> {
    if (this.#purgeEvery > 0 && ++this.#sincePurge >= this.#purgeEvery) await this.purgeBatch();
  }

  async #recordFor(token: string): Promise<VaultRecord> {
    const parsed = parseToken(token.trim());
    if (parsed === null) throw invalidToken();
    const record = await this.#store.findById(parsed.id);
    if (record === undefined || record.type !== parsed.type) {
      throw new HaechiError("token.not_found", `Token ${token.trim()} is not in the vault`, {
        token: token.trim(),
      });
    }
    return record;
  }

  async #liveByFingerprint(fingerprint: Uint8Array): Promise<VaultRecord | undefined> {
    const found = await this.#store.findByFingerprint(fingerprint);
    if (found === undefined) return undefined;
    if (!isExpired(found, this.#now())) return found;
    // The expired record holds the fingerprint's unique slot; free it for a new token.
    await this.#store.deleteById(found.id);
    return undefined;
  }

  async #resolve(type: string, id: string, scope: string): Promise<Resolution> {
    const record = await this.#store.findById(id);
    if (record === undefined || record.type !== type) return { kind: "unknown" };
    if (record.scope !== scope) return { kind: "foreignScope" };
    if (isExpired(record, this.#now())) return { kind: "expired" };
    const known = this.#opened.get(id);
    if (known !== undefined) return { kind: "restored", value: known };
    const value = await this.#open(
      record.keyId,
      record.nonce,
      record.ciphertext,
      recordAadOf(record),
    );
    if (value === null) return { kind: "corrupt" };
    this.#rememberValue(id, value);
    return { kind: "restored", value };
  }

  async #fingerprint(scope: string, type: string, value: string): Promise<Uint8Array> {
    const mac = await this.keys.fingerprint(
      frame(["haechi:token-fingerprint:v1", scope, type, value]),
    );
    return mac.slice(0, 16);
  }

  async #seal(
    plaintext: string,
    aad: Uint8Array,
  ): Promise<{ keyId: number; nonce: Uint8Array; ciphertext: Uint8Array }> {
    const { id, key } = await this.keys.activeKey();
    await this.keys.reserveNonces(id, 1);
    const nonce = randomBytes(12);
    const plain = encoder.encode(plaintext);
    const sync = await this.#syncKey(id);
    const ciphertext = sync !== null ? sync.seal(nonce, aad, plain) : new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv: nonce as BufferSource, additionalData: aad as BufferSource },
        key,
        plain,
      ),
    );
    return { keyId: id, nonce, ciphertext };
  }

  /**
   * The synchronous key for `id`, or `null` where only the WebCrypto path can serve it. A
   * remembered `null` (a provider without key bytes) is an answer too, so it is not asked
   * again on every seal and open.
   */
  #syncKey(id: number): AesGcmKey | null | Promise<AesGcmKey | null> {
    const known = this.#syncKeys.get(id);
    return known !== undefined ? known : this.#loadSyncKey(id);
  }

  // Cached per key id: the bytes of a key id never change, rotation adds a new id.
  async #loadSyncKey(id: number): Promise<AesGcmKey | null> {
    if (this.keys.keyBytes === undefined) {
      this.#syncKeys.set(id, null);
      return null;
    }
    const bytes = await this.keys.keyBytes(id);
    // Unknown here may be known after another process rotates: do not remember it.
    if (bytes === undefined) return null;
    const key = bytes.length === 32 ? aesGcmKey(bytes) : null;
    this.#syncKeys.set(id, key);
    return key;
  }

  async #open(
    keyId: number,
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    aad: Uint8Array,
  ): Promise<string | null> {
    const sync = await this.#syncKey(keyId);
    if (sync !== null) {
      const plain = sync.open(nonce, aad, ciphertext);
      if (plain === null) return null;
      try {
        return decoder.decode(plain);
      } catch {
        return null;
      }
    }
    const key = await this.keys.keyById(keyId);
    if (key === undefined) return null;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: nonce as BufferSource, additionalData: aad as BufferSource },
        key,
        ciphertext as BufferSource,
      );
      return decoder.decode(plain);
    } catch {
      return null;
    }
  }
}

function recordAad(id: string, type: string, scope: string): Uint8Array {
  return frame(["haechi:vault-record:v1", id, type, scope]);
}

function recordAadOf(r: VaultRecord): Uint8Array {
  return recordAad(r.id, r.type, r.scope);
}

function envelopeAad(type: string, scope: string): Uint8Array {
  return frame(["haechi:enc-envelope:v1", type, scope]);
}

function isExpired(r: TokenMetadata, now: number): boolean {
  return r.expiresAt !== null && r.expiresAt <= now;
}

function metadataOf(r: TokenMetadata): TokenMetadata {
  return { id: r.id, type: r.type, scope: r.scope, createdAt: r.createdAt, expiresAt: r.expiresAt };
}

function invalidToken(): HaechiError {
  return new HaechiError(
    "token.invalid",
    "Not a token; expected [TOKEN:<type>:<20 characters a-z, 2-7>]",
  );
}

function checkContext(ctx: ReversibleContext): void {
  if (!isTokenType(ctx.type)) {
    throw new HaechiError(
      "vault.invalid_type",
      `Finding type ${JSON.stringify(ctx.type.slice(0, 60))} cannot appear in a token ` +
        "(1-40 characters of a-z, 0-9 and _)",
    );
  }
  checkScope(ctx.scope);
}

/**
 * Scopes are 1-256 characters without control characters.
 *
 * @throws {HaechiError} `vault.invalid_scope`.
 */
export function checkScope(scope: string): void {
  if (scope.length === 0 || scope.length > MAX_SCOPE_LENGTH || BAD_SCOPE.test(scope)) {
    throw new HaechiError(
      "vault.invalid_scope",
      `A scope must be 1-${MAX_SCOPE_LENGTH} characters without control characters`,
    );
  }
}
