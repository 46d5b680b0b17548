/**
 * A `fetch`-style handler that sits in front of an MCP Streamable HTTP server and protects
 * its traffic both ways, following the transport as revised in 2025-06-18:
 *
 * - `POST` carries one JSON-RPC message. Its content is checked by the
 *   {@linkcode McpFilter} before it goes upstream; a refused request is answered here with
 *   a JSON-RPC error, a refused notification or response with `202 Accepted`. Upstream's
 *   answer, `application/json` or a `text/event-stream`, is protected message by message.
 * - `GET` opens the server's event stream; every event is protected the same way.
 * - `DELETE` ends a session.
 * - `Mcp-Session-Id` and `MCP-Protocol-Version` pass through both ways once their syntax
 *   is checked (visible ASCII; `YYYY-MM-DD`). `Last-Event-ID` passes through so streams
 *   can resume; event ids and event names are kept only when they are short, visible ASCII
 *   and clean.
 * - Every forwarded header value is scanned, both ways: a request whose session id holds
 *   a finding is refused, any other header with a finding is dropped.
 *
 * Hop-by-hop headers are never forwarded (RFC 9110 §7.6.1), and `content-length` and
 * `content-encoding` are dropped because bodies are rewritten. Anything that cannot be
 * checked is not passed on.
 *
 * @module
 */
import { DEFAULT_CONFIG, type McpConfig } from "../config/mod.ts";
import { parseJsonExact, type Protector } from "../protect/mod.ts";
import { MintedTokens, type TokenRestorer } from "../vault/mod.ts";
import { createSseParser, type SseEvent } from "../stream/mod.ts";
import type { AuditSink } from "../audit/mod.ts";
import { createMcpFilter, type McpFilter } from "./filter.ts";
import { errorLine, JSONRPC_ERRORS } from "./jsonrpc.ts";

/** Options for {@linkcode createMcpHttpHandler}. */
export interface McpHttpHandlerOptions {
  /** The protector. */
  readonly protector: Protector;
  /** Audit sink. */
  readonly audit: AuditSink;
  /** The upstream MCP endpoint, e.g. `http://127.0.0.1:3001/mcp`. */
  readonly upstream: URL | string;
  /** The `mcp` config section (default: built-in defaults). */
  readonly mcp?: McpConfig;
  /** The token vault; needed only for `mcp.detokenizeArguments`. */
  readonly vault?: TokenRestorer;
  /** Server name for `detokenizeArguments` patterns (default: the upstream host). */
  readonly serverName?: string;
  /** Stand-in for the global `fetch` (tests). */
  readonly fetch?: typeof fetch;
  /**
   * Time allowed for the MCP server's reply headers and a JSON reply's whole body, in ms
   * (default `proxy.upstreamTimeoutMs`'s default). An event stream, once started, is the
   * server's channel and is not cut by it.
   */
  readonly timeoutMs?: number;
}

const FORWARD_REQUEST_HEADERS = [
  "accept",
  "authorization",
  "content-type",
  "last-event-id",
  "mcp-protocol-version",
  "mcp-session-id",
  "origin",
  "user-agent",
];
const FORWARD_RESPONSE_HEADERS = [
  "allow",
  "cache-control",
  "mcp-protocol-version",
  "mcp-session-id",
  "retry-after",
  "www-authenticate",
];
const SESSION_ID = /^[\x21-\x7e]{1,256}$/;
const PROTOCOL_VERSION = /^\d{4}-\d{2}-\d{2}$/;
const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const EVENT_ID = /^[\x21-\x7e]{1,256}$/;
/** Sessions whose minted tokens are remembered; the least recently used is forgotten. */
const MAX_SESSIONS = 1024;

/**
 * Build the handler. Options are checked once here.
 *
 * @param options Protector, audit sink, upstream and config.
 * @returns `(req) => Promise<Response>`, for `Deno.serve` or a proxy route.
 *
 * @example
 * ```ts ignore
 * const handler = createMcpHttpHandler({ protector: s.protector, audit: s.audit,
 *   vault: s.vault, mcp: config.mcp, upstream: "http://127.0.0.1:3001/mcp" });
 * Deno.serve({ port: 0, hostname: "127.0.0.1" }, handler);
 * ```
 */
