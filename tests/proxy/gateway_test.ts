// Gateway boundaries: limits, hostile input, header policy, upstream safety, load, aborts,
// odd upstream replies, health and metrics.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../assert.ts";
import { checkUpstreamUrl } from "../../src/proxy/upstream_url.ts";
import { EMAIL, GITHUB, rig } from "./_setup.ts";

const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "m",
  messages: [{ role: "user", content }],
  ...extra,
});

Deno.test("an oversized chunked body is refused with 413 and never reaches the upstream", async () => {
  const r = await rig({ limits: { maxBytes: 1024 } });
  try {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        if (pulled > 100) return c.close();
        c.enqueue(new Uint8Array(512).fill(32));
      },
    });
    const res = await r.call("/v1/chat/completions", body, { duplex: "half" } as RequestInit);
    assertEquals(res.status, 413);
    assertEquals((await res.json()).error.code, "payload.too_large");
    assert(pulled < 10, `read ${pulled} chunks`);
    assertEquals(r.up.requests.length, 0);
  } finally {
    await r.close();
  }
});

Deno.test("a request with more findings than limits.maxFindings is refused with 413 before anything is tokenized", async () => {
  const r = await rig({ limits: { maxFindings: 50 } });
  try {
    const many = Array.from({ length: 51 }, (_, i) => `user${i}@acme-corp.com`).join(" ");
    const res = await r.call("/v1/chat/completions", JSON.stringify(chat(many)));
    assertEquals(res.status, 413);
    const body = await res.json();
    assertEquals(body.error.code, "payload.too_many_findings");
    assertStringIncludes(body.error.message, "limits.maxFindings");
    assertEquals(r.up.requests.length, 0);
    const fine = await r.call("/v1/chat/completions", JSON.stringify(chat(EMAIL)));
    assertEquals(fine.status, 200);
    await fine.body?.cancel();
  } finally {
    await r.close();
  }
});

Deno.test("a declared Content-Length over the limit is refused in the protocol's shape", async () => {
  const r = await rig({ limits: { maxBytes: 64 } });
  try {
    const res = await r.call("/v1/messages", JSON.stringify(chat("x".repeat(200))));
    assertEquals(res.status, 413);
    const body = await res.json();
    assertEquals(body.type, "error");
    assertEquals(body.error.type, "request_too_large");
  } finally {
    await r.close();
  }
});

Deno.test("deep JSON, malformed JSON and bad UTF-8 get 400 in each protocol's shape", async () => {
  const r = await rig({ limits: { maxDepth: 8 } });
  try {
    const deep = "[".repeat(50) + "]".repeat(50);
    const res1 = await r.call("/v1/chat/completions", `{"model":"m","messages":${deep}}`);
    assertEquals(res1.status, 400);
    assertEquals((await res1.json()).error.code, "payload.too_deep");
    const res2 = await r.call("/api/chat", "{not json");
    assertEquals(res2.status, 400);
    assertEquals(typeof (await res2.json()).error, "string");
    const res3 = await r.call(
      "/v1beta/models/g:generateContent",
      new Uint8Array([0x7b, 0xff, 0x7d]),
    );
    assertEquals(res3.status, 400);
    assertEquals((await res3.json()).error.status, "INVALID_ARGUMENT");
    assertEquals(r.up.requests.length, 0);
  } finally {
    await r.close();
  }
});

Deno.test("a blocked finding gets 403 and nothing is forwarded", async () => {
  const r = await rig({ policy: { actions: { email: "block" } } });
  try {
    const res = await r.call("/v1/chat/completions", chat(`to ${EMAIL}`));
    assertEquals(res.status, 403);
    const text = await res.text();
    assert(!text.includes(EMAIL));
    assertEquals(r.up.requests.length, 0);
  } finally {
    await r.close();
  }
});

Deno.test("unknown routes are refused by default and forwarded with request protection when allowed", async () => {
  const r = await rig();
  try {
    const res = await r.call("/v2/whatever", { q: EMAIL });
    assertEquals(res.status, 404);
    assertEquals((await res.json()).error.code, "proxy.route_unknown");
  } finally {
    await r.close();
  }
  const r2 = await rig({ proxy: { allowUnknownRoutes: true } });
  try {
    const res = await r2.call("/v2/whatever", { q: EMAIL });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    assert(!r2.up.requests[0].body.includes(EMAIL));
  } finally {
    await r2.close();
  }
});

