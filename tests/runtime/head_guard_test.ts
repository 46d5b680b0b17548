// Real sockets on 127.0.0.1: the head timeout of the server adapter (limits.headersTimeoutMs).
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { serveHttp } from "../../src/runtime/serve.ts";
import { serveGuarded } from "../../src/runtime/head_guard.ts";

const enc = new TextEncoder();

/** Resolves `"closed"` when the server closes `conn`, `"open"` if it is still open at `ms`. */
async function closedWithin(conn: Deno.Conn, ms: number): Promise<"closed" | "open"> {
  const buf = new Uint8Array(4096);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const n = await Promise.race([
      conn.read(buf).catch(() => null),
      new Promise<"wait">((r) => timer = setTimeout(() => r("wait"), deadline - Date.now())),
    ]);
    clearTimeout(timer);
    if (n === null) return "closed";
    if (n === "wait") return "open";
  }
  return "open";
}

/** A raw HTTP/1.1 exchange on an open connection: the status line of the reply. */
async function exchange(conn: Deno.Conn, path: string): Promise<string> {
  await conn.write(enc.encode(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
  const buf = new Uint8Array(4096);
  let text = "";
  // The reply is "ok", sent with a length or chunked.
  while (!text.endsWith("\r\n\r\nok") && !text.endsWith("\r\n0\r\n\r\n")) {
    const n = await conn.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  return text.split("\r\n")[0];
}

async function withServer(
  handler: (req: Request, info: { remoteAddr: string }) => Promise<Response>,
  fn: (port: number) => Promise<void>,
): Promise<void> {
  const server = await serveHttp(handler, {
    hostname: "127.0.0.1",
    port: 0,
    headersTimeoutMs: 400,
  });
  try {
    await fn(server.port);
  } finally {
    await server.close();
  }
}

const ok = () => Promise.resolve(new Response("ok"));

Deno.test("a connection whose request head stalls is closed at headersTimeoutMs, while other callers are served", async () => {
  await withServer(ok, async (port) => {
    // Many half-sent heads: each one is cut, none holds its socket.
    const slow = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const c = await Deno.connect({ hostname: "127.0.0.1", port });
        await c.write(enc.encode("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        return c;
      }),
    );
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assertEquals(await res.text(), "ok");
    const states = await Promise.all(slow.map((c) => closedWithin(c, 10_000)));
    assertEquals(states.filter((s) => s === "closed").length, slow.length);
    for (const c of slow) {
      try {
        c.close();
      } catch { /* closed by the server */ }
    }
    const again = await fetch(`http://127.0.0.1:${port}/`);
    assertEquals(await again.text(), "ok");
  });
});

Deno.test("a head trickled one byte at a time is cut once the limit passes, even though bytes keep coming", async () => {
  await withServer(ok, async (port) => {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    let cut = false;
    const head = "GET / HTTP/1.1\r\nHost: x\r\nX-A: " + "a".repeat(200);
    for (const ch of head) {
      try {
        await c.write(enc.encode(ch));
      } catch {
        cut = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!cut) cut = (await closedWithin(c, 5000)) === "closed";
    assert(cut, "the trickling connection was closed");
    try {
      c.close();
    } catch { /* closed */ }
  });
});

Deno.test("a keep-alive connection serves requests back to back, then is closed when idle past the limit", async () => {
  let seen = "";
  await withServer((_req, info) => {
    seen = info.remoteAddr;
    return ok();
  }, async (port) => {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    assertEquals(await exchange(c, "/a"), "HTTP/1.1 200 OK");
    assertEquals(await exchange(c, "/b"), "HTTP/1.1 200 OK");
    assertEquals(seen, "127.0.0.1", "the handler sees the client's address");
    assertEquals(await closedWithin(c, 10_000), "closed");
    c.close();
  });
});

Deno.test("an idle limit counts from the end of the last request, not from an earlier idle spell", async () => {
  await withServer(() => ok(), async (port) => {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    assertEquals(await exchange(c, "/a"), "HTTP/1.1 200 OK");
    await new Promise((r) => setTimeout(r, 300));
    // Idle 300 ms of 400: still open, and the first spell's deadline must not cut it.
    assertEquals(await exchange(c, "/b"), "HTTP/1.1 200 OK");
    assertEquals(await closedWithin(c, 250), "open");
    assertEquals(await closedWithin(c, 10_000), "closed");
    c.close();
  });
});

Deno.test("a request in progress longer than the head limit is not cut: a slow reply body arrives whole", async () => {
  await withServer(() => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 300));
        if (i++ === 4) controller.close();
        else controller.enqueue(enc.encode(`chunk${i};`));
      },
    });
    return Promise.resolve(new Response(body));
  }, async (port) => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assertEquals(await res.text(), "chunk1;chunk2;chunk3;chunk4;");
  });
});

Deno.test("a POST body is read through the front layer byte for byte", async () => {
  await withServer(async (req) => new Response(await req.text()), async (port) => {
    const big = "x".repeat(3_000_000) + "end";
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: big });
    const text = await res.text();
    assertEquals(text.length, big.length);
    assertStringIncludes(text.slice(-10), "end");
  });
});

Deno.test("the internal server answers only connections relayed by the front layer", async () => {
  const guarded = serveGuarded(() => Promise.resolve(new Response("ok")), {
    hostname: "127.0.0.1",
    port: 0,
    headersTimeoutMs: 5000,
    onError: () => new Response("error", { status: 500 }),
  });
  try {
    const relayed = await fetch(`http://127.0.0.1:${guarded.addr.port}/`);
    assertEquals(await relayed.text(), "ok");
    const direct = await fetch(`http://127.0.0.1:${guarded.innerPort}/`);
    assertEquals(direct.status, 403);
    await direct.body?.cancel();
  } finally {
    await guarded.shutdown();
  }
});
