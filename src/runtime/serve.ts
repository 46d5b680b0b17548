/**
 * The HTTP server adapter: the only place `Deno.serve` is called. The gateway itself is a
 * plain `fetch(Request) → Promise<Response>` handler; a Node build swaps this file.
 *
 * Slow or incomplete request headers (slowloris) are the server's to bound: Deno's HTTP
 * server (hyper) closes a connection whose request head has not arrived within its header
 * read timeout, and the handler is never called for a partial head. Bodies are bounded
 * by the gateway's streamed size check and upstream timeout.
 *
 * @module
 */

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
 * @returns The running server.
 *
 * @example
 * ```ts
 * import { serveHttp } from "./serve.ts";
 * const s = serveHttp(() => Promise.resolve(new Response("ok")), { hostname: "127.0.0.1", port: 0 });
 * const r = await fetch(`http://127.0.0.1:${s.port}/`);
 * if (await r.text() !== "ok") throw new Error("served");
 * await s.close();
 * ```
 */
export function serveHttp(
  handler: (request: Request, info: ServeInfo) => Promise<Response>,
  options: ServeOptions,
): ServeHandle {
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    ...(options.tls === undefined ? {} : { cert: options.tls.cert, key: options.tls.key }),
    onListen: () => {},
    onError: () => new Response("Internal error", { status: 500 }),
  }, (req, info) => {
    const addr = info.remoteAddr as Deno.NetAddr;
    return handler(req, { remoteAddr: addr.hostname ?? "" });
  });
  const addr = server.addr as Deno.NetAddr;
  return {
    hostname: addr.hostname,
    port: addr.port,
    finished: server.finished,
    async close() {
      await server.shutdown();
    },
  };
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
