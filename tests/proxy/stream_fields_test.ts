// Issue 9 item 5: every string of a stream chunk outside its text channels (extra fields,
// identifiers, keys, SSE event names and ids) is scanned whole before it reaches the caller,
// and each chunk is re-serialized from its parsed, protected form.
import { assert, assertEquals } from "../assert.ts";
import { events, halves, S, scriptedRig, sse } from "./_scripted.ts";
import { rig } from "./_setup.ts";

const openai = (extra: Record<string, unknown>) => ({
  id: "c1",
  object: "chat.completion.chunk",
  model: "m",
  choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }],
  ...extra,
});

const OPENAI_CASES: Array<[string, string[]]> = [
  ["a top-level extra field", [sse(openai({ x_note: `see ${S}` }))]],
  ["a top-level key", [sse(openai({ [S]: 1 }))]],
  ["a chunk without choices", [sse({ id: "c1", usage: { note: `see ${S}` } })]],
  ["an extra field inside a choice", [
    sse({ id: "c1", choices: [{ index: 0, delta: {}, x_why: `see ${S}`, finish_reason: null }] }),
  ]],
  ["a nested value inside the delta", [
    sse({ id: "c1", choices: [{ index: 0, delta: { audio: { transcript: S } } }] }),
  ]],
  ["a tool call id", [
    sse({
      id: "c1",
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: S, type: "function" }] } }],
    }),
  ]],
  ["a tool call function name", [
    sse({
      id: "c1",
      choices: [{
        index: 0,
        delta: { tool_calls: [{ index: 0, id: "t", function: { name: S, arguments: "" } }] },
      }],
    }),
  ]],
  ["the model name", [sse(openai({ model: S }))]],
  ["the SSE event name", [sse(openai({}), S)]],
  ["the SSE id line", [`id: ${S}\n` + sse(openai({}))]],
  ["the finish reason", [
    sse({ id: "c1", choices: [{ index: 0, delta: {}, finish_reason: S }] }),
  ]],
];

for (const [where, frames] of OPENAI_CASES) {
  Deno.test(`OpenAI stream: a secret in ${where} is redacted before the caller sees it`, async () => {
    const r = await scriptedRig(halves([...frames, sse("[DONE]")]));
    try {
      const res = await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] });
      const raw = await res.text();
      assert(!raw.includes(S.slice(4)), raw);
      assertEquals(events(raw).at(-1)?.data, "[DONE]");
    } finally {
      await r.close();
    }
  });
}

Deno.test("OpenAI stream: an SSE id line never reaches the caller", async () => {
  const r = await scriptedRig([`id: 42\n` + sse(openai({})), sse("[DONE]")]);
  try {
    const res = await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] });
    const raw = await res.text();
    assert(!/^id:/m.test(raw), raw);
  } finally {
    await r.close();
  }
});

const responses = (type: string, extra: Record<string, unknown>) => ({
  type,
  sequence_number: 1,
  ...extra,
});

const RESPONSES_CASES: Array<[string, unknown]> = [
  [
    "the item_id of a delta event",
    responses("response.output_text.delta", {
      item_id: S,
      output_index: 0,
      content_index: 0,
      delta: "hi",
    }),
  ],
  [
    "an extra field of a delta event",
    responses("response.output_text.delta", {
      item_id: "i",
      output_index: 0,
      content_index: 0,
      delta: "hi",
      obfuscation: `see ${S}`,
    }),
  ],
  ["the type of an event", responses(`response.${S}`, {})],
];

for (const [where, frame] of RESPONSES_CASES) {
  Deno.test(`Responses stream: a secret in ${where} is redacted before the caller sees it`, async () => {
    const type = (frame as { type: string }).type;
    const r = await scriptedRig(halves([
      sse(frame, type),
      sse(responses("response.completed", { response: { status: "completed" } })),
    ]));
    try {
      const res = await r.call("/v1/responses", { model: "m", stream: true, input: "x" });
      const raw = await res.text();
      assert(!raw.includes(S.slice(4)), raw);
    } finally {
      await r.close();
    }
  });
}

const OLLAMA_CASES: Array<[string, Record<string, unknown>]> = [
  ["a top-level extra field", { extra: `see ${S}` }],
  ["the model name", { model: S }],
  ["a message field other than the content", {
    message: { role: "assistant", content: "hi", images: [S] },
  }],
  ["a top-level key", { [S]: true }],
];

for (const [where, extra] of OLLAMA_CASES) {
  Deno.test(`Ollama stream: a secret in ${where} is redacted before the caller sees it`, async () => {
    const line = {
      model: "m",
      message: { role: "assistant", content: "hi" },
      done: false,
      ...extra,
    };
    const done = { model: "m", message: { role: "assistant", content: "" }, done: true, ...extra };
    const r = await scriptedRig(
      halves([JSON.stringify(line) + "\n", JSON.stringify(done) + "\n"]),
      "application/x-ndjson",
    );
    try {
      const res = await r.call("/api/chat", { model: "m", messages: [] });
      const raw = await res.text();
      assert(!raw.includes(S.slice(4)), raw);
      assertEquals(JSON.parse(raw.trimEnd().split("\n").at(-1)!).done, true);
    } finally {
      await r.close();
    }
  });
}

Deno.test("Anthropic stream: a secret in the signature, an event name or a ping is redacted", async () => {
  const r = await scriptedRig(halves([
    sse({ type: "message_start", message: { id: "m", content: [] } }, S),
    sse({ type: "ping", note: S }, "ping"),
    sse({
      type: "content_block_start",
      index: 0,
      content_block: { type: "thinking", thinking: "" },
    }),
    sse({
      type: "content_block_delta",
      index: 0,
      delta: { type: "signature_delta", signature: S },
    }),
    sse({ type: "content_block_stop", index: 0 }),
    sse({ type: "message_stop" }),
  ]));
  try {
    const res = await r.call("/v1/messages", { model: "m", stream: true, messages: [] });
    const raw = await res.text();
    assert(!raw.includes(S.slice(4)), raw);
    assertEquals(events(raw).at(-1)?.event, "message_stop");
  } finally {
    await r.close();
  }
});

Deno.test("a reply header on the allowlist that holds a secret is dropped; a plain one passes", async () => {
  const r = await rig({}, {}, () =>
    Promise.resolve(
      new Response(sse(openai({})) + sse("[DONE]"), {
        headers: {
          "content-type": "text/event-stream",
          "x-request-id": `req-${S}`,
          [`x-ratelimit-${S.toLowerCase()}`]: "1",
          "x-ratelimit-remaining-requests": "41",
        },
      }),
    ));
  try {
    const res = await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] });
    await res.body?.cancel();
    const names = [...res.headers.keys()].join(",");
    assertEquals(res.headers.get("x-request-id"), null);
    assert(!names.includes(S.slice(4).toLowerCase()), names);
    assertEquals(res.headers.get("x-ratelimit-remaining-requests"), "41");
  } finally {
    await r.close();
  }
});
