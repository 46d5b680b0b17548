// Every protocol and route through the gateway to the recording mock upstream, streamed and
// not: the upstream never sees the value, the caller gets its token restored, a secret the
// model emits is redacted even when split across frames, and nothing follows the terminator.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { EMAIL, GITHUB, rig, sseData } from "./_setup.ts";

const AFTER = {
  sse: "data: AFTER-TERMINATOR\n\n",
  ndjson: '{"after":"AFTER-TERMINATOR"}\n',
};
const TOOLS_OPENAI = [{
  type: "function",
  function: { name: "lookup", parameters: { type: "object" } },
}];

interface Case {
  name: string;
  path: string;
  body: Record<string, unknown>;
  tools?: boolean;
  after?: string;
  /** Text the caller received (concatenated deltas or whole). */
  text(res: Response): Promise<string>;
  /** The last frame is the protocol's terminator. */
  terminator?(res: Response): Promise<void>;
}

const msg = `mail ${EMAIL} now`;
const chatMessages = [{ role: "user", content: msg }];

async function openaiStream(res: Response): Promise<string> {
  const data = await sseData(res);
  assertEquals(data.at(-1), "[DONE]");
  let out = "";
  for (const d of data.slice(0, -1)) {
    const c = JSON.parse(d).choices?.[0];
    out += c?.delta?.content ?? c?.text ?? "";
    for (const t of c?.delta?.tool_calls ?? []) out += t.function?.arguments ?? "";
  }
  return out;
}

async function responsesStream(res: Response): Promise<string> {
  const data = (await sseData(res)).map((d) => JSON.parse(d));
  assertEquals(data.at(-1).type, "response.completed");
  const seqs = data.map((d) => d.sequence_number);
  assertEquals(seqs, [...seqs].sort((a, b) => a - b));
  const deltas = data.filter((d) => d.type.endsWith(".delta")).map((d) => d.delta).join("");
  const done = data.find((d) => d.type.endsWith("text.done") || d.type.endsWith("arguments.done"));
  assertEquals(done.text ?? done.arguments, deltas);
  return deltas;
}

async function anthropicStream(res: Response): Promise<string> {
  const text = await res.text();
  const events = text.split("\n\n").filter((b) => b.trim() !== "");
  assertStringIncludes(events.at(-1)!, "event: message_stop");
  let out = "";
  for (const b of events) {
    const data = b.split("\n").find((l) => l.startsWith("data:"))!.slice(5);
    const e = JSON.parse(data);
    if (e.type === "content_block_delta") out += e.delta.text ?? e.delta.partial_json ?? "";
  }
  return out;
}

// deno-lint-ignore no-explicit-any
function geminiChunks(chunks: Array<Record<string, any>>): string {
  let out = "";
  for (const c of chunks) {
    for (const p of c.candidates?.[0]?.content?.parts ?? []) {
      out += p.text ?? (p.functionCall ? JSON.stringify(p.functionCall.args) : "");
    }
  }
  return out;
}

async function ndjson(res: Response, field: "message" | "response"): Promise<string> {
  const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines.at(-1).done, true);
  return lines.map((l) =>
    field === "response" ? l.response : (l.message?.content ?? "") +
      (l.message?.tool_calls ? JSON.stringify(l.message.tool_calls) : "")
  ).join("");
}

