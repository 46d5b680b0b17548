// Who gets a value back: a reply restores the tokens its own request minted, plus, for an
// authenticated caller, its own scope's earlier tokens. Merely quoting a token is not enough.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { openGateway } from "../../src/proxy/open.ts";
import type { CallerIdentity } from "../../src/proxy/gateway.ts";
import { EMAIL, rig, sseData, testConfig } from "./_setup.ts";

const TOKEN = /\[TOKEN:email:[a-z2-7]{20}\]/;
const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "m",
  messages: [{ role: "user", content }],
  ...extra,
});

/** The assistant text of a whole or streamed OpenAI reply. */
async function replyText(res: Response): Promise<string> {
  if (!(res.headers.get("content-type") ?? "").includes("event-stream")) {
    return (await res.json()).choices[0].message.content;
  }
  let out = "";
  for (const d of await sseData(res)) {
    if (d === "[DONE]") continue;
    out += JSON.parse(d).choices?.[0]?.delta?.content ?? "";
  }
  return out;
}

/** The token the upstream saw in the last request. */
function lastToken(up: { requests: { body: string }[] }): string {
  return TOKEN.exec(up.requests[up.requests.length - 1].body)![0];
}

Deno.test("an anonymous caller gets back its own request's token but not one another request minted", async () => {
  const r = await rig();
  try {
    for (const stream of [false, true]) {
      const own = await r.call("/v1/chat/completions", chat(`mail ${EMAIL}`, { stream }));
      assertEquals(await replyText(own), `Echo: mail ${EMAIL}`, "same request: restored");
      const token = lastToken(r.up);
      const other = await r.call("/v1/chat/completions", chat(`who is ${token}?`, { stream }));
      const text = await replyText(other);
      assert(!text.includes(EMAIL), `another request's token was restored (stream ${stream})`);
      assertStringIncludes(text, token);
    }
  } finally {
    await r.close();
  }
});

Deno.test("a scope named in the scope header does not unlock tokens minted earlier for that scope", async () => {
  const r = await rig({ proxy: { scopeHeader: "x-haechi-scope" } });
  try {
    const headers = { "content-type": "application/json", "x-haechi-scope": "alice" };
    const own = await r.call("/v1/chat/completions", chat(`mail ${EMAIL}`), { headers });
    assertEquals(await replyText(own), `Echo: mail ${EMAIL}`);
    const token = lastToken(r.up);
    const other = await r.call("/v1/chat/completions", chat(`who is ${token}?`), { headers });
    assertEquals(await replyText(other), `Echo: who is ${token}?`);
  } finally {
    await r.close();
  }
});

Deno.test("an authenticated caller gets back its own scope's earlier tokens and another caller does not", async () => {
  const { config, dir } = await testConfig();
  const up = createMockUpstream();
  const authenticate = (req: Request): Promise<CallerIdentity | null> => {
    const user = req.headers.get("x-user");
    if (user === null) return Promise.resolve(null);
    // "guest" is let in without being named: it is not vouched for.
    return Promise.resolve(
      user === "guest" ? { subject: "default", authenticated: false } : { subject: user },
    );
  };
  const gw = await openGateway(config, { fetch: up.fetch, authenticate });
  const call = (user: string, content: string) =>
    gw.gateway.fetch(
      new Request("http://gw.test/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json", "x-user": user },
        body: JSON.stringify(chat(content)),
      }),
    );
  try {
    await call("alice", `mail ${EMAIL}`);
    const token = lastToken(up);
    assertEquals(
      await replyText(await call("alice", `who is ${token}?`)),
      `Echo: who is ${EMAIL}?`,
    );
    assertEquals(await replyText(await call("bob", `who is ${token}?`)), `Echo: who is ${token}?`);
    await call("guest", `mail ${EMAIL}`);
    const shared = lastToken(up);
    assertEquals(
      await replyText(await call("guest", `who is ${shared}?`)),
      `Echo: who is ${shared}?`,
      "a caller let in without a name is treated as anonymous",
    );
  } finally {
    await gw.close();
    await Deno.remove(dir, { recursive: true });
  }
});
