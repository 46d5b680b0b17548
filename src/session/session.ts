/**
 * What a protecting command sets up once: config, keys, protector, token vault and audit
 * sink. Commands get one {@linkcode Session} and close it when done.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { fileInfo } from "../runtime/mod.ts";
import { type KeyProvider, loadKeyFile, openTokenVault, type TokenVault } from "../vault/mod.ts";
import { createProtector, type Protector, type ReversibleActions } from "../protect/mod.ts";
import { type AuditLogSink, openAuditSink } from "./audit_sink.ts";

/** Everything a protecting command needs. */
export interface Session {
  /** Validated config. */
  readonly config: HaechiConfig;
  /** The protector. */
  readonly protector: Protector;
  /** The token vault (tokenize, encrypt, restore). */
  readonly vault: TokenVault;
  /** Audit events go here. */
  readonly audit: AuditLogSink;
  /** Tokens and envelopes issued by this session with their values, when recording was asked for. */
  readonly issued: ReadonlyMap<string, string>;
  /** Flush and close. */
  close(): Promise<void>;
}

/**
 * An injected crypto provider, for `keys.provider: "external"` (haechi 1.4's
 * `cryptoProvider`): keys live wherever the embedding program keeps them (a KMS, an HSM
 * bridge), and haechi never reads or writes a key file.
 */
export interface CryptoProvider {
  /** Data keys, nonce accounting and token fingerprints for the vault. */
  readonly keys: KeyProvider;
  /** Key (at least 32 bytes) for the audit log's path fingerprints. */
  readonly auditHmacKey: Uint8Array;
}

/** Options for {@linkcode openSession}. */
export interface OpenSessionOptions {
  /** Keep issued tokens with their values in {@linkcode Session.issued}. */
  readonly recordIssued?: boolean;
  /** Required when `config.keys.provider` is `"external"`; refused otherwise. */
  readonly crypto?: CryptoProvider;
  /**
   * `"first-use"` (default): a missing key file is created only while there is no token
   * vault and no audit log yet, since a fresh key could read neither. `"require"`: a
   * missing key file is always `keys.not_found` (commands that restore or reveal).
   */
  readonly keys?: "first-use" | "require";
}

/**
 * Open a session for `config`: keys (created on first use, or the injected provider),
 * protector, vault and audit.
 *
 * @throws {HaechiError} `config.invalid` when `keys.provider` is `"external"` and no
 *   `crypto` is given, or `crypto` is given for `"local"` keys.
 *
 * @example
 * ```ts ignore
 * const s = await openSession(config, "cli.protect");
 * await s.close();
 * ```
 */
export async function openSession(
  config: HaechiConfig,
  source: string,
  options: OpenSessionOptions = {},
): Promise<Session> {
  const crypto = options.crypto;
  checkCryptoProvider(config, crypto);
  let vault: TokenVault;
  let auditKey: Uint8Array;
  if (crypto !== undefined) {
    vault = await openTokenVault(config, { keys: crypto.keys });
    auditKey = crypto.auditHmacKey;
  } else {
    const material = await loadKeyFile(config.keys.path, {
      createIfMissing: options.keys !== "require" && !(await hasKeyedState(config)),
    });
    vault = await openTokenVault(config, { material });
    auditKey = material.hmacKey;
  }
  let audit: AuditLogSink;
  try {
    audit = await openAuditSink(config, auditKey, source);
  } catch (e) {
    await vault.close();
    throw e;
  }
  const issued = new Map<string, string>();
  // Recording keeps values only in this process, for a caller that asked to see them.
  const reversible: ReversibleActions = options.recordIssued
    ? {
      async tokenize(value, ctx) {
        const token = await vault.tokenize(value, ctx);
        issued.set(token, value);
        return token;
      },
      async encrypt(value, ctx) {
        const envelope = await vault.encrypt(value, ctx);
        issued.set(envelope, value);
        return envelope;
      },
    }
    : vault;
  const protector = createProtector(config, { reversible });
  return {
    config,
    protector,
    vault,
    audit,
    issued,
    async close() {
      try {
        await audit.close();
      } finally {
        await vault.close();
      }
    },
  };
}

/**
 * Refuse a mismatch between `keys.provider` and what was injected, so a config asking for
 * external keys never silently falls back to a key file on disk.
 *
 * @throws {HaechiError} `config.invalid` naming `keys.provider`.
 *
 * @example
 * ```ts
 * import { checkCryptoProvider } from "./session.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * checkCryptoProvider(DEFAULT_CONFIG, undefined);
 * ```
 */
export function checkCryptoProvider(
  config: HaechiConfig,
  crypto: CryptoProvider | undefined,
): void {
  if (config.keys.provider === "external" && crypto === undefined) {
    throw new HaechiError(
      "config.invalid",
      '"keys.provider": "external" needs a crypto provider injected by the program embedding haechi (openSession / openGateway option "crypto"); the haechi command line cannot inject one. Use "keys.provider": "local" with keys.path',
      { path: "keys.provider" },
    );
  }
  if (config.keys.provider !== "external" && crypto !== undefined) {
    throw new HaechiError(
      "config.invalid",
      'An injected crypto provider needs "keys.provider": "external"; with "local" haechi uses keys.path',
      { path: "keys.provider" },
    );
  }
  if (crypto !== undefined && crypto.auditHmacKey.length < 32) {
    throw new HaechiError(
      "config.invalid",
      "The injected crypto provider's auditHmacKey must be at least 32 bytes",
      { path: "keys.provider" },
    );
  }
}

/**
 * Whether files exist that only the current key can read: a token vault, a bearer token
 * store (keyed hashes), or an audit log whose chain is keyed by it. Minting a new key next
 * to them would orphan them silently, so a missing key file is then an error.
 *
 * @example
 * ```ts ignore
 * const create = !(await hasKeyedState(config));
 * ```
 */
export async function hasKeyedState(config: HaechiConfig): Promise<boolean> {
  const paths = [config.tokenVault.path, config.auth.store];
  if (config.audit.enabled) paths.push(config.audit.path);
  for (const path of paths) {
    // Empty files (and devices such as /dev/null) hold nothing a key could be needed for.
    if (((await fileInfo(path))?.size ?? 0) > 0) return true;
  }
  return false;
}
