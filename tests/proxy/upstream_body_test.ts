// The gateway reads a plain streamed reply from `fetch` through one reused buffer (a byte
// stream read in BYOB mode). Over a real socket, with the reply written a few bytes at a
// time so that characters, lines and frames are cut anywhere, the caller must get exactly
// what the same bytes give when they come from a stream built in JS (read the default way).
import { assert, assertEquals } from "../assert.ts";
import { rig } from "./_setup.ts";
import { S, scripted } from "./_scripted.ts";

function reply(): string {
  const words = ["héllo ", "한국어 ", "😀 ", S + " ", "plain ", "\uFEFF ", "ü"];
  let body = "";
  for (let k = 0; k < 42; k++) {
    const delta = { content: words[k % words.length] };
    const chunk = { id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta }] };
    body += `data: ${JSON.stringify(chunk)}\n\n`;
  }
  return body + "data: [DONE]\n\n";
}

/** An HTTP/1.1 server that writes `body` as chunks of 1 to 5 bytes, each its own write. */
function tinyWriter(body: Uint8Array): { port: number; close: () => Promise<void> } {
  const enc = new TextEncoder();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Promise<void>[] = [];
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.push((async () => {
        await conn.read(new Uint8Array(1 << 16));
        conn.setNoDelay(true);
        await conn.write(enc.encode(
          "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n" +
            "transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        ));
        let seed = 7;
        for (let i = 0; i < body.length;) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const part = body.subarray(i, i + 1 + (seed % 5));
          i += part.length;
          await conn.write(enc.encode(`${part.length.toString(16)}\r\n`));
          await conn.write(part);
          await conn.write(enc.encode("\r\n"));
        }
        await conn.write(enc.encode("0\r\n\r\n"));
        conn.close();
      })());
    }
  })();
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    port,
    close: async () => {
      listener.close();
      await accepting.catch(() => {});
      await Promise.all(conns);
    },
  };
}

Deno.test("a streamed reply over a socket in tiny writes leaves as the same bytes from a JS stream do", async () => {
  const body = reply();
  const bytes = new TextEncoder().encode(body);
  const server = tinyWriter(bytes);
  let socket = true;
  const r = await rig({}, {}, async (req) => {
    await req.body?.cancel();
    if (!socket) return scripted([body], "text/event-stream");
    return fetch(`http://127.0.0.1:${server.port}/`, { method: "POST", body: "{}" });
  });
  try {
    const call = async () =>
      await (await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] }))
        .text();
    const viaSocket = await call();
    socket = false;
    const viaJs = await call();
    assert(!viaSocket.includes(S), viaSocket);
    assert(viaSocket.includes("한국어 ") && viaSocket.includes("😀 "), viaSocket);
    assertEquals(viaSocket, viaJs);
  } finally {
    await r.close();
    await server.close();
  }
});