const CASES: Case[] = [
  {
    name: "openai chat",
    path: "/v1/chat/completions",
    body: { model: "m", messages: chatMessages },
    text: async (r) => (await r.json()).choices[0].message.content,
  },
  {
    name: "openai chat stream",
    path: "/v1/chat/completions",
    body: { model: "m", stream: true, messages: chatMessages },
    after: AFTER.sse,
    text: openaiStream,
  },
  {
    name: "openai chat stream with tool-call argument deltas",
    path: "/v1/chat/completions",
    body: { model: "m", stream: true, messages: chatMessages, tools: TOOLS_OPENAI },
    tools: true,
    after: AFTER.sse,
    text: async (r) => JSON.parse(await openaiStream(r)).text,
  },
  {
    name: "openai completions stream",
    path: "/v1/completions",
    body: { model: "m", stream: true, prompt: msg },
    after: AFTER.sse,
    text: openaiStream,
  },
  {
    name: "openai responses",
    path: "/v1/responses",
    body: { model: "m", input: msg },
    text: async (r) => (await r.json()).output[0].content[0].text,
  },
  {
    name: "openai responses stream",
    path: "/v1/responses",
    body: { model: "m", stream: true, input: msg },
    after: AFTER.sse,
    text: responsesStream,
  },
  {
    name: "openai responses stream with function-call argument deltas",
    path: "/v1/responses",
    body: { model: "m", stream: true, input: msg, tools: [{ type: "function", name: "lookup" }] },
    tools: true,
    text: async (r) => JSON.parse(await responsesStream(r)).text,
  },
  {
    name: "anthropic messages",
    path: "/v1/messages",
    body: { model: "m", max_tokens: 10, system: "be brief", messages: chatMessages },
    text: async (r) => (await r.json()).content[0].text,
  },
  {
    name: "anthropic messages stream",
    path: "/v1/messages",
    body: { model: "m", max_tokens: 10, stream: true, messages: chatMessages },
    after:
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"AFTER-TERMINATOR"}}\n\n',
    text: anthropicStream,
  },
  {
    name: "anthropic messages stream with input_json_delta",
    path: "/v1/messages",
    body: {
      model: "m",
      max_tokens: 10,
      stream: true,
      messages: chatMessages,
      tools: [{ name: "lookup", input_schema: { type: "object" } }],
    },
    tools: true,
    text: async (r) => JSON.parse(await anthropicStream(r)).text,
  },
  {
    name: "gemini generateContent",
    path: "/v1beta/models/gemini-x:generateContent",
    body: { contents: [{ role: "user", parts: [{ text: msg }] }] },
    text: async (r) => geminiChunks([await r.json()]),
  },
  {
    name: "gemini streamGenerateContent alt=sse",
    path: "/v1beta/models/gemini-x:streamGenerateContent?alt=sse",
    body: { contents: [{ role: "user", parts: [{ text: msg }] }] },
    text: async (r) => geminiChunks((await sseData(r)).map((d) => JSON.parse(d))),
  },
  {
    name: "gemini streamGenerateContent JSON array",
    path: "/v1beta/models/gemini-x:streamGenerateContent",
    body: { contents: [{ role: "user", parts: [{ text: msg }] }] },
    text: async (r) => geminiChunks(JSON.parse(await r.text())),
  },
  {
    name: "gemini streamed function call",
    path: "/v1beta/models/gemini-x:streamGenerateContent?alt=sse",
    body: {
      contents: [{ role: "user", parts: [{ text: msg }] }],
      tools: [{ functionDeclarations: [{ name: "lookup" }] }],
    },
    tools: true,
    text: async (r) => JSON.parse(geminiChunks((await sseData(r)).map((d) => JSON.parse(d)))).text,
  },
  {
    name: "ollama chat (streams by default)",
    path: "/api/chat",
    body: { model: "m", messages: chatMessages },
    after: AFTER.ndjson,
    text: (r) => ndjson(r, "message"),
  },
  {
    name: "ollama chat stream false",
    path: "/api/chat",
    body: { model: "m", stream: false, messages: chatMessages },
    text: async (r) => (await r.json()).message.content,
  },
  {
    name: "ollama generate stream",
    path: "/api/generate",
    body: { model: "m", prompt: msg },
    after: AFTER.ndjson,
    text: (r) => ndjson(r, "response"),
  },
  {
    name: "ollama chat tool call",
    path: "/api/chat",
    body: {
      model: "m",
      messages: chatMessages,
      tools: [{ type: "function", function: { name: "lookup" } }],
    },
    tools: true,
    text: async (r) => JSON.parse(await ndjson(r, "message"))[0].function.arguments.text,
  },
];

for (const c of CASES) {
  Deno.test(`${c.name}: the upstream never sees the email and the caller gets it back`, async () => {
    const r = await rig({}, { chunkSize: 3, toolCalls: c.tools, afterTerminator: c.after });
    try {
      const res = await r.call(c.path, c.body);
      assertEquals(res.status, 200);
      const got = await c.text(res);
      const seen = r.up.requests[0];
      assert(!seen.body.includes(EMAIL), "upstream saw the email");
      assertStringIncludes(seen.body, "[TOKEN:email:");
      assertEquals(got, `Echo: ${msg}`);
    } finally {
      await r.close();
    }
  });
}

for (const c of CASES.filter((c) => !c.tools)) {
  Deno.test(`${c.name}: a secret the model emits is redacted even when split across frames`, async () => {
    const r = await rig({}, { chunkSize: 5, reply: () => `here is ${GITHUB} for you` });
    try {
      const res = await r.call(c.path, c.body);
      const got = await c.text(res);
      assert(!got.includes(GITHUB.slice(4)), got);
      assertStringIncludes(got, "[REDACTED:");
      assertStringIncludes(got, "for you");
    } finally {
      await r.close();
    }
  });
}

for (
  const [path, body] of [
    ["/v1/embeddings", { model: "m", input: [msg] }],
    ["/api/embed", { model: "m", input: msg }],
    ["/api/embeddings", { model: "m", prompt: msg }],
    ["/v1beta/models/e:embedContent", { content: { parts: [{ text: msg }] } }],
    ["/v1beta/models/e:countTokens", { contents: [{ parts: [{ text: msg }] }] }],
    ["/v1/messages/count_tokens", { model: "m", messages: chatMessages }],
  ] as const
) {
  Deno.test(`${path}: the input is protected before it leaves`, async () => {
    const r = await rig();
    try {
      const res = await r.call(path, body);
      assertEquals(res.status, 200);
      await res.body?.cancel();
      assert(!r.up.requests[0].body.includes(EMAIL));
    } finally {
      await r.close();
    }
  });
}

Deno.test("model listings pass through with their JSON protected", async () => {
  const r = await rig();
  try {
    for (const path of ["/v1/models", "/api/tags", "/v1beta/models"]) {
      const res = await r.gw.gateway.fetch(new Request(`http://gw.test${path}`));
      assertEquals(res.status, 200, path);
      await res.json();
    }
  } finally {
    await r.close();
  }
});
