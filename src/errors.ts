/**
 * Errors as values with a stable `code`.
 *
 * Every failure that can reach a user carries a code such as `config.invalid` or
 * `payload.too_deep`. The CLI maps codes to exit statuses in one place
 * (`src/cli/exit_codes.ts`); messages name what was wrong but never quote a
 * detected value.
 *
 * @module
 */

/** Stable error codes. Adding one is adding a row here and a mapping in the CLI. */
export type ErrorCode =
  | "usage.invalid"
  | "config.invalid"
  | "config.not_found"
  | "config.parse"
  | "input.invalid_json"
  | "input.invalid_utf8"
  | "input.read_failed"
  | "input.timeout"
  | "payload.too_large"
  | "payload.too_deep"
  | "payload.too_many_findings"
  | "payload.blocked"
  | "action.unavailable"
  | "audit.io"
  | "audit.chain_broken"
  | "audit.parse"
  | "audit.unsafe_event"
  | "keys.invalid"
  | "keys.not_found"
  | "keys.locked"
  | "keys.nonce_budget_exhausted"
  | "vault.corrupt"
  | "vault.io"
  | "vault.invalid_scope"
  | "vault.invalid_type"
  | "vault.invalid_envelope"
  | "vault.decrypt_failed"
  | "vault.decrypt_denied"
  | "token.invalid"
  | "token.not_found"
  | "token.expired"
  | "token.reveal_denied"
  | "stream.invalid"
  | "plugin.refused"
  | "plugin.unavailable"
  | "policy.bundle_invalid"
  | "rule.not_linear"
  | "proxy.route_unknown"
  | "proxy.unauthorized"
  | "proxy.overloaded"
  | "proxy.rate_limited"
  | "proxy.model_not_allowed"
  | "proxy.upstream"
  | "proxy.timeout"
  | "proxy.stream_refused"
  | "proxy.listen"
  | "internal";

/**
 * An error with a stable machine-readable code and optional structured details.
 *
 * @example
 * ```ts
 * import { HaechiError } from "./errors.ts";
 * const err = new HaechiError("payload.too_deep", "JSON nesting exceeds 64 levels");
 * if (err.code !== "payload.too_deep") throw new Error("unexpected");
 * ```
 */
export class HaechiError extends Error {
  /** Stable code; safe to match on. */
  readonly code: ErrorCode;
  /** Extra structured facts (never detected values). */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * @param code Stable error code.
   * @param message Sentence-case message naming what was wrong.
   * @param details Optional structured facts for machine output.
   */
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "HaechiError";
    this.code = code;
    this.details = details;
  }
}

/**
 * Narrow an unknown thrown value to a {@linkcode HaechiError}, wrapping anything else as
 * `internal` without exposing its message (it may quote input).
 *
 * @example
 * ```ts
 * import { toHaechiError } from "./errors.ts";
 * const e = toHaechiError(new TypeError("boom"));
 * if (e.code !== "internal") throw new Error("unexpected");
 * ```
 */
export function toHaechiError(err: unknown): HaechiError {
  if (err instanceof HaechiError) return err;
  return new HaechiError("internal", "Internal error", {
    kind: err instanceof Error ? err.name : typeof err,
  });
}
