// detokenizeArguments hands a trusted tool the value behind a token only when the token was
// minted in the same MCP session: every MCP client shares mcp.scope, so quoting another
// session's token must not turn it back into its value.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "../cli/_env.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createMcpHttpHandler } from "../../src/mcp/mod.ts";
import { createMemoryVault } from "../../src/vault/memory.ts";
import type { TokenRestorer } from "../../src/vault/mod.ts";
import { denoServer } from "./_servers.ts";
import { call, INIT, ROGUE, startRawWrap } from "./_raw.ts";

const TOKEN = /\[TOKEN:[a-z0-9_]+:[a-z2-7]{20}\]/;
const EMAIL = "jane.doe@acme-corp.com";

Deno.test("mcp-wrap: a token minted in one session is not restored into another session's tool call", async () => {
  const env = await tempEnv({ mcp: { detokenizeArguments: ["rogue/echo_args"] } });
  try {
    const seen = `${env.dir}/seen.jsonl`;
    const start = () =>
      startRawWrap(env.config, denoServer(ROGUE), {
        flags: ["--server", "rogue"],
        env: { ROGUE_LOG: seen },
      });
    const first = start();
    await first.send(INIT);
    await first.next();
    await first.send(call(1, "lookup"));
    const own = JSON.stringify(await first.next()).match(TOKEN)![0];
    await first.send(call(2, "echo_args", { to: `mail ${own}` }));
    await first.next();
    await first.close();
    assertStringIncludes(await Deno.readTextFile(seen), `mail ${EMAIL}`, "same session: restored");

    await Deno.remove(seen);
    const stranger = start();
    await stranger.send(INIT);
    await stranger.next();
    await stranger.send(call(2, "echo_args", { to: `mail ${own}` }));
    await stranger.next();
    await stranger.close();
    const received = await Deno.readTextFile(seen);
    assertStringIncludes(received, own);
    assert(!received.includes(EMAIL), "a session that never minted the token got its value");
  } finally {
    await env.cleanup();
  }
});

Deno.test("MCP over HTTP: a tool call restores tokens its own Mcp-Session-Id minted, not another session's", async () => {
  const vault = await createMemoryVault(new Uint8Array(32).fill(7));
  const restorer: TokenRestorer = {
    restoreTokens(text, scope) {
      const out = vault.restore(text, scope);
      const count = (t: string) => t.match(new RegExp(TOKEN.source, "g"))?.length ?? 0;
      const restored = count(text) - count(out);
      return Promise.resolve({
        text: out,
        counts: { restored, foreignScope: 0, unknown: count(out), expired: 0, corrupt: 0 },
      });
    },
  };
  const mcp = { ...DEFAULT_CONFIG.mcp, detokenizeArguments: ["tools/send"] };
  const seen: string[] = [];
  const handler = createMcpHttpHandler({
    protector: createProtector(DEFAULT_CONFIG, { reversible: vault }),
    audit: { record: () => Promise.resolve() },
    upstream: "http://upstream.invalid/mcp",
    mcp,
    vault: restorer,
    serverName: "tools",
    fetch: async (_url, init) => {
      const body = JSON.parse(String(init?.body));
      seen.push(String(init?.body));
      const result = body.params?.name === "lookup"
        ? { content: [{ type: "text", text: `owner ${EMAIL}` }] }
        : { content: [{ type: "text", text: "sent" }] };
      return await Promise.resolve(Response.json({ jsonrpc: "2.0", id: body.id, result }));
    },
  });
  const post = (session: string, id: number, name: string, args: unknown = {}) =>
    handler(
      new Request("http://haechi.local/mcp", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": session,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id,
          method: "tools/call",
          params: { name, arguments: args },
        }),
      }),
    );
  const token = (await (await post("session-a", 1, "lookup")).text()).match(TOKEN)![0];
  await post("session-b", 2, "send", { to: token });
  assertStringIncludes(seen[seen.length - 1], token);
  assert(!seen[seen.length - 1].includes(EMAIL), "another session's token was restored");
  await post("session-a", 3, "send", { to: token });
  assertStringIncludes(seen[seen.length - 1], EMAIL);
  assertEquals(seen.length, 3);
});
