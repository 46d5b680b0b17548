// `haechi mcp-stdio` filters one direction; replies for the sender go to stderr.
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { createTestIO } from "../cli/_io.ts";
import { tempEnv } from "../cli/_env.ts";
import { mcpStdioCommand } from "../../src/cli/mcp_stdio.ts";

Deno.test("mcp-stdio --direction response protects results and drops garbage with an audit", async () => {
  const env = await tempEnv();
  try {
    const stdin = [
      '{"jsonrpc":"2.0","id":1,"result":{"text":"token ghp_R8cQ2pXv7LmN4tYw9ZsK3bJ6hF1dG5eA0uIo"}}',
      "garbage",
      '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}',
    ].join("\n") + "\n";
    const t = createTestIO({ stdin });
    const code = await mcpStdioCommand.run(
      ["--direction", "response", "--config", env.config],
      t.io,
    );
    assertEquals(code, 0);
    const out = t.stdout().trim().split("\n");
    assertEquals(out.length, 2);
    assertStringIncludes(out[0], "[REDACTED:github_token]");
    assertStringIncludes(out[1], "notifications/progress");
    assertStringIncludes(await Deno.readTextFile(env.auditPath), '"outcome":"invalid"');
  } finally {
    await env.cleanup();
  }
});

Deno.test("mcp-stdio --direction request sends the error for a malformed request to stderr", async () => {
  const env = await tempEnv();
  try {
    const t = createTestIO({ stdin: '{"jsonrpc":"2.0","id":3,"method":7}\n' });
    await mcpStdioCommand.run(["--direction", "request", "--config", env.config], t.io);
    assertEquals(t.stdout(), "");
    // The reply line first; the request's log line follows it.
    assertEquals(JSON.parse(t.stderr().split("\n")[0]).id, 3);
  } finally {
    await env.cleanup();
  }
});

Deno.test("mcp-stdio with an unknown direction is a usage error", async () => {
  const t = createTestIO();
  assertEquals(await mcpStdioCommand.run(["--direction", "sideways"], t.io), 2);
  assertStringIncludes(t.stderr(), "[usage.invalid]");
  assertEquals(t.stdout(), "");
});
