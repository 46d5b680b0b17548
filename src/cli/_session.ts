/**
 * What a protecting command sets up once: config, keys, protector, token store and audit
 * sink. Commands get one {@linkcode Session} and close it when done.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { loadKeyFile } from "../vault/keyfile.ts";
import { createMemoryVault, type MemoryVault } from "../vault/memory.ts";
import { type AppliedFinding, createProtector, type Protector } from "../protect/mod.ts";
import { type AuditSink, openAuditSink } from "./_audit.ts";

/** Everything a protecting command needs. */
export interface Session {
  /** Validated config. */
  readonly config: HaechiConfig;
  /** The protector. */
  readonly protector: Protector;
  /** Token store for this process. */
  readonly vault: MemoryVault;
  /** Audit events go here. */
  readonly audit: AuditSink;
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
export async function openSession(config: HaechiConfig, source: string): Promise<Session> {
  const keys = await loadKeyFile(config.keys.path, { createIfMissing: true });
  const vault = await createMemoryVault(keys.hmacKey);
  const protector = createProtector(config, { reversible: vault });
  const audit = await openAuditSink(config, keys.hmacKey, source);
  return {
    config,
    protector,
    vault,
    audit,
    close: () => audit.close(),
  };
}

/**
 * A one-line, value-free summary of findings: `email×2 tokenize, github_token×1 redact`.
 *
 * @example
 * ```ts
 * import { summarizeFindings } from "./_session.ts";
 * const s = summarizeFindings([
 *   { type: "email", ruleId: "email-address", category: "pii", action: "tokenize",
 *     confidence: 1, path: "$", start: 0, end: 1 },
 * ]);
 * if (s !== "email×1 tokenize") throw new Error(s);
 * ```
 */
export function summarizeFindings(findings: readonly AppliedFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.type} ${f.action}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => {
    const [type, action] = key.split(" ");
    return `${type}×${n} ${action}`;
  }).join(", ");
}
