/**
 * What a protecting command sets up once: config, keys, protector, token vault and audit
 * sink. Commands get one {@linkcode Session} and close it when done.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { loadKeyFile } from "../vault/keyfile.ts";
import { openTokenVault, type TokenVault } from "../vault/mod.ts";
import { createProtector, type Protector, type ReversibleActions } from "../protect/mod.ts";
import { type AuditSink, openAuditSink } from "./audit_sink.ts";

/** Everything a protecting command needs. */
export interface Session {
  /** Validated config. */
  readonly config: HaechiConfig;
  /** The protector. */
  readonly protector: Protector;
  /** The token vault (tokenize, encrypt, restore). */
  readonly vault: TokenVault;
  /** Audit events go here. */
  readonly audit: AuditSink;
  /** Tokens and envelopes issued by this session with their values, when recording was asked for. */
  readonly issued: ReadonlyMap<string, string>;
  /** Flush and close. */
  close(): Promise<void>;
}

/**
 * Open a session for `config`: keys (created on first use), protector, vault and audit.
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
  options: { recordIssued?: boolean } = {},
): Promise<Session> {
  const material = await loadKeyFile(config.keys.path, { createIfMissing: true });
  const vault = await openTokenVault(config, { material });
  let audit: AuditSink;
  try {
    audit = await openAuditSink(config, material.hmacKey, source);
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
