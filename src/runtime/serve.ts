/**
 * The HTTP server adapter: the only place `Deno.serve` is called. The gateway itself is a
 * plain `fetch(Request) → Promise<Response>` handler; a Node build swaps this file.
 *
 * A partial request head never reaches the handler. `Deno.serve` has no head timeout (a
 * half-sent head stays open for minutes, and Deno's `node:http` ignores `headersTimeout`),
 * so with `headersTimeoutMs` the public socket is served by the front layer of
 * `head_guard.ts`, which closes a connection that has no request in progress for that
 * long. Bodies are bounded by the gateway (`limits.requestTimeoutMs`, `limits.maxBytes`).
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { serveGuarded } from "./head_guard.ts";

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
   * Close a connection that has delivered no complete request head for this long (ms):
   * a slow or stalled head, or an idle keep-alive connection. 0 or absent: no limit.
   */
  readonly headersTimeoutMs?: number;
}

/** Facts about a request that are not in the `Request` itself. */
export interface ServeInfo {
  /** The peer's IP address. */
  readonly remoteAddr: string;
}

/**
 * Serve `handler` over HTTP/1.1 (HTTPS when `options.tls` is given).
 *
 * @param handler The fetch handler.
 * @param options Address and port.
 * @returns The running server, once bound (a promise, as Node binds asynchronously).
 * @throws {HaechiError} `proxy.listen` when the address cannot be bound (in use, not
 *   permitted, not an address of this machine).
 *
 * @example
 * ```ts
 * import { serveHttp } from "./serve.ts";
 * const s = await serveHttp(() => Promise.resolve(new Response("ok")), { hostname: "127.0.0.1", port: 0 });
 * const r = await fetch(`http://127.0.0.1:${s.port}/`);
 * if (await r.text() !== "ok") throw new Error("served");
 * await s.close();
 * ```
 */
export function serveHttp(
  handler: (request: Request, info: ServeInfo) => Promise<Response>,
  options: ServeOptions,
): Promise<ServeHandle> {
  const onError = () => new Response("Internal error", { status: 500 });
  if ((options.headersTimeoutMs ?? 0) > 0) {
    let guarded: ReturnType<typeof serveGuarded>;
    try {
      guarded = serveGuarded((req, remoteAddr) => handler(req, { remoteAddr }), {
        hostname: options.hostname,
        port: options.port,
        headersTimeoutMs: options.headersTimeoutMs!,
        onError,
        ...(options.tls === undefined ? {} : { tls: options.tls }),
      });
    } catch (e) {
      return Promise.reject(listenError(e, options));
    }
    return Promise.resolve({
      hostname: guarded.addr.hostname,
      port: guarded.addr.port,
      finished: guarded.finished,
      close: () => guarded.shutdown(),
    });
  }
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.hostname,
      port: options.port,
      ...(options.tls === undefined ? {} : { cert: options.tls.cert, key: options.tls.key }),
      onListen: () => {},
      onError,
    }, (req, info) => {
      const addr = info.remoteAddr as Deno.NetAddr;
      return handler(req, { remoteAddr: addr.hostname ?? "" });
    });
  } catch (e) {
    return Promise.reject(listenError(e, options));
  }
  const addr = server.addr;
  return Promise.resolve({
    hostname: addr.hostname,
    port: addr.port,
    finished: server.finished,
    async close() {
      await server.shutdown();
    },
  });
}

/** Name why an address could not be bound, with what to do about it. */
function listenError(e: unknown, options: ServeOptions): unknown {
  const where = `${options.hostname}:${options.port}`;
  if (e instanceof Deno.errors.AddrInUse) {
    return new HaechiError(
      "proxy.listen",
      `Cannot listen on ${where}: the address is already in use; stop the other process or pick another --port`,
      { reason: "in_use" },
    );
  }
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return new HaechiError(
      "proxy.listen",
      `Cannot listen on ${where}: not permitted (ports below 1024 need privileges)`,
      { reason: "denied" },
    );
  }
  if (e instanceof Deno.errors.AddrNotAvailable) {
    return new HaechiError(
      "proxy.listen",
      `Cannot listen on ${where}: not an address of this machine`,
      { reason: "not_local" },
    );
  }
  return e;
}

/**
 * Resolve on the first SIGINT or SIGTERM (on Windows, SIGINT only).
 *
 * @returns The signal name.
 *
 * @example
 * ```ts ignore
 * const sig = await waitForShutdownSignal();
 * ```
 */
export function waitForShutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    const handlers = signals.map((sig) => {
      const h = () => {
        for (const [s, fn] of handlers) Deno.removeSignalListener(s, fn);
        resolve(sig);
      };
      Deno.addSignalListener(sig, h);
      return [sig, h] as const;
    });
  });
}
