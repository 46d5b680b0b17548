// A real upstream on loopback (Deno.serve on port 0, the gateway using the runtime's own
// fetch, nothing injected) that compresses, stalls and breaks its replies.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import zlib from "node:zlib";
import { type StartedGateway, startGateway } from "../../src/proxy/open.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { GITHUB, testConfig } from "./_setup.ts";
import type { ConfigPatch } from "./_setup.ts";

type Upstream = (req: Request, body: Record<string, unknown>) => Response | Promise<Response>;

async function withUpstream(
  handler: Upstream,
  fn: (gw: StartedGateway, seen: Headers[]) => Promise<void>,
  patch: ConfigPatch = {},
): Promise<void> {
  const seen: Headers[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    seen.push(req.headers);
    const body = req.method === "POST" ? await req.json() : {};
    return await handler(req, body);
  });
  const { config, dir } = await testConfig(patch);
  const gw = await startGateway(config, {
    port: 0,
    upstream: `http://127.0.0.1:${server.addr.port}`,
  });
  try {
    await fn(gw, seen);
  } finally {
    await gw.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

const ENCODINGS = ["gzip", "br", "deflate"] as const;

function compress(text: string, encoding: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const out = encoding === "gzip"
    ? zlib.gzipSync(bytes)
    : encoding === "br"
    ? zlib.brotliCompressSync(bytes)
    : zlib.deflateSync(bytes);
  return new Uint8Array(out);
}

// The upstream compresses with the encoding named as the model, whatever the gateway asked
// for: some servers do, and a gateway that honoured no Accept-Encoding must still cope.
const compressing: Upstream = (req, body) => {
  const encoding = String(body.model);
  const path = new URL(req.url).pathname;
  let text: string;
  let type: string;
  if (path === "/api/chat") {
    type = "application/x-ndjson";
    text = [
      { model: "m", message: { role: "assistant", content: "key " }, done: false },
      { model: "m", message: { role: "assistant", content: GITHUB }, done: false },
      { model: "m", message: { role: "assistant", content: "" }, done: true },
    ].map((l) => JSON.stringify(l) + "\n").join("");
  } else if (body.stream === true) {
    type = "text/event-stream";
    text = ["key ", GITHUB].map((c) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: c } }] })}\n\n`
    ).join("") + "data: [DONE]\n\n";
  } else {
    type = "application/json";
    text = JSON.stringify({
      choices: [{ index: 0, message: { role: "assistant", content: `key ${GITHUB}` } }],
    });
  }
  return new Response(compress(text, encoding), {
    headers: { "content-type": type, "content-encoding": encoding },
  });
};

for (const encoding of ENCODINGS) {
  Deno.test(`a ${encoding} JSON, SSE and NDJSON reply from a real server is decoded once and scanned`, async () => {
    await withUpstream(compressing, async (gw, seen) => {
      const messages = [{ role: "user", content: "hi" }];
      const json = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: encoding, messages }),
      });
      const jsonText = await json.text();
      assertEquals(json.status, 200, jsonText);
      const content = JSON.parse(jsonText).choices[0].message.content as string;
      assert(content.startsWith("key "), content);
      assert(!content.includes(GITHUB), "the secret was not redacted");

      const sse = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: encoding, messages, stream: true }),
      });
      const sseText = await sse.text();
      assertEquals(sse.status, 200);
      assertStringIncludes(sseText, "data: [DONE]");
      assertStringIncludes(sseText, "key ");
      assert(!sseText.includes(GITHUB) && !sseText.includes('"error"'), sseText);

      const nd = await fetch(`${gw.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: encoding, messages }),
      });
      const ndText = await nd.text();
      assertEquals(nd.status, 200);
      const lines = ndText.trim().split("\n").map((l) => JSON.parse(l));
      assertEquals(lines.at(-1).done, true);
      assert(!ndText.includes(GITHUB) && !ndText.includes('"error"'), ndText);

      for (const h of seen) assertEquals(h.get("accept-encoding"), "identity");
    });
  });
}

/** A body that sends `first` and then never another byte. */
function stalling(first: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(first));
    },
  });
}

Deno.test("a JSON reply that stalls after its first bytes ends in 504 and frees its in-flight slot", async () => {
  let calls = 0;
  await withUpstream(
    () => {
      calls++;
      return calls === 1
        ? new Response(stalling('{"choices":['), {
          headers: { "content-type": "application/json" },
        })
        : Response.json({ choices: [{ index: 0, message: { role: "assistant", content: "ok" } }] });
    },
    async (gw) => {
      const call = () =>
        fetch(`${gw.url}/v1/chat/completions`, {
          method: "POST",
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
        });
      const stalled = await call();
      const body = await stalled.json();
      assertEquals(stalled.status, 504);
      assertStringIncludes(body.error.message, "did not complete");
      assertEquals(gw.gateway.metrics.inFlight, 0);
      // maxInFlight is 1: the slot is free again.
      const next = await call();
      assertEquals(next.status, 200);
      assertEquals((await next.json()).choices[0].message.content, "ok");
    },
    { proxy: { upstreamTimeoutMs: 300, maxInFlight: 1 } },
  );
});

Deno.test("a stream that keeps trickling past proxy.stream.maxDurationMs ends with an error event", async () => {
  await withUpstream(
    () => {
      let timer: ReturnType<typeof setInterval> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          timer = setInterval(() => {
            const chunk = { choices: [{ index: 0, delta: { content: "word " } }] };
            c.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(chunk)}\n\n`));
          }, 50);
        },
        cancel() {
          clearInterval(timer);
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
    async (gw) => {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({
          model: "m",
          stream: true,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      const text = await res.text();
      assertEquals(res.status, 200);
      assertStringIncludes(text, "word ");
      assertStringIncludes(text, "proxy.timeout");
      assertStringIncludes(text, "proxy.stream.maxDurationMs");
      assertEquals(gw.gateway.metrics.inFlight, 0);
    },
    {
      proxy: {
        upstreamTimeoutMs: 300,
        stream: {
          ...DEFAULT_CONFIG.proxy.stream,
          holdbackChars: 16,
          maxEventBytes: 1 << 20,
          maxDurationMs: 1000,
        },
      },
    },
  );
});

Deno.test("an upstream that breaks its connection mid-stream is reported as a broken connection, not bad UTF-8", async () => {
  await withUpstream(
    () => {
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (n++ === 0) {
            const chunk = { choices: [{ index: 0, delta: { content: "partial " } }] };
            c.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(chunk)}\n\n`));
          } else c.error(new Error("reset"));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
    async (gw) => {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({
          model: "m",
          stream: true,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      const text = await res.text();
      assertStringIncludes(text, "connection broke");
      assert(!text.includes("UTF-8"), text);
    },
  );
});

Deno.test("a JSON reply whose connection breaks mid-body is a 502 naming the upstream, not the caller's request", async () => {
  await withUpstream(
    () => {
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (n++ === 0) c.enqueue(new TextEncoder().encode('{"choices":[{"index":0,'));
          else c.error(new Error("reset"));
        },
      });
      return new Response(body, { headers: { "content-type": "application/json" } });
    },
    async (gw) => {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
      const body = await res.json();
      assertEquals(res.status, 502);
      assertEquals(body.error.code, "proxy.upstream");
      assertStringIncludes(body.error.message, "connection broke");
    },
  );
});