export function createMcpHttpHandler(
  options: McpHttpHandlerOptions,
): (req: Request) => Promise<Response> {
  const upstream = new URL(options.upstream);
  const mcp = options.mcp ?? DEFAULT_CONFIG.mcp;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONFIG.proxy.upstreamTimeoutMs;
  const serverName = options.serverName ?? upstream.hostname;
  const newFilter = (minted?: MintedTokens) =>
    createMcpFilter({
      protector: options.protector,
      audit: options.audit,
      mcp,
      restorer: options.vault,
      serverName,
      minted,
    });
  newFilter(); // Fails now, not on the first request, when the options cannot work.
  // Tokens minted in each MCP session, both ways: a tool call may have restored only what its
  // own session minted (a result's token the model copies back), never another session's.
  const sessions = new Map<string, MintedTokens>();
  const mintedFor = (session: string | null): MintedTokens => {
    if (session === null) return new MintedTokens();
    const known = sessions.get(session) ?? new MintedTokens();
    sessions.delete(session);
    sessions.set(session, known);
    if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    return known;
  };
  // The session a server opens in its answer to `initialize` inherits what that exchange minted.
  const adopt = (res: Response, minted: MintedTokens) => {
    const id = res.headers.get("mcp-session-id");
    if (id !== null && SESSION_ID.test(id) && !sessions.has(id)) {
      sessions.set(id, minted);
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    }
  };
  const isClean = (s: string) => options.protector.scanner.scan(s).length === 0;

  return async function handle(req: Request): Promise<Response> {
    const headers = new Headers();
    for (const name of FORWARD_REQUEST_HEADERS) {
      const v = req.headers.get(name);
      // The caller's credential is meant for the MCP server; every other value is scanned.
      if (v !== null && (name === "authorization" || isClean(v))) headers.set(name, v);
    }
    const session = req.headers.get("mcp-session-id");
    if (session !== null && (!SESSION_ID.test(session) || !headers.has("mcp-session-id"))) {
      return jsonError(400, null, JSONRPC_ERRORS.invalidRequest, "Invalid Mcp-Session-Id header");
    }
    const version = headers.get("mcp-protocol-version");
    if (version !== null && !PROTOCOL_VERSION.test(version)) {
      return jsonError(
        400,
        null,
        JSONRPC_ERRORS.invalidRequest,
        "Invalid MCP-Protocol-Version header",
      );
    }
    const minted = mintedFor(session);
    const filter = newFilter(minted);
    if (req.method === "POST") {
      const res = await post(req, headers, filter);
      if (session === null) adopt(res, minted);
      return res;
    }
    if (req.method === "GET" || req.method === "DELETE") {
      headers.delete("content-type");
      const clock = startClock(req.signal, timeoutMs);
      try {
        const res = await callUpstream(clock, req.method, headers, undefined);
        return isUpstream(res) ? await relay(res, filter, clock) : res;
      } finally {
        clock.stop();
      }
    }
    return new Response(null, { status: 405, headers: { allow: "GET, POST, DELETE" } });
  };

  async function post(req: Request, headers: Headers, filter: McpFilter): Promise<Response> {
    const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      return jsonError(
        415,
        null,
        JSONRPC_ERRORS.invalidRequest,
        "Content-Type must be application/json",
      );
    }
    const text = await readBounded(req.body, mcp.maxLineBytes);
    const verdict = text === null
      ? await filter.inspect("client", { kind: "too-long", bytes: mcp.maxLineBytes + 1 })
      : text === undefined
      ? await filter.inspect("client", { kind: "invalid-utf8" })
      : await filter.inspect("client", { kind: "text", text });
    if (verdict.forward === undefined) {
      if (verdict.reply === undefined) return new Response(null, { status: 202 });
      const lines = verdict.reply.split("\n");
      const body = lines.length === 1 ? lines[0] : `[${lines.join(",")}]`;
      const status = text === null ? 413 : JSON.parse(lines[0]).id === null ? 400 : 200;
      return new Response(body, { status, headers: { "content-type": "application/json" } });
    }
    headers.set("content-type", "application/json");
    const clock = startClock(req.signal, timeoutMs);
    try {
      const res = await callUpstream(clock, "POST", headers, verdict.forward);
      return isUpstream(res) ? await relay(res, filter, clock) : res;
    } finally {
      clock.stop();
    }
  }

  async function callUpstream(
    clock: UpstreamClock,
    method: string,
    headers: Headers,
    body: string | undefined,
  ): Promise<Response> {
    try {
      // A redirect is not followed: it would send the protected request, and the caller's
      // credential, to a host nobody configured (the LLM gateway refuses them the same way).
      const res = await doFetch(upstream, {
        method,
        headers,
        body,
        signal: clock.signal,
        redirect: "manual",
      });
      if ((res.status >= 300 && res.status < 400) || res.type === "opaqueredirect") {
        await res.body?.cancel().catch(() => {});
        return jsonError(
          502,
          null,
          JSONRPC_ERRORS.internalError,
          `The MCP server answered with a redirect (${res.status}); haechi does not follow ` +
            "redirects, so point the target at the final URL",
        );
      }
      UPSTREAM.add(res);
      return res;
    } catch {
      if (clock.timedOut()) return timeoutError();
      return jsonError(
        502,
        null,
        JSONRPC_ERRORS.internalError,
        "The MCP server could not be reached",
      );
    }
  }

  async function relay(
    res: Response,
    filter: McpFilter,
    clock: UpstreamClock,
  ): Promise<Response> {
    const headers = new Headers();
    for (const name of FORWARD_RESPONSE_HEADERS) {
      const v = res.headers.get(name);
      if (v !== null && isClean(v)) headers.set(name, v);
    }
    const session = headers.get("mcp-session-id");
    if (session !== null && !SESSION_ID.test(session)) headers.delete("mcp-session-id");
    const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (res.body === null || res.status === 202 || res.status === 204) {
      await res.body?.cancel();
      return new Response(null, { status: res.status, headers });
    }
    if (type === "text/event-stream") {
      headers.set("content-type", "text/event-stream");
      headers.set("cache-control", "no-cache");
      return new Response(protectEventStream(res.body, filter), { status: res.status, headers });
    }
    let text: string | null | undefined;
    try {
      text = await readBounded(res.body, mcp.maxLineBytes);
    } catch {
      if (clock.timedOut()) return timeoutError();
      return jsonError(
        502,
        null,
        JSONRPC_ERRORS.internalError,
        "The MCP server's connection broke before its reply was complete",
      );
    }
    if (type === "application/json") {
      headers.set("content-type", "application/json");
      if (typeof text !== "string") {
        await filter.inspect(
          "server",
          text === null
            ? { kind: "too-long", bytes: mcp.maxLineBytes + 1 }
            : { kind: "invalid-utf8" },
        );
        return jsonError(
          502,
          null,
          JSONRPC_ERRORS.internalError,
          "The MCP server sent a body haechi cannot check",
        );
      }
      let value: unknown;
      try {
        value = parseJsonExact(text);
      } catch {
        await filter.inspect("server", { kind: "text", text });
        return jsonError(
          502,
          null,
          JSONRPC_ERRORS.internalError,
          "The MCP server sent invalid JSON",
        );
      }
      const items = Array.isArray(value) ? value : [value];
      const out: string[] = [];
      for (const item of items) {
        const v = await filter.inspectValue("server", item);
        if (v.forward !== undefined) out.push(v.forward);
      }
      const body = Array.isArray(value) ? `[${out.join(",")}]` : out[0];
      if (body === undefined) {
        return jsonError(
          502,
          null,
          JSONRPC_ERRORS.internalError,
          "The MCP server sent a message haechi does not pass on",
        );
      }
      return new Response(body, { status: res.status, headers });
    }
    // Anything else (an HTML error page, plain text) is protected as text.
    headers.set("content-type", "text/plain; charset=utf-8");
    if (typeof text !== "string") return new Response(null, { status: 502, headers });
    const outcome = await options.protector.protectText(text, { scope: mcp.scope });
    return new Response(outcome.output ?? "", { status: res.status, headers });
  }

  function protectEventStream(
    body: ReadableStream<Uint8Array>,
    filter: McpFilter,
  ): ReadableStream<Uint8Array> {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = createSseParser({ maxEventBytes: mcp.maxLineBytes });
    const enc = new TextEncoder();
    const render = async (e: SseEvent): Promise<string> => {
      if (e.comment !== undefined) return ":\n\n"; // keep-alive; the comment text is dropped
      const id = e.id !== undefined && EVENT_ID.test(e.id) && isClean(e.id) ? `id: ${e.id}\n` : "";
      const retry = e.retry !== undefined ? `retry: ${e.retry}\n` : "";
      const event = e.event !== undefined && EVENT_NAME.test(e.event) && isClean(e.event)
        ? `event: ${e.event}\n`
        : "";
      if (e.data === "") return id === "" ? "" : `${id}${retry}data: \n\n`;
      const v = await filter.inspect("server", { kind: "text", text: e.data });
      if (v.forward === undefined) return id === "" ? "" : `${id}${retry}data: \n\n`;
      // One event per message: a refused batch comes back as one error per id.
      return v.forward.split("\n").map((line, i) =>
        `${event}${i === 0 ? id : ""}${retry}data: ${line}\n\n`
      ).join("");
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        while (true) {
          let events: SseEvent[];
          let done = false;
          try {
            const r = await reader.read();
            done = r.done;
            events = r.done ? parser.flush() : parser.push(r.value);
          } catch {
            // An oversized event or a broken upstream: end the stream rather than pass
            // anything unchecked.
            await filter.inspect("server", { kind: "too-long", bytes: mcp.maxLineBytes + 1 });
            await reader.cancel().catch(() => {});
            controller.close();
            return;
          }
          let out = "";
          for (const e of events) out += await render(e);
          if (out !== "") controller.enqueue(enc.encode(out));
          if (done) {
            controller.close();
            return;
          }
          if (out !== "") return;
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
  }
}

/** One upstream call's timer: it aborts the call (and its body) when it fires. */
interface UpstreamClock {
  /** Aborted by the caller leaving or the timer firing. */
  readonly signal: AbortSignal;
  /** Whether the timer fired. */
  timedOut(): boolean;
  /** Stop the timer (the reply is read, or an event stream has taken over). */
  stop(): void;
}

function startClock(callerSignal: AbortSignal, ms: number): UpstreamClock {
  const ctrl = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    ctrl.abort();
  }, ms);
  return {
    signal: AbortSignal.any([callerSignal, ctrl.signal]),
    timedOut: () => fired,
    stop: () => clearTimeout(timer),
  };
}

function timeoutError(): Response {
  return jsonError(
    504,
    null,
    JSONRPC_ERRORS.internalError,
    "The MCP server did not answer within proxy.upstreamTimeoutMs",
  );
}

// Responses that came from upstream, as opposed to ones built here.
const UPSTREAM = new WeakSet<Response>();
const isUpstream = (r: Response) => UPSTREAM.has(r);

function jsonError(status: number, id: null, code: number, message: string): Response {
  const body = errorLine(id, code, message, {
    reason: status >= 502 ? "check-failed" : "invalid",
  });
  return new Response(body, { status, headers: { "content-type": "application/json" } });
}

// Read a body as UTF-8 text: null when it exceeds `max` bytes, undefined when not UTF-8.
async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<string | null | undefined> {
  if (body === null) return "";
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      await body.cancel().catch(() => {});
      return null;
    }
    parts.push(chunk);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(all);
  } catch {
    return undefined;
  }
}
