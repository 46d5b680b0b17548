/**
 * Gateway errors as HTTP responses in each protocol's own error shape.
 *
 * @module
 */
import type { ErrorCode, HaechiError } from "../errors.ts";
import type { ErrorBody, Protocol } from "../protocols/mod.ts";

/**
 * Whose error shape a refusal takes: a wire protocol, or the MCP endpoint's JSON-RPC shape
 * ({@linkcode MCP_ERRORS}). A route hands its shape to the shared steps, so every refusal
 * goes through {@linkcode errorResponse} and the code-to-status map below.
 */
export type ErrorShape = Pick<Protocol, "errorBody">;

/**
 * The MCP endpoint's error shape: a JSON-RPC error with no id (MCP's Streamable HTTP
 * transport answers HTTP-level refusals so), under the HTTP status the LLM routes use.
 *
 * @example
 * ```ts
 * import { errorResponse, MCP_ERRORS } from "./errors.ts";
 * import { HaechiError } from "../errors.ts";
 * const r = errorResponse(MCP_ERRORS, new HaechiError("proxy.unauthorized", "No"));
 * if (r.status !== 401 || (await r.json()).error.code !== -32000) throw new Error();
 * ```
 */
export const MCP_ERRORS: ErrorShape = {
  errorBody(status: number, _code: string, message: string): ErrorBody {
    return { status, body: { jsonrpc: "2.0", id: null, error: { code: -32000, message } } };
  },
};

/**
 * The HTTP status for an error code: 400 bad input, 401 unauthenticated, 403 blocked,
 * 404 unknown route, 408 request body too slow, 413 too large, 502 upstream fault, 503 overloaded or not ready,
 * 504 upstream timeout, 500 otherwise.
 *
 * @example
 * ```ts
 * import { statusFor } from "./errors.ts";
 * if (statusFor("payload.too_large") !== 413) throw new Error("413");
 * ```
 */
export function statusFor(code: ErrorCode): number {
  switch (code) {
    case "payload.too_large":
    case "payload.too_many_findings":
      return 413;
    case "input.timeout":
      return 408;
    case "payload.blocked":
    case "proxy.model_not_allowed":
      return 403;
    case "proxy.unauthorized":
      return 401;
    case "proxy.route_unknown":
      return 404;
    case "proxy.rate_limited":
      return 429;
    case "proxy.overloaded":
    case "audit.io":
    case "vault.io":
    case "keys.locked":
    case "keys.nonce_budget_exhausted":
      return 503;
    case "proxy.upstream":
    case "stream.invalid":
      return 502;
    case "proxy.timeout":
      return 504;
    case "proxy.stream_refused":
      return 501;
    case "input.invalid_json":
    case "input.invalid_utf8":
    case "input.read_failed":
    case "payload.too_deep":
    case "vault.invalid_scope":
    case "usage.invalid":
      return 400;
    default:
      return 500;
  }
}

/**
 * A protocol-shaped error response. Internal errors get a generic message.
 *
 * @param protocol Whose error shape to use (a protocol, or {@linkcode MCP_ERRORS}).
 * @param err The error.
 * @param headers Extra headers (e.g. Retry-After).
 * @param status Status override.
 * @returns The response.
 *
 * @example
 * ```ts
 * import { errorResponse } from "./errors.ts";
 * import { ANTHROPIC } from "../protocols/mod.ts";
 * import { HaechiError } from "../errors.ts";
 * const r = errorResponse(ANTHROPIC, new HaechiError("payload.blocked", "Blocked"));
 * if (r.status !== 403) throw new Error(String(r.status));
 * ```
 */
export function errorResponse(
  protocol: ErrorShape,
  err: HaechiError,
  headers?: HeadersInit,
  status?: number,
): Response {
  const code = status ?? statusFor(err.code);
  const message = err.code === "internal" ? "Internal error" : err.message;
  const e = protocol.errorBody(code, err.code, message);
  const h = new Headers(headers);
  h.set("content-type", "application/json");
  h.delete("content-length");
  return new Response(JSON.stringify(e.body), { status: e.status, headers: h });
}
