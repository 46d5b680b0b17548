// The HTTP handler in-process, with a stand-in upstream.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import type { AuditInput } from "../../src/audit/mod.ts";
import { createMcpHttpHandler } from "../../src/mcp/mod.ts";

const config = {
  ...DEFAULT_CONFIG,
  policy: {
    ...DEFAULT_CONFIG.policy,
    actions: { email: "redact" as const, phone: "redact" as const },
  },
};
const protector = createProtector(config);

function setup(upstream: (req: Request) => Response | Promise<Response>) {
  const events: AuditInput[] = [];
  const seen: string[] = [];
  const handler = createMcpHttpHandler({
    protector,
    audit: { record: (e) => (events.push(e), Promise.resolve()) },
    upstream: "http://upstream.invalid/mcp",
    fetch: async (_url, init) => {
      const req = new Request("http://upstream.invalid/mcp", init);
      if (init?.body) seen.push(String(init.body));
      return await upstream(req);
    },
  });
  return { handler, events, seen };
}

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://haechi.local/mcp", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
  });

Deno.test("a JSON error response carrying PII is scrubbed and the session id passes back", async () => {
  const { handler } = setup(() =>
    Response.json({
      jsonrpc: "2.0",
      id: 1,
      error: {
        code: -32000,
        message: "No orders for jane.doe@acme-corp.com",
        data: "+1 415 555 0132",
      },
    }, { headers: { "mcp-session-id": "s-123", "content-length": "999" } })
  );
  const res = await handler(
    post('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}'),
  );
  assertEquals(res.headers.get("mcp-session-id"), "s-123");
  const text = await res.text();
  assert(!text.includes("jane.doe@acme-corp.com") && !text.includes("415 555"));
  assertStringIncludes(text, "[REDACTED:email]");
});

Deno.test("an SSE response is protected event by event whatever the chunk boundaries", async () => {
  const wire = 'id: e1\nevent: message\ndata: {"jsonrpc":"2.0","method":"notifications/message",' +
    '"params":{"level":"info","data":"mail jane.doe@acme-corp.com"}}\n\n: keep-alive secret\n\n' +
    'data: {"jsonrpc":"2.0","id":2,"result":{"ok":"call +1 415 555 0132"}}\r\n\r\n';
  for (const size of [1, 7, 64, wire.length]) {
    const { handler } = setup(() => {
      const chunks: string[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.slice(i, i + size));
      const body = new ReadableStream({
        start(c) {
          for (const ch of chunks) c.enqueue(new TextEncoder().encode(ch));
          c.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const res = await handler(
      post('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"x"}}'),
    );
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    const text = await res.text();
    assert(
      !text.includes("jane.doe") && !text.includes("415 555") && !text.includes("secret"),
      `size ${size}`,
    );
    assertStringIncludes(text, "id: e1\n");
    assertStringIncludes(text, '"id":2');
  }
});

Deno.test("a client notification is answered 202 and a denied request never goes upstream", async () => {
  const { handler, seen } = setup(() => new Response(null, { status: 202 }));
  const res = await handler(post('{"jsonrpc":"2.0","method":"notifications/initialized"}'));
  assertEquals(res.status, 202);
  const denyHandler = createMcpHttpHandler({
    protector,
    audit: { record: () => Promise.resolve() },
    mcp: { ...DEFAULT_CONFIG.mcp, methods: { allow: ["*"], deny: ["tools/call"] } },
    upstream: "http://upstream.invalid/mcp",
    fetch: () => Promise.reject(new Error("must not be called")),
  });
  const denied = await denyHandler(post('{"jsonrpc":"2.0","id":4,"method":"tools/call"}'));
  assertEquals(denied.status, 200);
  assertEquals((await denied.json()).error.code, -32601);
  assertEquals(seen.length, 1, "only the notification went upstream");
});

Deno.test("malformed bodies, batches, bad headers and oversized bodies get JSON-RPC errors", async () => {
  const { handler, seen } = setup(() => Response.json({}));
  let res = await handler(post("not json"));
  assertEquals([res.status, (await res.json()).error.code], [400, -32700]);
  res = await handler(post('[{"jsonrpc":"2.0","id":1,"method":"ping"}]'));
  assertEquals((await res.json()).error.code, -32600);
  res = await handler(
    post('{"jsonrpc":"2.0","id":1,"method":"ping"}', { "mcp-protocol-version": "latest" }),
  );
  assertEquals(res.status, 400);
  res = await handler(post("x".repeat(DEFAULT_CONFIG.mcp.maxLineBytes + 1)));
  assertEquals(res.status, 413);
  res = await handler(new Request("http://haechi.local/mcp", { method: "PUT" }));
  assertEquals(res.status, 405);
  await res.body?.cancel();
  assertEquals(seen.length, 0, "nothing went upstream");
});

Deno.test("a redirect from the MCP server is refused with 502, not followed", async () => {
  let reached = 0;
  const elsewhere = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    reached++;
    return Response.json({ jsonrpc: "2.0", id: 1, result: {} });
  });
  const redirecting = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(null, {
        status: 307,
        headers: { location: `http://127.0.0.1:${elsewhere.addr.port}/mcp` },
      }),
  );
  try {
    const handler = createMcpHttpHandler({
      protector,
      audit: { record: () => Promise.resolve() },
      upstream: `http://127.0.0.1:${redirecting.addr.port}/mcp`,
    });
    const res = await handler(post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" })));
    assertEquals(res.status, 502);
    assertStringIncludes((await res.json()).error.message, "redirect (307)");
    assertEquals(reached, 0, "the redirect target was never contacted");
  } finally {
    await redirecting.shutdown();
    await elsewhere.shutdown();
  }
});

Deno.test("a server answering in an SSE event with a JSON-RPC batch: the client gets an error for the id", async () => {
  const batch = JSON.stringify([{ jsonrpc: "2.0", id: 5, result: { content: [] } }]);
  const { handler } = setup(() =>
    new Response(`event: message\ndata: ${batch}\n\n`, {
      headers: { "content-type": "text/event-stream" },
    })
  );
  const res = await handler(post(JSON.stringify({ jsonrpc: "2.0", id: 5, method: "ping" })));
  const text = await res.text();
  const data = text.split("\n").filter((l) => l.startsWith("data: ")).map((l) =>
    JSON.parse(l.slice(6))
  );
  assertEquals(data.length, 1, text);
  assertEquals([data[0].id, data[0].error.code], [5, -32603]);
});
