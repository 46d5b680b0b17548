/**
 * The one place where error codes become process exit statuses.
 *
 * | status | meaning |
 * | --- | --- |
 * | 0 | ok |
 * | 1 | bad input (malformed JSON, unreadable file, oversized or too-deep payload, too many findings) |
 * | 2 | usage (unknown command or flag, bad config) |
 * | 3 | blocked by policy (a denied reveal or decrypt, a refused plugin or policy bundle) |
 * | 4 | audit chain broken |
 * | 69 | unavailable: the proxy cannot listen (address in use, not permitted, not local) |
 * | 70 | internal error |
 *
 * @module
 */
import type { ErrorCode } from "../errors.ts";

/** Exit statuses. */
export const EXIT = {
  ok: 0,
  badInput: 1,
  usage: 2,
  blocked: 3,
  chainBroken: 4,
  unavailable: 69,
  internal: 70,
} as const;

/**
 * Exit status for an error code.
 *
 * @example
 * ```ts
 * import { exitCodeFor } from "./exit_codes.ts";
 * if (exitCodeFor("payload.too_deep") !== 1) throw new Error("bad input is 1");
 * ```
 */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case "usage.invalid":
    case "config.invalid":
    case "config.not_found":
    case "config.parse":
    case "keys.not_found":
    case "rule.not_linear":
      return EXIT.usage;
    case "payload.blocked":
    case "token.reveal_denied":
    case "vault.decrypt_denied":
    case "plugin.refused":
    case "policy.bundle_invalid":
      return EXIT.blocked;
    case "audit.chain_broken":
      return EXIT.chainBroken;
    case "proxy.listen":
      return EXIT.unavailable;
    case "internal":
    case "audit.unsafe_event":
      return EXIT.internal;
    default:
      return EXIT.badInput;
  }
}
