/**
 * The innermost step of the gateway's MCP route. The route runs the same shared steps as the
 * LLM routes (identify → limitRate → readBody → limitInFlight, src/proxy/middleware/) over
 * a {@linkcode GatewayContext} whose error shape is JSON-RPC (`MCP_ERRORS`), so its refusals,
 * their audit records and its request-log line are made where the LLM routes' are; this step
 * hands the read body to the MCP HTTP handler under the caller's profile.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import type { GatewayContext, RequestEnds } from "./context.ts";
import { upstreamFailure } from "./middleware/request_log.ts";
import type { RequestProfile } from "./profiles.ts";
import type { Handler } from "./router.ts";

/** Serves one MCP request under the caller's profile (protects JSON-RPC both ways). */
export type McpHandler = (request: Request, profile: RequestProfile) => Promise<Response>;

/**
 * The MCP serving step: it runs holding an in-flight slot, which it gives back (and counts
 * the request) when the handler answers. A handler that throws becomes `proxy.upstream`
 * (502), which `limitInFlight` refuses in JSON-RPC shape.
 *
 * @param handler The MCP HTTP handler.
 * @param authenticated Whether gateway authentication is on: the caller's credential is then
 *   for haechi, never forwarded to the MCP server.
 * @param ends How the request ends.
 * @returns The handler.
 */
export function serveMcp(
  handler: McpHandler,
  authenticated: boolean,
  ends: RequestEnds,
): Handler<GatewayContext> {
  return async (ctx) => {
    const { req } = ctx;
    const rpc = rpcOf(ctx.text);
    if (rpc !== undefined) ctx.trace.rpc = rpc;
    const headers = new Headers(req.headers);
    if (authenticated) headers.delete("authorization");
    const method = req.method;
    const body = method === "GET" || method === "HEAD" || ctx.text === "" ? undefined : ctx.text;
    let res: Response;
    try {
      res = await handler(
        new Request(req.url, { method, headers, body, signal: req.signal }),
        ctx.profile,
      );
    } catch (e) {
      ctx.trace.upstreamFailure = upstreamFailure(e, false);
      throw new HaechiError("proxy.upstream", "The MCP upstream could not be reached");
    }
    const out = new Headers(res.headers);
    out.set("x-haechi-request-id", ctx.correlationId);
    ends.release(ctx, res.status);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: out });
  };
}

// Method and tool names are protocol identifiers; anything else (a value smuggled into a
// name, a line break) is not logged.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_./:-]{0,63}$/;

/**
 * The JSON-RPC method (and the tool of a `tools/call`) of one MCP message, for the request
 * log; undefined when the body is not one JSON-RPC request or the names are not plain.
 *
 * @example
 * ```ts
 * import { rpcOf } from "./mcp_route.ts";
 * const r = rpcOf('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search"}}');
 * if (r?.method !== "tools/call" || r.tool !== "search") throw new Error();
 * ```
 */
export function rpcOf(text: string): { method: string; tool?: string } | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof msg !== "object" || msg === null) return undefined;
  const { method, params } = msg as { method?: unknown; params?: unknown };
  if (typeof method !== "string" || !NAME.test(method)) return undefined;
  const tool = method === "tools/call" && typeof params === "object" && params !== null
    ? (params as { name?: unknown }).name
    : undefined;
  return typeof tool === "string" && NAME.test(tool) ? { method, tool } : { method };
}
