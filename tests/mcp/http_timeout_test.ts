// The MCP HTTP target against a real MCP server on loopback that stalls: the upstream
// timeout bounds the headers and a JSON reply's whole body.
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createMcpHttpHandler } from "../../src/mcp/mod.ts";

async function withStallingServer(
  reply: (release: Promise<void>) => Response | Promise<Response>,
  fn: (handler: (req: Request) => Promise<Response>) => Promise<void>,
): Promise<void> {
  let release = () => {};
  const released = new Promise<void>((r) => release = r);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.text();
    return await reply(released);
  });
  const handler = createMcpHttpHandler({
    protector: createProtector(DEFAULT_CONFIG),
    audit: { record: () => Promise.resolve() },
    upstream: `http://127.0.0.1:${server.addr.port}/mcp`,
    timeoutMs: 300,
  });
  try {
    await fn(handler);
  } finally {
    release();
    await server.shutdown();
  }
}

const call = () =>
  new Request("http://haechi.local/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
  });

Deno.test("an MCP server that never answers gets 504 after the upstream timeout", async () => {
  await withStallingServer(async (released) => {
    await released;
    return Response.json({ jsonrpc: "2.0", id: 1, result: {} });
  }, async (handler) => {
    const res = await handler(call());
    assertEquals(res.status, 504);
    assertStringIncludes(await res.text(), "proxy.upstreamTimeoutMs");
  });
});

Deno.test("an MCP JSON reply that stalls after its first bytes gets 504", async () => {
  await withStallingServer((released) => {
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"result":'));
        await released;
        c.close();
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  }, async (handler) => {
    const res = await handler(call());
    assertEquals(res.status, 504);
    assertStringIncludes(await res.text(), "did not answer");
  });
});
