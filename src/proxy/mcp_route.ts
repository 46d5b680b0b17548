/**
 * The MCP endpoint as a gateway route: the same in-flight limit, gateway authentication and
 * request-body deadline as the LLM routes, in front of the MCP HTTP handler.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { type BodyDeadline, readStreamBytes, readWithin } from "./body.ts";
import { statusFor } from "./errors.ts";
import { type Decision, decisionFor, type GatewayMetrics } from "./metrics.ts";

/** What {@linkcode createMcpRoute} needs. */
export interface McpRouteOptions {
  /**
   * The MCP HTTP handler that protects JSON-RPC both ways; `who` is what `authenticate`
   * returned (null without it), so the handler can apply that caller's profile.
   */
  readonly handler: (request: Request, who: unknown) => Promise<Response>;
  /** The gateway's metrics (its in-flight count is shared with the LLM routes). */
  readonly metrics: GatewayMetrics;
  /** `proxy.maxInFlight`. */
  readonly maxInFlight: number;
  /** Largest request body (`limits.maxBytes`). */
  readonly maxBytes: number;
  /** `limits.requestTimeoutMs` and the gateway's shutdown signal. */
  readonly deadline: BodyDeadline;
  /** Gateway authentication, when configured. */
  readonly authenticate?: (request: Request) => Promise<unknown>;
  /**
   * Count the request against the caller's rate budget (`who` is what `authenticate`
   * returned, or null without it); throws a {@linkcode HaechiError} to refuse.
   */
  readonly limitRate?: (who: unknown) => Promise<void>;
}

/**
 * Build the MCP route.
 *
 * The caller is authenticated and its body read (under `limits.requestTimeoutMs`) before an
 * in-flight slot is taken, so a client trickling its body holds none.
 *
 * @param options Handler, metrics, limits and authentication.
 * @returns `(req) => Promise<Response>`.
 *
 * @example
 * ```ts
 * import { createMcpRoute } from "./mcp_route.ts";
 * import { createMetrics } from "./metrics.ts";
 * const route = createMcpRoute({
 *   handler: () => Promise.resolve(new Response("{}")),
 *   metrics: createMetrics("enforce"), maxInFlight: 1, maxBytes: 1024,
 *   deadline: { timeoutMs: 1000 },
 * });
 * const res = await route(new Request("http://gw/mcp", { method: "POST", body: "{}" }));
 * if (res.status !== 200) throw new Error(String(res.status));
 * ```
 */
export function createMcpRoute(options: McpRouteOptions): (req: Request) => Promise<Response> {
  const { metrics } = options;
  return async function mcpRequest(req) {
    const started = performance.now();
    const labels = { protocol: "mcp", route: "mcp" };
    const done = (status: number, decision?: Decision) => {
      metrics.request({ ...labels, status, decision }, (performance.now() - started) / 1000);
    };
    const headers = new Headers(req.headers);
    let who: unknown = null;
    if (options.authenticate !== undefined) {
      who = await options.authenticate(req);
      if (who === null) {
        done(401, "auth_denied");
        return mcpError(401, "Missing or invalid gateway credentials");
      }
      // The caller's gateway credential is for haechi, never for the MCP server.
      headers.delete("authorization");
    }
    try {
      await options.limitRate?.(who);
    } catch (e) {
      const err = e instanceof HaechiError ? e : new HaechiError("internal", "Internal error");
      const status = statusFor(err.code);
      done(status, decisionFor(err.code));
      const retry = err.details.retryAfter;
      return mcpError(
        status,
        err.message,
        typeof retry === "number" ? { "retry-after": `${retry}` } : {},
      );
    }
    let body: Uint8Array<ArrayBuffer> | undefined;
    if (req.body !== null) {
      try {
        body = await readWithin(readStreamBytes(req.body, options.maxBytes), options.deadline);
      } catch (e) {
        const err = e instanceof HaechiError
          ? e
          : new HaechiError("input.read_failed", "Request body could not be read");
        const status = statusFor(err.code);
        done(status, "rejected");
        return mcpError(status, err.message);
      }
    }
    if (metrics.inFlight >= options.maxInFlight) {
      metrics.rejected();
      done(503, "overloaded");
      return mcpError(503, "The gateway is at proxy.maxInFlight; retry shortly", {
        "retry-after": "1",
      });
    }
    metrics.inFlight++;
    try {
      const res = await options.handler(
        new Request(req.url, { method: req.method, headers, body, signal: req.signal }),
        who,
      );
      done(res.status);
      return res;
    } catch {
      done(502, "upstream_error");
      return mcpError(502, "The MCP upstream could not be reached");
    } finally {
      metrics.inFlight--;
    }
  };
}

/** A JSON-RPC error body with no id, as MCP's transport uses for HTTP-level refusals. */
function mcpError(status: number, message: string, headers: HeadersInit = {}): Response {
  return Response.json(
    { jsonrpc: "2.0", id: null, error: { code: -32000, message } },
    { status, headers },
  );
}
