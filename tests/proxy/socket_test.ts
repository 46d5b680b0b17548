// Real sockets on port 0: the gateway served by the Deno adapter in front of the mock upstream
// served the same way.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { startGateway } from "../../src/proxy/open.ts";
import { serveHttp } from "../../src/runtime/serve.ts";
import { createJsonArraySplitter } from "../../src/stream/json_array.ts";
import { EMAIL, testConfig } from "./_setup.ts";

async function withSockets(fn: (url: string, port: number) => Promise<void>): Promise<void> {
  const up = createMockUpstream({ chunkSize: 3 });
  const upServer = await serveHttp(up.fetch, { hostname: "127.0.0.1", port: 0 });
  const { config, dir } = await testConfig();
  const gw = await startGateway(config, { port: 0, upstream: `http://127.0.0.1:${upServer.port}` });
  try {
    await fn(gw.url, gw.port);
    assert(up.requests.every((r) => !r.body.includes(EMAIL)));
  } finally {
    await gw.close();
    await upServer.close();
    await Deno.remove(dir, { recursive: true });
  }
}

// The wait bounds a stalled reply only; a loaded CI machine can take seconds to answer.
async function raw(port: number, text: string, wait = 15_000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(text));
  const buf = new Uint8Array(65536);
  let out = "";
  const deadline = Date.now() + wait;
  while (Date.now() < deadline) {
    const n = await Promise.race([
      conn.read(buf),
      new Promise<null>((r) => setTimeout(() => r(null), 200)),
    ]);
    if (n === null) {
      if (out !== "") break;
      continue;
    }
    out += new TextDecoder().decode(buf.subarray(0, n));
    if (out.includes("\r\n\r\n")) break;
  }
  conn.close();
  return out;
}

Deno.test("a streamed Anthropic request over real sockets comes back restored", async () => {
  await withSockets(async (url) => {
    const res = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        max_tokens: 5,
        stream: true,
        messages: [{ role: "user", content: `mail ${EMAIL}` }],
      }),
    });
    const text = await res.text();
    assertStringIncludes(text, "event: message_stop");
    assertStringIncludes(text, "jane.roe@ex");
  });
});

Deno.test("an absolute-form request line still goes to the configured upstream", async () => {
  await withSockets(async (_url, port) => {
    const body = JSON.stringify({
      model: "m",
      stream: false,
      messages: [{ role: "user", content: "hi" }],
    });
    const out = await raw(
      port,
      `POST http://evil.example/api/chat HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    assertStringIncludes(out, "HTTP/1.1 200");
  });
});

Deno.test("a slowloris client holding a half-sent header does not stall other callers", async () => {
  await withSockets(async (url, port) => {
    const slow = await Deno.connect({ hostname: "127.0.0.1", port });
    await slow.write(
      new TextEncoder().encode("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: "),
    );
    const res = await fetch(`${url}/__haechi/live`);
    assertEquals(res.status, 200);
    await res.body?.cancel();
    slow.close();
  });
});

Deno.test("the JSON array splitter yields the same elements at every split point", () => {
  const text = '[{"a":"x,]}\\"{"}\r\n,{"b":[1,{"c":2}]}\n]';
  for (let i = 0; i <= text.length; i++) {
    const s = createJsonArraySplitter();
    const out = [...s.push(text.slice(0, i)), ...s.push(text.slice(i)), ...s.flush()];
    assertEquals(out, ['{"a":"x,]}\\"{"}', '{"b":[1,{"c":2}]}'], `split at ${i}`);
  }
});
