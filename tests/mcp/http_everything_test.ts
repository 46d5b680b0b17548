// End to end over Streamable HTTP: the SDK client → haechi's gateway with its mcp target
// (proxy.mcpUpstream, served on 127.0.0.1) → @modelcontextprotocol/server-everything in
// streamableHttp mode.
// deno-lint-ignore no-import-prefix -- test-only npm dependency, pinned
import { Client } from "npm:@modelcontextprotocol/sdk@1.32.2/client/index.js";
// deno-lint-ignore no-import-prefix -- test-only npm dependency, pinned
import { StreamableHTTPClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/streamableHttp.js";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "../cli/_env.ts";
import { loadConfig } from "../../src/config/mod.ts";
import { verifyAuditLog } from "../../src/audit/mod.ts";
import { startGateway } from "../../src/proxy/open.ts";
import { EVERYTHING } from "./_servers.ts";

const GITHUB_TOKEN = "ghp_R8cQ2pXv7LmN4tYw9ZsK3bJ6hF1dG5eA0uIo";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function startEverything(): Promise<{ url: URL; stop: () => Promise<void> }> {
  const port = freePort();
  const child = new Deno.Command("deno", {
    args: ["run", "-A", "--quiet", EVERYTHING, "streamableHttp"],
    env: { PORT: String(port) },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("listening on port")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("server-everything exited before listening");
    seen += value;
  }
  // Keep draining so the child never blocks on a full pipe.
  const drain = (async () => {
    while (!(await reader.read()).done) { /* drop */ }
  })();
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    async stop() {
      child.kill("SIGINT");
      await child.status;
      await drain.catch(() => {});
    },
  };
}

Deno.test("server-everything over Streamable HTTP works through the gateway's mcp target with protection both ways", async () => {
  const env = await tempEnv();
  const upstream = await startEverything();
  const config = await loadConfig({ path: env.config, env: {} });
  const gateway = await startGateway(config, { port: 0, mcpUpstream: upstream.url.href });
  try {
    const transport = new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`));
    const client = new Client({ name: "haechi-test", version: "1.0.0" });
    await client.connect(transport);
    assert(transport.sessionId !== undefined, "Mcp-Session-Id came back through the handler");

    const tools = await client.listTools();
    assert(tools.tools.some((t: { name: string }) => t.name === "echo"));
    const echoed = await client.callTool({
      name: "echo",
      arguments: { message: `use ${GITHUB_TOKEN} and mail jane.doe@acme-corp.com` },
    });
    const text = JSON.stringify(echoed);
    assert(!text.includes(GITHUB_TOKEN) && !text.includes("jane.doe@acme-corp.com"));
    assertStringIncludes(text, "[REDACTED:github_token]");
    assertStringIncludes(text, "[TOKEN:email:");

    // Progress notifications arrive on the POST's event stream.
    const progress: number[] = [];
    await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p: { progress: number }) => progress.push(p.progress) },
    );
    assert(progress.length >= 1, "progress notifications were relayed");
    await client.ping();
    await transport.terminateSession();
    await client.close();
  } finally {
    await gateway.close();
    await upstream.stop();
  }
  try {
    const verified = await verifyAuditLog({ path: env.auditPath });
    assertEquals(verified.ok, true);
    const log = await Deno.readTextFile(env.auditPath);
    assert(!log.includes(GITHUB_TOKEN));
    assertStringIncludes(log, '"method":"tools/call"');
  } finally {
    await env.cleanup();
  }
});
