/**
 * The HTTP server adapter for Node (≥ 22): the same `fetch(Request) → Promise<Response>`
 * handler shape as `serve.ts`, served with `node:http` (or `node:https` with TLS).
 * `deno task build:npm` puts this file in place of `serve.ts`.
 *
 * Each request becomes a web `Request` whose body streams from the socket and whose
 * `signal` aborts when the client goes away; each `Response` body is written with
 * backpressure, so a slow client slows its own stream and nothing else.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import process from "node:process";
import { Readable } from "node:stream";
import { HaechiError } from "../errors.ts";

/** A running server. */
export interface ServeHandle {
  /** Address bound. */
  readonly hostname: string;
  /** Port bound (the real one when 0 was asked for). */
  readonly port: number;
  /** Stop accepting, let in-flight requests finish, and resolve when closed. */
  close(): Promise<void>;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
}

/** Where to listen. */
export interface ServeOptions {
  /** Address, e.g. `127.0.0.1`. */
  readonly hostname: string;
  /** Port; 0 picks a free one. */
  readonly port: number;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Close a connection that has delivered no complete request head for this long (ms).
   * 0 or absent: no limit. Node's own `headersTimeout` enforces it.
   */
  readonly headersTimeoutMs?: number;
}

/** Facts about a request that are not in the `Request` itself. */
export interface ServeInfo {
  /** The peer's IP address. */
  readonly remoteAddr: string;
}

/**
 * Serve `handler` over HTTP/1.1 (HTTPS when `options.tls` is given), resolving once the
 * address is bound.
 *
 * @param handler The fetch handler.
 * @param options Address and port.
 * @returns The running server.
 * @throws {HaechiError} `proxy.listen` when the address cannot be bound (in use, not
 *   permitted, not an address of this machine).
 */
export function serveHttp(
  handler: (request: Request, info: ServeInfo) => Promise<Response>,
  options: ServeOptions,
): Promise<ServeHandle> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    respond(handler, req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" }).end("Internal error");
      } else res.destroy();
    });
  };
  const headMs = options.headersTimeoutMs ?? 0;
  // Node enforces heads with headersTimeout, checked every connectionsCheckingInterval
  // (30 s by default, too coarse for a short limit). Its requestTimeout must not be
  // shorter; the gateway bounds bodies itself (limits.requestTimeoutMs).
  const timeouts = headMs > 0
    ? {
      headersTimeout: headMs,
      requestTimeout: Math.max(300_000, headMs),
      keepAliveTimeout: Math.min(5_000, headMs),
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(headMs / 4))),
    }
    : {};
  const server: Server = options.tls === undefined
    ? createServer(timeouts, onRequest)
    : createTlsServer({ ...timeouts, cert: options.tls.cert, key: options.tls.key }, onRequest);
  return new Promise((resolve, reject) => {
    server.once("error", (e) => reject(listenError(e, options)));
    server.listen(options.port, options.hostname, () => {
      const a = server.address();
      let closed: () => void = () => {};
      const finished = new Promise<void>((r) => (closed = r));
      server.once("close", () => closed());
      resolve({
        hostname: a !== null && typeof a === "object" ? a.address : options.hostname,
        port: a !== null && typeof a === "object" ? a.port : options.port,
        finished,
        close() {
          server.close();
          // Keep-alive connections with no request in flight would hold close() open.
          server.closeIdleConnections();
          return finished;
        },
      });
    });
  });
}

async function respond(
  handler: (request: Request, info: ServeInfo) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const abort = new AbortController();
  // The client is gone when the response is closed before it finished.
  res.once("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  const scheme = "encrypted" in req.socket && req.socket.encrypted ? "https" : "http";
  const host = req.headers.host ?? "localhost";
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const request = new Request(`${scheme}://${host}${req.url ?? "/"}`, {
    method,
    headers,
    signal: abort.signal,
    ...(hasBody
      ? { body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>, duplex: "half" }
      : {}),
  } as RequestInit);
  // A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`; Deno reports `a.b.c.d`.
  const peer = (req.socket.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  const response = await handler(request, { remoteAddr: peer });
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    out[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  if (response.statusText !== "") res.writeHead(response.status, response.statusText, out);
  else res.writeHead(response.status, out);
  if (response.body === null || method === "HEAD") {
    res.end();
    await response.body?.cancel();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off("drain", go);
            res.off("close", go);
            resolve();
          };
          res.once("drain", go);
          res.once("close", go);
        });
      }
    }
    res.end();
  } catch {
    await reader.cancel().catch(() => {});
    res.destroy();
  }
}

/** Name why an address could not be bound, with what to do about it. */
function listenError(e: unknown, options: ServeOptions): unknown {
  const where = `${options.hostname}:${options.port}`;
  const code = (e as { code?: string } | null)?.code;
  if (code === "EADDRINUSE") {
    return new HaechiError(
      "proxy.listen",
      `Cannot listen on ${where}: the address is already in use; stop the other process or pick another --port`,
      { reason: "in_use" },
    );
  }
  if (code === "EACCES" || code === "EPERM") {
    return new HaechiError(
      "proxy.listen",
      `Cannot listen on ${where}: not permitted (ports below 1024 need privileges)`,
      { reason: "denied" },
    );
  }
  if (code === "EADDRNOTAVAIL") {
    return new HaechiError(
      "proxy.listen",
      `Cannot listen on ${where}: not an address of this machine`,
      { reason: "not_local" },
    );
  }
  return e;
}

/** Resolve on the first SIGINT or SIGTERM (on Windows, SIGINT only). */
export function waitForShutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = process.platform === "win32"
      ? ["SIGINT"]
      : ["SIGINT", "SIGTERM"];
    const handlers = signals.map((sig) => {
      const h = () => {
        for (const [s, fn] of handlers) process.off(s, fn);
        resolve(sig);
      };
      process.on(sig, h);
      return [sig, h] as const;
    });
  });
}