Deno.test("hop-by-hop headers and caller credentials are not forwarded; upstream auth comes from env", async () => {
  const r = await rig({
    proxy: { upstreamAuthHeader: "authorization", upstreamAuthEnv: "UP_KEY" },
  });
  try {
    const res = await r.call("/v1/chat/completions", chat("hi"), {
      headers: {
        "content-type": "application/json",
        authorization: "Bearer caller-gateway-token",
        "x-api-key": "caller-key",
        connection: "keep-alive, x-secret-hop",
        "x-secret-hop": "1",
        "keep-alive": "timeout=5",
        "proxy-authorization": "Basic abc",
        te: "trailers",
        upgrade: "h2c",
        "x-forwarded-for": "10.1.2.3",
        "x-custom": "dropped",
        "anthropic-version": "2023-06-01",
      },
    });
    await res.body?.cancel();
    const h = r.up.requests[0].headers;
    assertEquals(h.authorization, "Bearer up-secret");
    for (
      const name of [
        "x-api-key",
        "x-secret-hop",
        "keep-alive",
        "proxy-authorization",
        "te",
        "upgrade",
        "x-forwarded-for",
        "x-custom",
      ]
    ) {
      assertEquals(h[name], undefined, name);
    }
    assertEquals(h["anthropic-version"], "2023-06-01");
    assertEquals(res.headers.get("set-cookie"), null);
    assertEquals(res.headers.get("server"), null);
    assertEquals(res.headers.get("x-request-id"), "req_mock");
  } finally {
    await r.close();
  }
});

Deno.test("an absolute-form request target cannot redirect the request away from the upstream", async () => {
  const seen: string[] = [];
  const r = await rig({}, {}, (req) => {
    seen.push(req.url);
    return Promise.resolve(Response.json({ choices: [] }));
  });
  try {
    const res = await r.gw.gateway.fetch(
      new Request("http://evil.example:9999/v1/chat/completions?api-version=1", {
        method: "POST",
        headers: { host: "evil.example" },
        body: JSON.stringify(chat("hi")),
      }),
    );
    await res.body?.cancel();
    assertEquals(seen, ["http://upstream.test/v1/chat/completions?api-version=1"]);
  } finally {
    await r.close();
  }
});

Deno.test("upstream URLs at link-local or metadata addresses are refused unless allowed", () => {
  for (
    const url of [
      "http://169.254.169.254/latest",
      "http://0xA9FEA9FE/",
      "http://metadata.google.internal/",
      "http://[fe80::1]/",
      "http://[fd00:ec2::254]/",
      "http://[::ffff:169.254.169.254]/",
      "http://user:pw@127.0.0.1/",
      "file:///etc/passwd",
    ]
  ) {
    assertThrows(() => checkUpstreamUrl(url));
  }
  checkUpstreamUrl("http://127.0.0.1:11434");
  checkUpstreamUrl("http://[::1]:8000");
  checkUpstreamUrl("http://10.0.0.5:8000");
  checkUpstreamUrl("http://169.254.169.254/", { allowHosts: ["169.254.169.254"] });
});

Deno.test("requests past maxInFlight get 503 with Retry-After", async () => {
  const r = await rig({ proxy: { maxInFlight: 1 } }, { delayMs: 50 });
  try {
    const first = await r.call("/v1/chat/completions", chat("hello there", { stream: true }));
    const second = await r.call("/v1/chat/completions", chat("hi"));
    assertEquals(second.status, 503);
    assertEquals(second.headers.get("retry-after"), "1");
    await second.body?.cancel();
    await first.text();
    const third = await r.call("/v1/chat/completions", chat("hi"));
    assertEquals(third.status, 200);
    await third.body?.cancel();
  } finally {
    await r.close();
  }
});

Deno.test("a client that goes away cancels the upstream stream", async () => {
  const r = await rig({}, { delayMs: 20, chunkSize: 1 });
  try {
    const ctrl = new AbortController();
    const res = await r.call(
      "/v1/chat/completions",
      chat("a long enough message to stream", { stream: true }),
      {
        signal: ctrl.signal,
      },
    );
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((ok) => setTimeout(ok, 50));
    assertEquals(r.up.aborted, 1);
    assertEquals(r.gw.gateway.metrics.inFlight, 0);
  } finally {
    await r.close();
  }
});

