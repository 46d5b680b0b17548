// End to end with the official OpenAI SDK (npm:openai) through the gateway to the
// recording mock upstream: chat completions streamed and not, tool-call argument deltas,
// values split across SSE frames, and the Responses API stream.
// deno-lint-ignore no-import-prefix
import OpenAI from "npm:openai@7.59.0";
import { assert, assertEquals } from "../assert.ts";
import {
  AFTER,
  assertNothingAfter,
  assertRestored,
  assertUpstreamClean,
  PROMPT,
  sdkRig,
} from "./_sdk.ts";

/** A well-formed chunk after `[DONE]`: a client that kept reading would show it. */
const AFTER_CHUNK = `data: ${
  JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 0,
    model: "mock-model",
    choices: [{ index: 0, delta: { content: AFTER }, finish_reason: null }],
  })
}\n\n`;

const TOOLS = [{
  type: "function" as const,
  function: {
    name: "send_note",
    description: "Send a note",
    parameters: { type: "object", properties: { text: { type: "string" } } },
  },
}];

function client(url: string, fetch: typeof globalThis.fetch): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: "sk-test-not-a-secret", fetch, maxRetries: 0 });
}

Deno.test("OpenAI SDK chat completion: the upstream sees no value and the reply has the caller's email and phone back", async () => {
  const r = await sdkRig();
  try {
    const res = await client(r.url, r.fetch).chat.completions.create({
      model: "mock-model",
      messages: [{ role: "user", content: PROMPT }],
    });
    assertUpstreamClean(r.up);
    const text = res.choices[0].message.content ?? "";
    assert(text.startsWith("Echo: "));
    assertRestored(text);
  } finally {
    await r.close();
  }
});

Deno.test("OpenAI SDK chat stream: values split across 3-character SSE frames come back whole and nothing follows [DONE]", async () => {
  const r = await sdkRig({ chunkSize: 3, afterTerminator: AFTER_CHUNK });
  try {
    const stream = await client(r.url, r.fetch).chat.completions.create({
      model: "mock-model",
      stream: true,
      messages: [{ role: "user", content: PROMPT }],
    });
    let text = "";
    const events: string[] = [];
    for await (const chunk of stream) {
      events.push(JSON.stringify(chunk));
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    assertUpstreamClean(r.up);
    assertRestored(text);
    assertEquals(r.up.requests.length, 1);
    const raw = await r.raw();
    assertNothingAfter(text, events.join("\n"), raw);
    assert(raw.trimEnd().endsWith("data: [DONE]"), "the body ends with the terminator");
  } finally {
    await r.close();
  }
});

Deno.test("OpenAI SDK tool-call argument deltas, 2 characters each, assemble into JSON with the values restored", async () => {
  const r = await sdkRig({ chunkSize: 2, toolCalls: true, afterTerminator: AFTER_CHUNK });
  try {
    const stream = await client(r.url, r.fetch).chat.completions.create({
      model: "mock-model",
      stream: true,
      tools: TOOLS,
      messages: [{ role: "user", content: PROMPT }],
    });
    let args = "";
    let name = "";
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta?.tool_calls ?? []) {
        name += call.function?.name ?? "";
        args += call.function?.arguments ?? "";
      }
    }
    assertEquals(name, "send_note");
    assertUpstreamClean(r.up);
    const parsed = JSON.parse(args) as { text: string };
    assertRestored(parsed.text);
    assertNothingAfter(args, await r.raw());
  } finally {
    await r.close();
  }
});

Deno.test("OpenAI SDK non-stream tool call: arguments parse and carry the restored values", async () => {
  const r = await sdkRig({ toolCalls: true });
  try {
    const res = await client(r.url, r.fetch).chat.completions.create({
      model: "mock-model",
      tools: TOOLS,
      messages: [{ role: "user", content: PROMPT }],
    });
    assertUpstreamClean(r.up);
    const call = res.choices[0].message.tool_calls?.[0];
    assert(call !== undefined && call.type === "function");
    assertRestored((JSON.parse(call.function.arguments) as { text: string }).text);
  } finally {
    await r.close();
  }
});

Deno.test("OpenAI SDK Responses stream: output text deltas restore the values and the stream ends at response.completed", async () => {
  const r = await sdkRig({
    chunkSize: 5,
    afterTerminator: `event: response.output_text.delta\ndata: ${
      JSON.stringify({
        type: "response.output_text.delta",
        sequence_number: 999,
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        delta: AFTER,
        logprobs: [],
      })
    }\n\n`,
  });
  try {
    const stream = await client(r.url, r.fetch).responses.create({
      model: "mock-model",
      stream: true,
      input: PROMPT,
    });
    let text = "";
    const types: string[] = [];
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === "response.output_text.delta") text += ev.delta;
    }
    assertUpstreamClean(r.up);
    assertRestored(text);
    assertEquals(types.at(-1), "response.completed");
    assertNothingAfter(text, await r.raw());
  } finally {
    await r.close();
  }
});
