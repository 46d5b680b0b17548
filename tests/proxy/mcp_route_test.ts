// The gateway's MCP endpoint runs the LLM routes' own steps: the request id, one request-log
// line, 401 before the body, the caller's rate budget, and refusals audited, all answered in
// JSON-RPC shape.
import { assert, assertEquals } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import type { AuditInput } from "../../src/audit/mod.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createGateway } from "../../src/proxy/gateway.ts";
import { startGateway } from "../../src/proxy/open.ts";
import { createMemoryRateLimiter } from "../../src/proxy/middleware/rate_limit.ts";
import { formatRequestLog, type RequestLogEntry } from "../../src/proxy/middleware/request_log.ts";
import { EMAIL, testConfig } from "./_setup.ts";

const CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: { name: "search", arguments: { q: `mail ${EMAIL}` } },
});

Deno.test("an MCP request over HTTP gets its x-request-id back and makes one request-log line carrying it", async () => {
  const seenByServer: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      seenByServer.push(await req.text());
      return Response.json({ jsonrpc: "2.0", id: 7, result: { content: [] } });
    },
  );
  const { config, dir } = await testConfig({
    proxy: { ...DEFAULT_CONFIG.proxy, upstream: "", host: "127.0.0.1" },
  });
  const entries: RequestLogEntry[] = [];
  const gw = await startGateway(config, {
    port: 0,
    mcpUpstream: `http://127.0.0.1:${server.addr.port}/mcp`,
    requestLog: (e) => entries.push(e),
  });
  try {
    const res = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "x-request-id": "mcp-req-9",
      },
      body: CALL,
    });
    assertEquals(res.status, 200);
    assertEquals((await res.json()).id, 7);
    assertEquals(res.headers.get("x-haechi-request-id"), "mcp-req-9");
    assertEquals(seenByServer.length, 1);
    assert(!seenByServer[0].includes(EMAIL), "the argument was protected");
    assertEquals(entries.length, 1, "one line per MCP HTTP request");
    const line = formatRequestLog(entries[0], "json");
    assert(line.indexOf("\n") === line.length - 1, "one line");
    assert(!line.includes(EMAIL), `a value was logged: ${line}`);
    const logged = JSON.parse(line);
    assertEquals(
      {
        id: logged.correlationId,
        method: logged.method,
        route: logged.route,
        status: logged.status,
        rpc: logged.rpcMethod,
        tool: logged.tool,
      },
      {
        id: "mcp-req-9",
        method: "POST",
        route: "mcp",
        status: 200,
        rpc: "tools/call",
        tool: "search",
      },
    );
    assertEquals(typeof logged.durationMs, "number");
  } finally {
    await gw.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

function mcpGateway(overrides: {
  authenticate: (r: Request) => Promise<{ subject: string; identity: string } | null>;
  requestsPerMinute?: number;
}) {
  const config: HaechiConfig = {
    ...DEFAULT_CONFIG,
    audit: { ...DEFAULT_CONFIG.audit, enabled: false },
    policy: {
      ...DEFAULT_CONFIG.policy,
      rate: {
        ...DEFAULT_CONFIG.policy.rate,
        requestsPerMinute: overrides.requestsPerMinute ?? 0,
      },
    },
  };
  const audited: AuditInput[] = [];
  const entries: RequestLogEntry[] = [];
  let served = 0;
  const gw = createGateway({
    config,
    protector: createProtector(config),
    upstream: "",
    audit: {
      record: (i) => {
        audited.push(i);
        return Promise.resolve();
      },
    },
    rateLimiter: createMemoryRateLimiter(() => 0),
    authenticate: overrides.authenticate,
    requestLog: (e) => entries.push(e),
    mcp: {
      path: "/mcp",
      handler: async (req) => {
        served++;
        await req.text();
        return Response.json({ jsonrpc: "2.0", id: 7, result: {} });
      },
    },
  });
  return { gw, audited, entries, served: () => served };
}

Deno.test("a missing bearer token on /mcp is 401 in JSON-RPC shape before the body is read", async () => {
  const { gw, audited, entries, served } = mcpGateway({
    authenticate: (req) =>
      Promise.resolve(
        req.headers.get("authorization") === "Bearer good"
          ? { subject: "s", identity: "a".repeat(32) }
          : null,
      ),
  });
  let pulled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled = true;
      c.enqueue(new TextEncoder().encode(CALL));
      c.close();
    },
  }, { highWaterMark: 0 });
  try {
    const res = await gw.fetch(
      new Request("http://gw.test/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "no-token-1" },
        body,
      }),
    );
    assertEquals(res.status, 401);
    const json = await res.json();
    assertEquals([json.jsonrpc, json.id, json.error.code], ["2.0", null, -32000]);
    assertEquals(res.headers.get("x-haechi-request-id"), "no-token-1");
    assertEquals(pulled, false, "the body was not read");
    assertEquals(served(), 0);
    assertEquals(audited.length, 1);
    assertEquals(
      [audited[0].outcome, audited[0].correlationId, audited[0].details?.route],
      ["refused", "no-token-1", "mcp"],
    );
    assertEquals(
      entries.map((e) => [e.route, e.status, e.decision]),
      [["mcp", 401, "auth_denied"]],
    );
  } finally {
    await gw.close();
  }
});

Deno.test("a rate-limited MCP caller gets 429 with Retry-After in JSON-RPC shape and an audit record", async () => {
  const { gw, audited, entries, served } = mcpGateway({
    authenticate: () => Promise.resolve({ subject: "s", identity: "b".repeat(32) }),
    requestsPerMinute: 1,
  });
  const post = () =>
    gw.fetch(
      new Request("http://gw.test/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer x" },
        body: CALL,
      }),
    );
  try {
    const first = await post();
    assertEquals(first.status, 200);
    await first.body?.cancel();
    const limited = await post();
    assertEquals(limited.status, 429);
    assert(Number(limited.headers.get("retry-after")) >= 1);
    const json = await limited.json();
    assertEquals([json.jsonrpc, json.id, json.error.code], ["2.0", null, -32000]);
    assertEquals(served(), 1);
    const refused = audited.filter((a) => a.outcome === "refused");
    assertEquals(refused.length, 1);
    assertEquals(refused[0].details?.code, "proxy.rate_limited");
    assertEquals(refused[0].details?.status, 429);
    assertEquals(refused[0].details?.identity, "b".repeat(32));
    assertEquals(entries.map((e) => e.status), [200, 429]);
  } finally {
    await gw.close();
  }
});
