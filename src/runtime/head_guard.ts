/**
 * A front layer that gives `Deno.serve` the request-head timeout it lacks
 * (`limits.headersTimeoutMs`).
 *
 * `Deno.serve` (and Deno's `node:http`, which ignores `headersTimeout`) keeps a half-sent
 * request head open for as long as the client likes, so many slow heads exhaust sockets.
 * Here the public listener is ours: each accepted connection is spliced to an internal
 * `Deno.serve` on a loopback port, and a timer closes it whenever it has no request in
 * progress for the limit. A request is in progress from the moment the HTTP server has
 * parsed its head (the handler runs) until its reply body ends. So one rule bounds the first
 * head, each next head on a keep-alive connection, a TLS handshake that never finishes, and
 * an idle keep-alive connection; bodies and replies are bounded elsewhere
 * (`limits.requestTimeoutMs`, the upstream timeouts).
 *
 * The splice reads no HTTP: it never parses the bytes it relays, so it cannot disagree with
 * the server about where a request ends. The internal server answers only connections that
 * came through the front (by the loopback port they came from); anything else gets 403.
 *
 * @module
 */

/** What the guarded server needs from its caller. */
export interface GuardOptions {
  /** Public address. */
  readonly hostname: string;
  /** Public port; 0 picks one. */
  readonly port: number;
  /** PEM certificate and key: terminate TLS at the front. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Close a connection with no request in progress for this long (ms, > 0). */
  readonly headersTimeoutMs: number;
  /** The error reply of the internal server. */
  readonly onError: (error: unknown) => Response;
}

/** A connection from a client, spliced to the internal server. */
interface Spliced {
  readonly client: Deno.Conn;
  readonly inner: Deno.Conn;
  readonly remoteAddr: string;
  active: number;
  /** `performance.now()` when the connection last had no request in progress. */
  idleSince: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
}

/** The running front layer and its internal server. */
export interface GuardedServer {
  /** The public address bound. */
  readonly addr: Deno.NetAddr;
  /** The internal server's loopback port (it answers only relayed connections). */
  readonly innerPort: number;
  /** Stop accepting, let in-flight requests finish, close the rest. */
  shutdown(): Promise<void>;
  /** Resolves when every connection has closed. */
  readonly finished: Promise<void>;
}

/**
 * Serve `handler` behind the head-timeout front layer.
 *
 * @param handler The request handler; its second argument carries the client's address.
 * @param options Address, TLS and the timeout.
 * @returns The running server.
 * @throws The listen error of `Deno.listen` / `Deno.listenTls` (address in use, ...).
 */
