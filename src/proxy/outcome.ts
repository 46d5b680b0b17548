/**
 * What the gateway's audit records say happened: the `outcome` of a request and of a
 * reply, from the protection result.
 *
 * @module
 */
import type { AppliedFinding } from "../protect/mod.ts";

/**
 * The outcome of a protected request.
 *
 * @param blocked Whether policy blocked it.
 * @param mode The protector's mode.
 * @param findings What was found.
 * @returns `blocked`, `clean`, `redacted` or `dry-run`.
 *
 * @example
 * ```ts
 * import { requestOutcome } from "./outcome.ts";
 * if (requestOutcome(false, "enforce", []) !== "clean") throw new Error();
 * ```
 */
export function requestOutcome(
  blocked: boolean,
  mode: string,
  findings: readonly AppliedFinding[],
): string {
  if (blocked) return "blocked";
  if (findings.length === 0) return "clean";
  return mode === "enforce" ? "redacted" : "dry-run";
}

/**
 * The outcome of a protected reply.
 *
 * @param enforcing Whether output is changed.
 * @param findings What was found, with the actions taken.
 * @returns `clean`, `dry-run`, `redacted` or `allowed`.
 *
 * @example
 * ```ts
 * import { responseOutcome } from "./outcome.ts";
 * if (responseOutcome(false, []) !== "clean") throw new Error();
 * ```
 */
export function responseOutcome(enforcing: boolean, findings: readonly AppliedFinding[]): string {
  if (findings.length === 0) return "clean";
  if (!enforcing) return "dry-run";
  return findings.some((f) => f.action !== "allow") ? "redacted" : "allowed";
}
