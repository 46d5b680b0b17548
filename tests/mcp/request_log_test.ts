// One log line per MCP request (logging.format text|json) for mcp-wrap and mcp-stdio: method,
// tool, how it ended, duration, finding counts by type and ids; never a value.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { createMcpRequestLog, type McpLogEntry } from "../../src/mcp/request_log.ts";
import type { McpDecision } from "../../src/mcp/filter.ts";
import { createTestIO } from "../cli/_io.ts";
import { tempEnv } from "../cli/_env.ts";
import { mcpStdioCommand } from "../../src/cli/mcp_stdio.ts";
import { denoServer } from "./_servers.ts";
import { call, INIT, ROGUE, startRawWrap } from "./_raw.ts";

function jsonLog(pair: boolean) {
  const lines: McpLogEntry[] = [];
  let t = 100;
  const log = createMcpRequestLog({
    write: (l) => void lines.push(JSON.parse(l)),
    format: "json",
    correlationId: "conn-1",
    pair,
    now: () => t,
  });
  const d = (
    from: "client" | "server",
    id: string | number | null,
    outcome: string,
    details: Record<string, string>,
    findings: string[] = [],
  ): McpDecision => ({ from, id, outcome, details, findings: findings.map((type) => ({ type })) });
  return { lines, log, d, tick: (ms: number) => void (t += ms) };
}

Deno.test("a request and its answer make one line with the time between them and both directions' findings", () => {
  const { lines, log, d, tick } = jsonLog(true);
  log.onDecision(
    d("client", 5, "redacted", { type: "request", method: "tools/call", tool: "search" }, [
      "email",
    ]),
  );
  assertEquals(lines.length, 0, "nothing is logged before the answer");
  tick(42);
  log.onDecision(d("server", 5, "redacted", { type: "result" }, ["email", "phone"]));
  assertEquals(lines, [{
    level: "info",
    event: "mcp_request",
    correlationId: "conn-1",
    rpcId: "5",
    from: "client",
    method: "tools/call",
    tool: "search",
    status: "ok",
    durationMs: 42,
    findings: { email: 2, phone: 1 },
  } as unknown as McpLogEntry]);
});

Deno.test("a refused request is logged at once, quiet notifications are not, and an odd id is not written", () => {
  const { lines, log, d } = jsonLog(true);
  log.onDecision(d("client", "x y\n", "denied", { type: "request", method: "sampling/x" }));
  log.onDecision(
    d("server", null, "clean", { type: "notification", method: "notifications/progress" }),
  );
  log.onDecision(d("client", 9, "clean", { type: "request", method: "tools/list" }));
  log.onDecision(d("server", 9, "blocked", { type: "error" }, ["us_ssn"]));
  log.onDecision(d("client", 10, "clean", { type: "request", method: "ping" }));
  log.close();
  assertEquals(lines.map((l) => [l.method, l.status, l.rpcId]), [
    ["sampling/x", "denied", "-"],
    ["tools/list", "blocked", "9"],
    ["ping", "unanswered", "-"],
  ]);
});

Deno.test("mcp-stdio writes a text line per message on stderr after the reply it caused", async () => {
  const env = await tempEnv({ logging: { format: "text" } });
  try {
    const stdin = [
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup","arguments":{"q":"bob@acme-corp.com"}}}',
      '{"jsonrpc":"2.0","id":3,"method":7}',
    ].join("\n") + "\n";
    const t = createTestIO({ stdin });
    await mcpStdioCommand.run(["--direction", "request", "--config", env.config], t.io);
    const err = t.stderr().trim().split("\n");
    assertEquals(err.length, 3, t.stderr());
    assert(
      /^MCP tools\/call tool=lookup sent [\d.]+ms findings=email=1 id=\S+ rpc=1$/.test(err[0]),
      err[0],
    );
    assertEquals(JSON.parse(err[1]).id, 3);
    assert(/^MCP - invalid [\d.]+ms findings=0 id=\S+ rpc=3$/.test(err[2]), err[2]);
    assert(!t.stderr().includes("bob@acme-corp.com"));
  } finally {
    await env.cleanup();
  }
});

Deno.test("mcp-wrap logs each answered request as one JSON line on stderr, without values", async () => {
  const env = await tempEnv({ logging: { format: "json" } });
  try {
    const w = startRawWrap(env.config, denoServer(ROGUE));
    await w.send(INIT);
    await w.next();
    await w.send(call(1, "lookup"));
    await w.next();
    await w.close();
    const lines = (await w.stderr()).split("\n").filter((l) => l.includes('"mcp_request"'))
      .map((l) => JSON.parse(l));
    assertEquals(lines.map((l) => [l.method, l.tool, l.status, l.rpcId]), [
      ["initialize", null, "ok", "0"],
      ["tools/call", "lookup", "error", "1"],
    ]);
    assert(lines[1].findings.email >= 1, JSON.stringify(lines[1]));
    assert(typeof lines[1].durationMs === "number");
    assertStringIncludes(JSON.stringify(lines), lines[0].correlationId);
    assert(!(await w.stderr()).includes("jane.doe@acme-corp.com"));
  } finally {
    await env.cleanup();
  }
});

Deno.test("integer ids are written as their digits, word ids as they are, anything else as -", () => {
  const { lines, log, d } = jsonLog(false);
  const ids = [0, -3, 9007199254740991, "call-7.b:2", "x".repeat(65), "a b", "", "ü"];
  for (const id of ids) log.onDecision(d("client", id, "clean", { type: "request", method: "m" }));
  assertEquals(lines.map((l) => l.rpcId), [
    "0",
    "-3",
    "9007199254740991",
    "call-7.b:2",
    "-",
    "-",
    "-",
    "-",
  ]);
  assertEquals(lines.map((l) => l.findings), ids.map(() => ({})));
});
