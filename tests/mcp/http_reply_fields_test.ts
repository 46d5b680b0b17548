// Issue 9 item 5 for MCP over HTTP: the SSE event name and the response headers (the
// Mcp-Session-Id above all) are values the caller reads, so one holding a secret is dropped,
// whatever the chunk boundaries; clean ones pass unchanged.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createMcpHttpHandler } from "../../src/mcp/mod.ts";

const S = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const protector = createProtector(DEFAULT_CONFIG);

function handler(upstream: () => Response) {
  return createMcpHttpHandler({
    protector,
    audit: { record: () => Promise.resolve() },
    upstream: "http://upstream.invalid/mcp",
    fetch: () => Promise.resolve(upstream()),
  });
}

const call = () =>
  new Request("http://haechi.local/mcp", {
    method: "POST",
    body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}',
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
  });

function chunked(wire: string, size: number, headers: Record<string, string>): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < wire.length; i += size) c.enqueue(enc.encode(wire.slice(i, i + size)));
      c.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", ...headers } });
}

const result = 'data: {"jsonrpc":"2.0","id":1,"result":{"ok":true}}\n\n';

Deno.test("MCP HTTP: an SSE event name holding a secret is dropped at every chunk boundary", async () => {
  const wire = `event: ${S}\n${result}`;
  for (const size of [1, 5, 23, wire.length]) {
    const res = await handler(() => chunked(wire, size, {}))(call());
    const text = await res.text();
    assert(!text.includes(S.slice(4)), `size ${size}: ${text}`);
    assertStringIncludes(text, '"ok":true');
  }
});

Deno.test("MCP HTTP: a plain SSE event name passes unchanged", async () => {
  const res = await handler(() => chunked(`event: message\n${result}`, 7, {}))(call());
  assertStringIncludes(await res.text(), "event: message\n");
});

Deno.test("MCP HTTP: an Mcp-Session-Id holding a secret is not passed back; a plain one is", async () => {
  const bad = await handler(() => chunked(result, 9, { "mcp-session-id": S }))(call());
  assertEquals(bad.headers.get("mcp-session-id"), null);
  await bad.body?.cancel();
  const json = await handler(() =>
    Response.json({ jsonrpc: "2.0", id: 1, result: {} }, {
      headers: { "mcp-session-id": `sess-${S}` },
    })
  )(call());
  assertEquals(json.headers.get("mcp-session-id"), null);
  await json.body?.cancel();
  const id = "3f2b8c1e-9a4d-4e7b-8f21-6c5d0a1b2e3f";
  const good = await handler(() => chunked(result, 9, { "mcp-session-id": id }))(call());
  assertEquals(good.headers.get("mcp-session-id"), id);
  await good.body?.cancel();
});

Deno.test("MCP HTTP: a forwarded response header holding a secret is dropped", async () => {
  const res = await handler(() =>
    Response.json({ jsonrpc: "2.0", id: 1, result: {} }, {
      headers: { "www-authenticate": `Bearer realm="x", error_description="${S}"` },
    })
  )(call());
  assertEquals(res.headers.get("www-authenticate"), null);
  await res.body?.cancel();
});
