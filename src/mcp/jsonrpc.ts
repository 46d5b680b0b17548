/**
 * JSON-RPC 2.0 as MCP uses it: classify a parsed value into request, notification or
 * response, rebuild it from the known fields only, and build error responses.
 *
 * MCP (revision 2025-06-18 onward) does not use JSON-RPC batches, and requests carry a
 * string or integer id, never null.
 *
 * @module
 */
import { isRawNumber } from "../protect/mod.ts";

/** JSON-RPC 2.0 error codes haechi sends (the standard ones plus one for policy blocks). */
export const JSONRPC_ERRORS = {
  /** Invalid JSON was received. */
  parseError: -32700,
  /** The JSON sent is not a valid request object. */
  invalidRequest: -32600,
  /** The method does not exist or is not available (used for a policy denial). */
  methodNotFound: -32601,
  /** Invalid method parameters. */
  invalidParams: -32602,
  /** The message could not be checked, so it was not passed on. */
  internalError: -32603,
  /** Implementation-defined server error: the policy blocked the content. */
  blocked: -32001,
} as const;

/** A request or response id. */
export type JsonRpcId = string | number;

/** A message classified by shape, with only its known fields. */
export type JsonRpcMessage =
  | {
    readonly type: "request";
    readonly id: JsonRpcId;
    readonly method: string;
    readonly params?: unknown;
  }
  | { readonly type: "notification"; readonly method: string; readonly params?: unknown }
  | { readonly type: "result"; readonly id: JsonRpcId; readonly result: unknown }
  | {
    readonly type: "error";
    readonly id: JsonRpcId | null;
    readonly error: { code: number; message: string; data?: unknown };
  };

/** Why a value is not a JSON-RPC message, and the id to answer with when one was readable. */
export interface JsonRpcInvalid {
  readonly type: "invalid";
  /** Short reason, safe to show (never quotes the content). */
  readonly reason: string;
  /** The value's id when it had a usable one. */
  readonly id: JsonRpcId | null;
  /** Whether it looked like a request (had a `method`), so an error may go back. */
  readonly hasMethod: boolean;
}

/**
 * Classify a parsed JSON value.
 *
 * @param value Parsed JSON.
 * @returns The message with only its known fields, or why it is invalid.
 *
 * @example
 * ```ts
 * import { classifyMessage } from "./jsonrpc.ts";
 * const m = classifyMessage({ jsonrpc: "2.0", id: 1, method: "ping", extra: "x" });
 * if (m.type !== "request" || "extra" in m) throw new Error("a request, rebuilt");
 * ```
 */
export function classifyMessage(value: unknown): JsonRpcMessage | JsonRpcInvalid {
  if (Array.isArray(value)) return invalid("JSON-RPC batches are not supported by MCP", null);
  if (typeof value !== "object" || value === null || isRawNumber(value)) {
    return invalid("A JSON-RPC message must be an object", null);
  }
  const v = value as Record<string, unknown>;
  const id = usableId(v.id);
  const hasMethod = "method" in v;
  if (v.jsonrpc !== "2.0") return invalid('The "jsonrpc" member must be "2.0"', id, hasMethod);
  if (hasMethod) {
    if (typeof v.method !== "string" || v.method === "") {
      return invalid('The "method" member must be a non-empty string', id, true);
    }
    if (
      v.params !== undefined &&
      (typeof v.params !== "object" || v.params === null || isRawNumber(v.params))
    ) {
      return invalid('The "params" member must be an object or an array', id, true);
    }
    const params = v.params === undefined ? {} : { params: v.params };
    if (!("id" in v)) return { type: "notification", method: v.method, ...params };
    if (id === null) return invalid('A request "id" must be a string or an integer', null, true);
    return { type: "request", id, method: v.method, ...params };
  }
  const hasResult = "result" in v;
  const hasError = "error" in v;
  if (hasResult === hasError) {
    return invalid('A response must hold exactly one of "result" and "error"', id);
  }
  if (hasResult) {
    if (id === null) return invalid('A result "id" must be a string or an integer', null);
    return { type: "result", id, result: v.result };
  }
  const e = v.error as Record<string, unknown> | null;
  if (
    typeof e !== "object" || e === null || !Number.isInteger(e.code) ||
    typeof e.message !== "string"
  ) {
    return invalid("An error must hold an integer code and a string message", id);
  }
  if (id === null && v.id !== null) {
    return invalid('An error "id" must be a string, integer or null', null);
  }
  const error = e.data === undefined
    ? { code: e.code as number, message: e.message }
    : { code: e.code as number, message: e.message, data: e.data };
  return { type: "error", id, error };
}

function usableId(id: unknown): JsonRpcId | null {
  if (typeof id === "string") return id;
  if (typeof id === "number" && Number.isSafeInteger(id)) return id;
  return null;
}

function invalid(reason: string, id: JsonRpcId | null, hasMethod = false): JsonRpcInvalid {
  return { type: "invalid", reason, id, hasMethod };
}

/**
 * Serialize a classified message back to one line of JSON (no newline).
 *
 * @example
 * ```ts
 * import { serializeMessage } from "./jsonrpc.ts";
 * const s = serializeMessage({ type: "notification", method: "notifications/initialized" });
 * if (s !== '{"jsonrpc":"2.0","method":"notifications/initialized"}') throw new Error(s);
 * ```
 */
export function serializeMessage(m: JsonRpcMessage): string {
  switch (m.type) {
    case "request":
      return JSON.stringify(
        m.params === undefined
          ? { jsonrpc: "2.0", id: m.id, method: m.method }
          : { jsonrpc: "2.0", id: m.id, method: m.method, params: m.params },
      );
    case "notification":
      return JSON.stringify(
        m.params === undefined
          ? { jsonrpc: "2.0", method: m.method }
          : { jsonrpc: "2.0", method: m.method, params: m.params },
      );
    case "result":
      return JSON.stringify({ jsonrpc: "2.0", id: m.id, result: m.result });
    case "error":
      return JSON.stringify({ jsonrpc: "2.0", id: m.id, error: m.error });
  }
}

/** Why haechi answered with an error; sent in `error.data.haechi.reason`. */
export type HaechiRejectReason =
  | "parse"
  | "invalid"
  | "batch"
  | "too-long"
  | "too-many-findings"
  | "invalid-utf8"
  | "method-denied"
  | "blocked"
  | "check-failed"
  | "unsafe-id";

/**
 * Build a JSON-RPC error response line from haechi.
 *
 * @param id The id to answer (null when none was readable).
 * @param code A code from {@linkcode JSONRPC_ERRORS}.
 * @param message Safe message (never quotes the content).
 * @param extra Reason and optional finding types.
 * @returns One line of JSON.
 *
 * @example
 * ```ts
 * import { errorLine, JSONRPC_ERRORS } from "./jsonrpc.ts";
 * const line = errorLine(7, JSONRPC_ERRORS.methodNotFound, "Denied", { reason: "method-denied" });
 * if (JSON.parse(line).error.data.haechi.reason !== "method-denied") throw new Error(line);
 * ```
 */
export function errorLine(
  id: JsonRpcId | null,
  code: number,
  message: string,
  extra: { reason: HaechiRejectReason; types?: readonly string[] },
): string {
  const haechi = extra.types === undefined
    ? { reason: extra.reason }
    : { reason: extra.reason, types: extra.types };
  return JSON.stringify({ jsonrpc: "2.0", id, error: { code, message, data: { haechi } } });
}
