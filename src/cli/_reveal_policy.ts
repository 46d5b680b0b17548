/**
 * The one gate for operator reveals. `token-reveal` prints the value behind one token and
 * `restore` puts values back into a whole text: both hand plaintext to whoever runs the
 * command, outside any request, so both obey `tokenVault.revealPolicy` through this
 * function, and both audit a refusal.
 *
 * (A proxied reply restoring its own request's tokens is not an operator reveal; the proxy
 * decides that per caller, see docs/vault.md.)
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import type { AuditInput, AuditSink } from "../audit/mod.ts";

/**
 * Refuse an operator reveal unless `tokenVault.revealPolicy` is `"allow"`. A refusal is
 * recorded as `event` with outcome `denied` before the error is thrown.
 *
 * @param config Validated config.
 * @param audit Where the refusal is recorded.
 * @param event The command's audit event (kind, correlation id, value-free details).
 * @throws {HaechiError} `token.reveal_denied` when the policy is `"deny"`.
 *
 * @example
 * ```ts ignore
 * await requireRevealAllowed(config, audit, { kind: "token.restore", correlationId, details: {} });
 * ```
 */
export async function requireRevealAllowed(
  config: HaechiConfig,
  audit: AuditSink,
  event: Omit<AuditInput, "outcome">,
): Promise<void> {
  if (config.tokenVault.revealPolicy === "allow") return;
  await audit.record({ ...event, outcome: "denied" });
  throw new HaechiError(
    "token.reveal_denied",
    'Revealing token values is disabled: tokenVault.revealPolicy is "deny"; ' +
      'set it to "allow" to permit token-reveal and restore',
  );
}
