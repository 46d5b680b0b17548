// MCP tool arguments and request params: numbers are scanned on the way to the server and
// keep their digits when they are not rewritten.
import { assert, assertEquals } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createMcpHttpHandler } from "../../src/mcp/mod.ts";

const CARD = "4111111111111111";

function setup(reply: unknown) {
  const seen: string[] = [];
  const handler = createMcpHttpHandler({
    protector: createProtector(DEFAULT_CONFIG),
    audit: { record: () => Promise.resolve() },
    upstream: "http://upstream.invalid/mcp",
    fetch: (_url, init) => {
      if (init?.body) seen.push(String(init.body));
      const body = typeof reply === "string" ? reply : JSON.stringify(reply);
      return Promise.resolve(
        new Response(body, { headers: { "content-type": "application/json" } }),
      );
    },
  });
  return { handler, seen };
}

const post = (body: string) =>
  new Request("http://haechi.local/mcp", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", accept: "application/json" },
  });

Deno.test("a card number in MCP tool arguments is masked before the server sees it", async () => {
  const { handler, seen } = setup({ jsonrpc: "2.0", id: 1, result: { content: [] } });
  const res = await handler(post(
    `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"pay",` +
      `"arguments":{"card":${CARD},"seed":12345678901234567891,"rate":1e400}}}`,
  ));
  await res.body?.cancel();
  assertEquals(seen.length, 1);
  assert(!seen[0].includes(CARD), seen[0]);
  assert(
    seen[0].includes(
      `"arguments":{"card":"************1111","seed":12345678901234567891,"rate":1e400}`,
    ),
    seen[0],
  );
});

Deno.test("numbers in an MCP server's result keep their digits and stay unscanned by default", async () => {
  const { handler } = setup(
    `{"jsonrpc":"2.0","id":2,"result":{"size":${CARD},"id":12345678901234567891}}`,
  );
  const res = await handler(post('{"jsonrpc":"2.0","id":2,"method":"tools/list"}'));
  const text = await res.text();
  assert(text.includes(`"size":${CARD},"id":12345678901234567891`), text);
});

Deno.test("numbers in an MCP server's streamed (SSE) result keep their digits", async () => {
  const handler = createMcpHttpHandler({
    protector: createProtector(DEFAULT_CONFIG),
    audit: { record: () => Promise.resolve() },
    upstream: "http://upstream.invalid/mcp",
    fetch: () =>
      Promise.resolve(
        new Response(
          `event: message\ndata: {"jsonrpc":"2.0","id":3,"result":` +
            `{"big":12345678901234567891,"huge":1e400,"rate":0.70}}\n\n`,
          { headers: { "content-type": "text/event-stream" } },
        ),
      ),
  });
  const res = await handler(
    new Request("http://haechi.local/mcp", {
      method: "POST",
      body: '{"jsonrpc":"2.0","id":3,"method":"tools/list"}',
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
    }),
  );
  const text = await res.text();
  assert(text.includes(`"big":12345678901234567891,"huge":1e400,"rate":0.70`), text);
});
