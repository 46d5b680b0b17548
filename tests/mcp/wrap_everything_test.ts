// End to end: the official SDK client talks to @modelcontextprotocol/server-everything
// through `haechi mcp-wrap` over stdio.
// deno-lint-ignore no-import-prefix -- test-only npm dependency, pinned
import { Client } from "npm:@modelcontextprotocol/sdk@1.32.2/client/index.js";
// deno-lint-ignore no-import-prefix -- test-only npm dependency, pinned
import { StdioClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/stdio.js";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "../cli/_env.ts";
import { verifyAuditLog } from "../../src/audit/mod.ts";
import { denoServer, EVERYTHING, wrapArgs } from "./_servers.ts";

const GITHUB_TOKEN = "ghp_R8cQ2pXv7LmN4tYw9ZsK3bJ6hF1dG5eA0uIo";

async function connect(config: string, extra: string[] = []) {
  const transport = new StdioClientTransport({
    command: "deno",
    args: wrapArgs(config, denoServer(EVERYTHING, "stdio"), extra),
    stderr: "pipe",
  });
  const client = new Client({ name: "haechi-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

function auditKinds(text: string): Record<string, unknown>[] {
  return text.trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("server-everything works through mcp-wrap and a secret in tool arguments never reaches the server", async () => {
  const env = await tempEnv();
  try {
    const { client } = await connect(env.config);
    const tools = await client.listTools();
    assert(tools.tools.some((t: { name: string }) => t.name === "echo"), "echo is listed");
    const echoed = await client.callTool({
      name: "echo",
      arguments: { message: `deploy with ${GITHUB_TOKEN} please` },
    });
    const text = JSON.stringify(echoed);
    assert(!text.includes(GITHUB_TOKEN), "the token was redacted on the way in");
    assertStringIncludes(text, "[REDACTED:github_token]");
    const sum = await client.callTool({ name: "get-sum", arguments: { a: 2, b: 3 } });
    assertStringIncludes(JSON.stringify(sum), "5");

    const prompts = await client.listPrompts();
    assert(prompts.prompts.length > 0, "prompts are listed");
    const simple = prompts.prompts.find((p: { arguments?: unknown[] }) =>
      (p.arguments ?? []).length === 0
    )!;
    const got = await client.getPrompt({ name: simple.name, arguments: {} });
    assert(got.messages.length > 0, "a prompt is returned");

    const resources = await client.listResources();
    assert(resources.resources.length > 0, "resources are listed");
    const read = await client.readResource({ uri: resources.resources[0].uri });
    assert(read.contents.length > 0, "a resource is read");
    await client.ping();
    await client.setLoggingLevel("debug");
    await client.close();

    const verified = await verifyAuditLog({ path: env.auditPath });
    assert(verified.ok, "the audit chain verifies");
    const log = await Deno.readTextFile(env.auditPath);
    assert(!log.includes(GITHUB_TOKEN), "the audit log holds no value");
    const events = auditKinds(log).filter((e) => e.kind === "mcp.message");
    const methods = new Set(events.map((e) => (e.details as Record<string, unknown>)?.method));
    for (const m of ["initialize", "notifications/initialized", "tools/list", "tools/call"]) {
      assert(methods.has(m), `${m} was audited`);
    }
    assert(
      events.some((e) =>
        e.outcome === "redacted" && (e.details as Record<string, unknown>).tool === "echo"
      ),
      "the redacted tool call was audited with its tool name",
    );
  } finally {
    await env.cleanup();
  }
});

Deno.test("a method the policy denies gets a JSON-RPC error while the rest of the session goes on", async () => {
  const env = await tempEnv({ mcp: { methods: { allow: ["*"], deny: ["prompts/*"] } } });
  try {
    const { client } = await connect(env.config);
    let message = "";
    try {
      await client.listPrompts();
    } catch (e) {
      message = (e as Error).message;
    }
    assertStringIncludes(message, "not allowed by the haechi policy");
    const tools = await client.listTools();
    assert(tools.tools.length > 0, "other methods still work");
    await client.close();
    const log = await Deno.readTextFile(env.auditPath);
    assert(auditKinds(log).some((e) => e.outcome === "denied"), "the denial is audited");
    assertEquals((await verifyAuditLog({ path: env.auditPath })).ok, true);
  } finally {
    await env.cleanup();
  }
});