Deno.test("a gzip upstream is decoded and protected", async () => {
  const r = await rig({}, { gzip: true });
  try {
    const res = await r.call("/v1/chat/completions", chat(`mail ${EMAIL}`, { stream: true }));
    assertEquals(res.headers.get("content-encoding"), null);
    const text = await res.text();
    assertStringIncludes(text, "jane.roe");
    assertStringIncludes(text, "[DONE]");
  } finally {
    await r.close();
  }
});

Deno.test("a non-stream JSON reply to a stream request is still protected", async () => {
  const r = await rig(
    {},
    {},
    () => Promise.resolve(Response.json({ choices: [{ message: { content: `key ${GITHUB}` } }] })),
  );
  try {
    const res = await r.call("/v1/chat/completions", chat("hi", { stream: true }));
    const body = await res.json();
    assertStringIncludes(body.choices[0].message.content, "[REDACTED:");
  } finally {
    await r.close();
  }
});

Deno.test("an unrecognised stream shape fails closed with the protocol's error event", async () => {
  const sse = (text: string) => () =>
    Promise.resolve(new Response(text, { headers: { "content-type": "text/event-stream" } }));
  const r = await rig({}, {}, sse('data: not json at all\n\ndata: {"choices":[]}\n\n'));
  try {
    const res = await r.call("/v1/chat/completions", chat("hi", { stream: true }));
    const text = await res.text();
    assertStringIncludes(text, '"code":"stream.invalid"');
    assert(!text.includes("not json at all"));
  } finally {
    await r.close();
  }
  const r2 = await rig({}, {}, sse("event: weird\ndata: [1,2]\n\n"));
  try {
    const res = await r2.call("/v1/messages", {
      model: "m",
      max_tokens: 1,
      stream: true,
      messages: [],
    });
    const text = await res.text();
    assertStringIncludes(text, "event: error");
    assertStringIncludes(text, '"type":"api_error"');
  } finally {
    await r2.close();
  }
});

Deno.test("an unreachable upstream is a 502 and a slow one a 504, in the protocol's shape", async () => {
  const r = await rig({}, {}, () => Promise.reject(new TypeError("connection refused")));
  try {
    const res = await r.call("/api/chat", chat("hi"));
    assertEquals(res.status, 502);
    assertEquals(typeof (await res.json()).error, "string");
  } finally {
    await r.close();
  }
  const r2 = await rig(
    { proxy: { upstreamTimeoutMs: 100 } },
    {},
    (req) =>
      new Promise((_, reject) =>
        req.signal.addEventListener("abort", () => reject(new Error("aborted")))
      ),
  );
  try {
    const res = await r2.call("/v1beta/models/g:generateContent", { contents: [] });
    assertEquals(res.status, 504);
    assertEquals((await res.json()).error.status, "DEADLINE_EXCEEDED");
  } finally {
    await r2.close();
  }
});

Deno.test("live, ready and metrics answer, and metrics carry no value or identity", async () => {
  const r = await rig();
  try {
    const res = await r.call("/v1/chat/completions", chat(`mail ${EMAIL}`));
    await res.body?.cancel();
    const get = (p: string) => r.gw.gateway.fetch(new Request(`http://gw.test${p}`));
    assertEquals((await get("/__haechi/live")).status, 200);
    assertEquals((await (await get("/__haechi/ready")).json()).status, "ready");
    const m = await (await get("/__haechi/metrics")).text();
    assertStringIncludes(
      m,
      'haechi_proxy_requests_total{protocol="openai",route="chat.completions",status="200"} 1',
    );
    assertStringIncludes(
      m,
      'haechi_proxy_findings_total{direction="request",type="email",action="tokenize"} 1',
    );
    assert(!m.includes("jane"));
  } finally {
    await r.close();
  }
});

Deno.test("every request decision is audited without values", async () => {
  const r = await rig();
  try {
    const res = await r.call("/v1/chat/completions", chat(`mail ${EMAIL}`));
    await res.text();
    await r.gw.close();
    const log = await Deno.readTextFile(`${r.dir}/audit.jsonl`);
    assertStringIncludes(log, '"proxy.request"');
    assertStringIncludes(log, '"proxy.response"');
    assert(!log.includes("jane.roe"));
  } finally {
    await Deno.remove(r.dir, { recursive: true });
  }
});
