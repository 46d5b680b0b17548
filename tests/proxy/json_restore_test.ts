// Restoring a token inside tool-call arguments (JSON source text) must JSON-escape the
// value, streamed or not, in every protocol that carries arguments as a JSON string.
import { assertEquals } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createGateway } from "../../src/proxy/gateway.ts";
import { escapeJsonStringBody, jsonStringRestorer } from "../../src/protect/json_restorer.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import type { RestoreCounts, TokenRestorer } from "../../src/vault/mod.ts";
import { sseData } from "./_setup.ts";

const TOKEN = "[TOKEN:note:abcdefghijklmnopqrst]";
/** A value that would end a JSON string early, or start an escape, if put back raw. */
const NASTY = 'say "hi" \\ then\nnewline';

const zero = (): RestoreCounts => ({
  restored: 0,
  foreignScope: 0,
  unknown: 0,
  expired: 0,
  corrupt: 0,
});

/** A vault stand-in that knows one token. */
const restorer: TokenRestorer = {
  restoreTokens(text) {
    const n = text.split(TOKEN).length - 1;
    return Promise.resolve({
      text: text.replaceAll(TOKEN, NASTY),
      counts: { ...zero(), restored: n },
    });
  },
};

function gateway(chunkSize: number) {
  const up = createMockUpstream({ toolCalls: true, chunkSize, reply: () => `to ${TOKEN} ok` });
  const config = { ...DEFAULT_CONFIG, audit: { ...DEFAULT_CONFIG.audit, enabled: false } };
  const gw = createGateway({
    config,
    protector: createProtector(config),
    restorer,
    fetch: up.fetch,
    upstream: "http://upstream.test",
    // The reply quotes a token no request here minted: only an authenticated caller's own
    // scope gets such a token back (docs/vault.md).
    authenticate: () => Promise.resolve({ subject: "default" }),
  });
  const call = (path: string, body: unknown) =>
    gw.fetch(
      new Request(`http://gw.test${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  return { gw, call };
}

const TOOLS_OPENAI = [{
  type: "function",
  function: { name: "send", parameters: { type: "object" } },
}];
const chat = (stream: boolean) => ({
  model: "m",
  stream,
  tools: TOOLS_OPENAI,
  messages: [{ role: "user", content: "send it" }],
});

Deno.test("a restored value with quotes and backslashes is escaped inside non-stream OpenAI tool-call arguments", async () => {
  const { call } = gateway(4);
  const res = await call("/v1/chat/completions", chat(false));
  const body = await res.json();
  const args = body.choices[0].message.tool_calls[0].function.arguments;
  assertEquals(JSON.parse(args), { text: `to ${NASTY} ok` });
});

Deno.test("a restored value is escaped inside streamed OpenAI tool-call argument deltas split mid-token", async () => {
  for (const size of [1, 3, 7, 64]) {
    const { call } = gateway(size);
    const res = await call("/v1/chat/completions", chat(true));
    let args = "";
    for (const d of await sseData(res)) {
      if (d === "[DONE]") continue;
      for (const c of JSON.parse(d).choices ?? []) {
        for (const t of c.delta?.tool_calls ?? []) args += t.function?.arguments ?? "";
      }
    }
    assertEquals(JSON.parse(args), { text: `to ${NASTY} ok` }, `chunk size ${size}`);
  }
});

Deno.test("a restored value is escaped in streamed and whole Responses API function-call arguments", async () => {
  const { call } = gateway(5);
  const req = (stream: boolean) => ({
    model: "m",
    stream,
    tools: [{ type: "function", name: "send", parameters: { type: "object" } }],
    input: "send it",
  });
  const whole = await (await call("/v1/responses", req(false))).json();
  assertEquals(JSON.parse(whole.output[0].arguments), { text: `to ${NASTY} ok` });
  let deltas = "";
  let done = "";
  for (const d of await sseData(await call("/v1/responses", req(true)))) {
    const ev = JSON.parse(d);
    if (ev.type === "response.function_call_arguments.delta") deltas += ev.delta;
    if (ev.type === "response.function_call_arguments.done") done = ev.arguments;
  }
  assertEquals(JSON.parse(deltas), { text: `to ${NASTY} ok` });
  assertEquals(JSON.parse(done), { text: `to ${NASTY} ok` });
});

Deno.test("a restored value is escaped inside Anthropic input_json_delta partial_json", async () => {
  const { call } = gateway(3);
  const res = await call("/v1/messages", {
    model: "m",
    max_tokens: 10,
    stream: true,
    tools: [{ name: "send", input_schema: { type: "object" } }],
    messages: [{ role: "user", content: "send it" }],
  });
  let json = "";
  for (const d of await sseData(res)) {
    const ev = JSON.parse(d);
    if (ev.type === "content_block_delta" && ev.delta.type === "input_json_delta") {
      json += ev.delta.partial_json;
    }
  }
  assertEquals(JSON.parse(json), { text: `to ${NASTY} ok` });
});

Deno.test("prose outside tool-call arguments gets the raw value back, unescaped", async () => {
  const up = createMockUpstream({ reply: () => `to ${TOKEN} ok` });
  const config = { ...DEFAULT_CONFIG, audit: { ...DEFAULT_CONFIG.audit, enabled: false } };
  const gw = createGateway({
    config,
    protector: createProtector(config),
    restorer,
    fetch: up.fetch,
    upstream: "http://upstream.test",
    // The reply quotes a token no request here minted: only an authenticated caller's own
    // scope gets such a token back (docs/vault.md).
    authenticate: () => Promise.resolve({ subject: "default" }),
  });
  const res = await gw.fetch(
    new Request("http://gw.test/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] }),
    }),
  );
  assertEquals((await res.json()).choices[0].message.content, `to ${NASTY} ok`);
});

Deno.test("the JSON restorer leaves text between tokens byte for byte and counts every token", async () => {
  const other = "[TOKEN:note:zzzzzzzzzzzzzzzzzzzz]";
  const r = await jsonStringRestorer(restorer).restoreTokens(
    `{"a":"${TOKEN}","b":"${other}","c":"\\u00e9 ${TOKEN}"}`,
    "s",
  );
  assertEquals(r.counts.restored, 2);
  const e = escapeJsonStringBody(NASTY);
  assertEquals(r.text, `{"a":"${e}","b":"${other}","c":"\\u00e9 ${e}"}`);
});