export function serveGuarded(
  handler: (request: Request, remoteAddr: string) => Promise<Response>,
  options: GuardOptions,
): GuardedServer {
  const listener: Deno.Listener = options.tls === undefined
    ? Deno.listen({ hostname: options.hostname, port: options.port })
    : Deno.listenTls({
      hostname: options.hostname,
      port: options.port,
      cert: options.tls.cert,
      key: options.tls.key,
    });
  const byInnerPort = new Map<number, Spliced>();
  let inner: Deno.HttpServer<Deno.NetAddr>;
  try {
    inner = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
      onError: options.onError,
    }, async (req, info) => {
      const conn = byInnerPort.get((info.remoteAddr as Deno.NetAddr).port);
      if (conn === undefined) return new Response("Forbidden", { status: 403 });
      begin(conn);
      // The request stays in progress until the server has sent its reply whole (or
      // failed to); a caller that leaves closes the connection, cleaned up by the splice.
      info.completed.then(() => end(conn), () => end(conn));
      return await handler(req, conn.remoteAddr);
    });
  } catch (e) {
    listener.close();
    throw e;
  }
  const innerPort = inner.addr.port;
  const relays = new Set<Promise<void>>();

  // A connection's timer is not moved per request: set when it goes idle with no timer
  // pending, it checks when it fires whether the connection has been idle the whole limit,
  // and otherwise waits out the rest. Clearing and setting a timer on every request of a
  // keep-alive connection cost more than the rest of this bookkeeping.
  const arm = (c: Spliced, ms: number) => {
    const timer = setTimeout(() => expire(c), ms);
    Deno.unrefTimer(timer);
    c.timer = timer;
  };
  const expire = (c: Spliced) => {
    c.timer = undefined;
    if (c.closed || c.active > 0) return;
    const left = c.idleSince + options.headersTimeoutMs - performance.now();
    if (left <= 0) close(c);
    else arm(c, left);
  };
  const begin = (c: Spliced) => {
    c.active++;
  };
  const end = (c: Spliced) => {
    c.active--;
    if (c.active !== 0 || c.closed) return;
    c.idleSince = performance.now();
    if (c.timer === undefined) arm(c, options.headersTimeoutMs);
  };
  const close = (c: Spliced) => {
    if (c.closed) return;
    c.closed = true;
    if (c.timer !== undefined) clearTimeout(c.timer);
    byInnerPort.delete((c.inner.localAddr as Deno.NetAddr).port);
    for (const s of [c.client, c.inner]) {
      try {
        s.close();
      } catch {
        // Already closed by the other side.
      }
    }
  };

  const relay = async (client: Deno.Conn) => {
    let innerConn: Deno.Conn;
    try {
      innerConn = await Deno.connect({ hostname: "127.0.0.1", port: innerPort });
    } catch {
      try {
        client.close();
      } catch { /* gone */ }
      return;
    }
    // The splice relays whatever the server writes at once: with Nagle's algorithm on, each
    // small stream frame would wait for the peer's delayed ACK (~40 ms) before it is sent.
    for (const s of [client, innerConn]) {
      try {
        (s as Deno.TcpConn).setNoDelay(true);
      } catch {
        // A TLS connection whose socket is already gone.
      }
    }
    const c: Spliced = {
      client,
      inner: innerConn,
      remoteAddr: (client.remoteAddr as Deno.NetAddr).hostname ?? "",
      active: 0,
      idleSince: performance.now(),
      timer: undefined,
      closed: false,
    };
    byInnerPort.set((innerConn.localAddr as Deno.NetAddr).port, c);
    arm(c, options.headersTimeoutMs);
    // Client to server may end first (a half-close); the connection ends with the
    // server's side, or with an error on either.
    const up = copy(client, innerConn).then(
      () => innerConn.closeWrite().catch(() => close(c)),
      () => close(c),
    );
    await copy(innerConn, client).catch(() => {});
    close(c);
    await up;
  };

  const accepting = (async () => {
    try {
      for await (const client of listener) {
        const r = relay(client);
        relays.add(r);
        r.finally(() => relays.delete(r));
      }
    } catch {
      // The listener was closed.
    }
  })();

  const finished = (async () => {
    await inner.finished;
    await accepting;
    await Promise.allSettled([...relays]);
  })();

  return {
    addr: listener.addr as Deno.NetAddr,
    innerPort,
    finished,
    async shutdown() {
      try {
        listener.close();
      } catch { /* closed */ }
      // In-flight requests finish; idle keep-alive connections are closed by the server,
      // which ends their splices.
      await inner.shutdown();
      // The server has written its last replies into the splices; let them reach the
      // clients, then close whatever a client keeps open.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...relays]),
        new Promise((r) => timer = setTimeout(r, DRAIN_MS)),
      ]);
      clearTimeout(timer);
      for (const c of byInnerPort.values()) close(c);
      await finished;
    },
  };
}

/** Relay bytes from `from` to `to` until `from` ends; plain reads and writes, one buffer. */
async function copy(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(COPY_BUFFER);
  for (;;) {
    const n = await from.read(buf);
    if (n === null) return;
    let off = 0;
    while (off < n) off += await to.write(buf.subarray(off, n));
  }
}

/** How long the splices get to hand the server's last replies over at shutdown. */
const DRAIN_MS = 1000;

/** Relay buffer size: a TLS record and a typical socket read fit. */
const COPY_BUFFER = 64 * 1024;
