// End to end with the official Anthropic SDK (npm:@anthropic-ai/sdk) through the gateway
// to the recording mock upstream: Messages streamed and not, tool_use input deltas, and
// nothing after message_stop.
// deno-lint-ignore no-import-prefix
import Anthropic from "npm:@anthropic-ai/sdk@1.14.0";
import { assert, assertEquals } from "../assert.ts";
import {
  AFTER,
  assertNothingAfter,
  assertRestored,
  assertUpstreamClean,
  PROMPT,
  sdkRig,
} from "./_sdk.ts";

/** A well-formed text delta after `message_stop`: a client that kept reading would show it. */
const AFTER_EVENT = `event: content_block_delta\ndata: ${
  JSON.stringify({
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: AFTER },
  })
}\n\n`;

function client(url: string, fetch: typeof globalThis.fetch): Anthropic {
  return new Anthropic({ baseURL: url, apiKey: "test-not-a-secret", fetch, maxRetries: 0 });
}

Deno.test("Anthropic SDK message: the upstream sees no value and the reply has the caller's email and phone back", async () => {
  const r = await sdkRig();
  try {
    const msg = await client(r.url, r.fetch).messages.create({
      model: "mock-model",
      max_tokens: 64,
      messages: [{ role: "user", content: PROMPT }],
    });
    assertUpstreamClean(r.up);
    const block = msg.content[0];
    assert(block.type === "text");
    assertRestored(block.text);
  } finally {
    await r.close();
  }
});

Deno.test("Anthropic SDK stream: text deltas split across 3-character frames come back whole and nothing follows message_stop", async () => {
  const r = await sdkRig({ chunkSize: 3, afterTerminator: AFTER_EVENT });
  try {
    const stream = await client(r.url, r.fetch).messages.create({
      model: "mock-model",
      max_tokens: 64,
      stream: true,
      messages: [{ role: "user", content: PROMPT }],
    });
    let text = "";
    const types: string[] = [];
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") {
        text += ev.delta.text;
      }
    }
    assertUpstreamClean(r.up);
    assertRestored(text);
    assertEquals(types.at(-1), "message_stop");
    const raw = await r.raw();
    assertNothingAfter(text, raw);
    assert(raw.trimEnd().endsWith('"type":"message_stop"}'), "the body ends at message_stop");
  } finally {
    await r.close();
  }
});

Deno.test("Anthropic SDK stream helper: finalMessage() holds the restored text", async () => {
  const r = await sdkRig({ chunkSize: 7 });
  try {
    const stream = client(r.url, r.fetch).messages.stream({
      model: "mock-model",
      max_tokens: 64,
      messages: [{ role: "user", content: PROMPT }],
    });
    const msg = await stream.finalMessage();
    assertUpstreamClean(r.up);
    const block = msg.content[0];
    assert(block.type === "text");
    assertRestored(block.text);
  } finally {
    await r.close();
  }
});

Deno.test("Anthropic SDK tool_use: input_json_delta pieces assemble into input with the values restored", async () => {
  const r = await sdkRig({ chunkSize: 2, toolCalls: true, afterTerminator: AFTER_EVENT });
  try {
    const stream = client(r.url, r.fetch).messages.stream({
      model: "mock-model",
      max_tokens: 64,
      tools: [{
        name: "send_note",
        description: "Send a note",
        input_schema: { type: "object", properties: { text: { type: "string" } } },
      }],
      messages: [{ role: "user", content: PROMPT }],
    });
    const msg = await stream.finalMessage();
    assertUpstreamClean(r.up);
    const block = msg.content[0];
    assert(block.type === "tool_use");
    assertEquals(block.name, "send_note");
    assertRestored((block.input as { text: string }).text);
    assertNothingAfter(JSON.stringify(msg), await r.raw());
  } finally {
    await r.close();
  }
});
