/**
 * The audit vocabulary's `outcome`: what an event says happened, as one closed type, and the
 * two rules that derive it from a protection result.
 *
 * Every writer of the log picks its outcome from {@linkcode Outcome}, so a dashboard or a
 * summary can count by outcome without guessing at spellings. Records read back from disk
 * keep a plain string (an older or foreign log may hold others).
 *
 * @module
 */

/** The outcome of protecting one payload. */
export type ProtectionOutcome =
  /** Nothing found. */
  | "clean"
  /** Findings changed in enforce mode. */
  | "redacted"
  /** Findings reported, nothing changed. */
  | "dry-run"
  /** The payload was refused by policy. */
  | "blocked"
  /** Reply findings the caller may see (tokenize/encrypt/allow read as allowed). */
  | "allowed";

/** Every outcome haechi writes to the audit log. */
export type Outcome =
  | ProtectionOutcome
  /** The step failed; the event's details say how (`errorCode`). */
  | "error"
  /** The caller went away before the reply ended. */
  | "cancelled"
  /** Refused before protection ran (auth, limits, a plugin that would not start). */
  | "refused"
  /** An MCP message that was not passed on: malformed (`invalid`) or unexpected (`dropped`). */
  | "invalid"
  | "dropped"
  /** An authorization decision: allowed or denied. */
  | "denied"
  /** Tokens restored: all (`restored`), some (`partial`) or none asked for (`none`). */
  | "restored"
  | "partial"
  | "none"
  /** Vault and key operations by the CLI. */
  | "revealed"
  | "decrypted"
  | "exported"
  | "purged"
  | "not-found"
  | "rotated"
  /** Caller-store operations (`haechi auth`). */
  | "added"
  | "revoked"
  /** Plugin lifecycle. */
  | "loaded"
  | "fetched"
  | "failed"
  | "ok"
  /** Plugin process events (`plugin.process`). */
  | "spawned"
  | "ready"
  | "killed"
  | "exited";

/** What {@linkcode protectionOutcome} reads. */
export interface ProtectionResult {
  /** Whether policy refused the payload. */
  readonly blocked: boolean;
  /** Whether findings are applied (enforce mode). */
  readonly enforcing: boolean;
  /** How many findings there were. */
  readonly found: number;
}

/**
 * The outcome of protecting a payload that leaves toward a model or tool (a request, a tool
 * call, a tool reply, a CLI input).
 *
 * @param result Blocked, enforcing and the number of findings.
 * @returns `blocked`, `clean`, `redacted` or `dry-run`.
 *
 * @example
 * ```ts
 * import { protectionOutcome } from "./outcome.ts";
 * const o = protectionOutcome({ blocked: false, enforcing: true, found: 2 });
 * if (o !== "redacted") throw new Error(o);
 * ```
 */
export function protectionOutcome(result: ProtectionResult): ProtectionOutcome {
  if (result.blocked) return "blocked";
  if (result.found === 0) return "clean";
  return result.enforcing ? "redacted" : "dry-run";
}

/**
 * The outcome of protecting a reply the caller reads, from the actions actually taken.
 *
 * @param enforcing Whether the reply is changed (enforce mode).
 * @param findings What was found, with the action taken on each.
 * @returns `clean`, `dry-run`, `redacted` or `allowed`.
 *
 * @example
 * ```ts
 * import { replyOutcome } from "./outcome.ts";
 * if (replyOutcome(true, [{ action: "allow" }]) !== "allowed") throw new Error();
 * ```
 */
export function replyOutcome(
  enforcing: boolean,
  findings: readonly { readonly action: string }[],
): ProtectionOutcome {
  if (findings.length === 0) return "clean";
  if (!enforcing) return "dry-run";
  return findings.some((f) => f.action !== "allow") ? "redacted" : "allowed";
}
