// Issue 9 item 6: a value split between two frames around a mid-stream flush event (a choice's
// finish_reason, an error chunk, content_block_stop, message_delta, a Responses `*.done`) or
// across content parts or index spellings never reaches the caller whole: each channel has one
// guard for the whole stream, and the caller's view of a channel is the gateway's.
import { assert, assertEquals } from "../assert.ts";
import { events, halves, S, S1, S2, scriptedRig, sse } from "./_scripted.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** What an OpenAI client accumulates per choice index (keys compared as JS does: strings). */
function openaiText(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events(raw)) {
    if (e.data === "[DONE]") continue;
    const chunk = JSON.parse(e.data) as Json;
    for (const c of chunk.choices ?? []) {
      const key = String(c.index);
      let t = out.get(key) ?? "";
      const content = c.delta?.content;
      if (typeof content === "string") t += content;
      if (Array.isArray(content)) { for (const p of content) t += p.text ?? ""; }
      for (const call of c.delta?.tool_calls ?? []) t += call.function?.arguments ?? "";
      out.set(key, t);
    }
  }
  return out;
}

const chunk = (choices: unknown[]) => ({ id: "c", object: "chat.completion.chunk", choices });
const content = (index: unknown, text: unknown, finish: string | null = null) => ({
  index,
  delta: { content: text },
  finish_reason: finish,
});

const OPENAI_SPLITS: Array<[string, string[]]> = [
  ["a finish_reason mid-stream", [
    sse(chunk([content(0, S1, "stop")])),
    sse(chunk([content(0, S2)])),
  ]],
  ["an error chunk mid-stream", [
    sse(chunk([content(0, S1)])),
    sse({ error: { message: "hiccup" } }),
    sse(chunk([content(0, S2)])),
  ]],
  ["content sent as an array of parts", [
    sse(
      chunk([
        content(0, [{ type: "text", text: S1.slice(0, 10) }, { type: "text", text: S1.slice(10) }]),
      ]),
    ),
    sse(chunk([content(0, [{ type: "text", text: S2 }])])),
  ]],
  ["a string index", [
    sse(chunk([content(0, S1)])),
    sse(chunk([content(1, "other "), content("0", S2)])),
  ]],
  ["a missing index", [
    sse(chunk([content(1, "other "), content(0, S1)])),
    sse(chunk([{ delta: { content: S2 } }])),
  ]],
];

for (const [how, frames] of OPENAI_SPLITS) {
  Deno.test(`OpenAI stream: a secret split around ${how} never reaches the caller whole`, async () => {
    const r = await scriptedRig(halves([...frames, sse("[DONE]")]));
    try {
      const res = await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] });
      const raw = await res.text();
      for (const [index, text] of openaiText(raw)) assert(!text.includes(S), `${index}: ${text}`);
      assert(!raw.includes(S2), raw);
    } finally {
      await r.close();
    }
  });
}

Deno.test("OpenAI stream: a choice's own text before its finish_reason leaves in order", async () => {
  const r = await scriptedRig([
    sse(chunk([content(0, "Hello there, ")])),
    sse(chunk([content(0, "world.", "stop")])),
    sse("[DONE]"),
  ]);
  try {
    const res = await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] });
    const raw = await res.text();
    assertEquals(openaiText(raw).get("0"), "Hello there, world.");
    const chunks = events(raw).slice(0, -1).map((e) => JSON.parse(e.data));
    assertEquals(chunks.at(-1).choices[0].finish_reason, "stop");
  } finally {
    await r.close();
  }
});

/** What an Anthropic client accumulates per block: start text plus text deltas. */
function anthropicText(raw: string): string[] {
  const blocks: string[] = [];
  for (const e of events(raw)) {
    const d = JSON.parse(e.data) as Json;
    if (d.type === "content_block_start") blocks[d.index] = d.content_block.text ?? "";
    if (d.type === "content_block_delta") {
      blocks[d.index] = (blocks[d.index] ?? "") + (d.delta.text ?? "");
    }
  }
  return blocks;
}

const block = (index: number, text = "") =>
  sse({ type: "content_block_start", index, content_block: { type: "text", text } });
const delta = (index: number, text: string) =>
  sse({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
const stop = (index: number) => sse({ type: "content_block_stop", index });
const start = sse({ type: "message_start", message: { id: "m", content: [] } });
const messageDelta = sse({ type: "message_delta", delta: { stop_reason: "end_turn" } });
const messageStop = sse({ type: "message_stop" });

const ANTHROPIC_SPLITS: Array<[string, string[]]> = [
  ["content_block_stop", [start, block(0), delta(0, S1), stop(0), delta(0, S2), stop(0)]],
  ["message_delta", [start, block(0), delta(0, S1), messageDelta, delta(0, S2), stop(0)]],
  ["text inside content_block_start", [start, block(0, S1), delta(0, S2), stop(0)]],
  ["two text blocks", [start, block(0), delta(0, S1), stop(0), block(1), delta(1, S2), stop(1)]],
];

for (const [how, frames] of ANTHROPIC_SPLITS) {
  Deno.test(`Anthropic stream: a secret split around ${how} never reaches the caller whole`, async () => {
    const r = await scriptedRig(halves([...frames, messageStop]));
    try {
      const res = await r.call("/v1/messages", { model: "m", stream: true, messages: [] });
      const raw = await res.text();
      const blocks = anthropicText(raw);
      for (const text of [...blocks, blocks.join("")]) assert(!(text ?? "").includes(S), text);
      assert(!raw.includes(S2), raw);
      assertEquals(events(raw).at(-1)?.event, "message_stop");
    } finally {
      await r.close();
    }
  });
}

Deno.test("Anthropic stream: held text leaves before content_block_stop", async () => {
  const r = await scriptedRig([start, block(0, "Hi "), delta(0, "there"), stop(0), messageStop]);
  try {
    const res = await r.call("/v1/messages", { model: "m", stream: true, messages: [] });
    const list = events(await res.text());
    assertEquals(anthropicText(list.map((e) => sse(JSON.parse(e.data))).join("")), ["Hi there"]);
    const stopAt = list.findIndex((e) => e.event === "content_block_stop");
    assert(list.slice(stopAt).every((e) => e.event !== "content_block_delta"));
  } finally {
    await r.close();
  }
});

const ids = { item_id: "msg_1", output_index: 0, content_index: 0 };
const rDelta = (d: string, more: Record<string, unknown> = {}) =>
  sse({ type: "response.output_text.delta", ...ids, ...more, delta: d });

const RESPONSES_SPLITS: Array<[string, string[]]> = [
  ["a *.done event", [
    rDelta(S1),
    sse({ type: "response.output_text.done", ...ids, text: S1 }),
    rDelta(S2),
  ]],
  ["a changed item_id for the same output", [rDelta(S1), rDelta(S2, { item_id: "msg_2" })]],
  ["a string output_index", [rDelta(S1), rDelta(S2, { output_index: "0" })]],
];

for (const [how, frames] of RESPONSES_SPLITS) {
  Deno.test(`Responses stream: a secret split around ${how} never reaches the caller whole`, async () => {
    const r = await scriptedRig(halves([
      ...frames,
      sse({ type: "response.completed", response: { status: "completed" } }),
    ]));
    try {
      const res = await r.call("/v1/responses", { model: "m", stream: true, input: "x" });
      const raw = await res.text();
      const text = events(raw).map((e) => JSON.parse(e.data) as Json)
        .filter((d) => d.type === "response.output_text.delta").map((d) => d.delta).join("");
      assert(!text.includes(S), text);
      assert(!raw.includes(S2), raw);
    } finally {
      await r.close();
    }
  });
}

const call = (id: unknown, name: unknown, args: string) =>
  chunk([{
    index: 0,
    delta: {
      tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: args } }],
    },
  }]);

/** Tool call ids and names joined across chunks, as openai-python's stream helper does. */
function joinedCalls(raw: string): string[] {
  const joined = new Map<string, string>();
  const add = (k: string, v: unknown) => {
    if (typeof v === "string") joined.set(k, (joined.get(k) ?? "") + v);
  };
  for (const e of events(raw)) {
    if (e.data === "[DONE]") continue;
    for (const c of JSON.parse(e.data).choices ?? []) {
      for (const t of c.delta?.tool_calls ?? []) {
        add(`${t.index}.id`, t.id);
        add(`${t.index}.name`, t.function?.name);
      }
    }
  }
  return [...joined.values()];
}

Deno.test("OpenAI stream: a secret split across a tool call's id or name in two chunks never arrives whole", async () => {
  for (
    const frames of [
      [sse(call(S1, "f", "")), sse(call(S2, "", "{}"))],
      [sse(call("call_1", S1, "")), sse(call("", S2, "{}"))],
    ]
  ) {
    const r = await scriptedRig(halves([...frames, sse("[DONE]")]));
    try {
      const res = await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] });
      const raw = await res.text();
      for (const joined of joinedCalls(raw)) assert(!joined.includes(S), joined);
      assert(!raw.includes(S2), raw);
    } finally {
      await r.close();
    }
  }
});

Deno.test("OpenAI stream: a plain tool call id and name arrive unchanged in their own chunk", async () => {
  const r = await scriptedRig([
    sse(call("call_abc123", "get_weather", "")),
    sse(call(undefined, undefined, '{"city":"Paris"}')),
    sse("[DONE]"),
  ]);
  try {
    const res = await r.call("/v1/chat/completions", { model: "m", stream: true, messages: [] });
    const first = JSON.parse(events(await res.text())[0].data);
    const t = first.choices[0].delta.tool_calls[0];
    assertEquals([t.id, t.function.name], ["call_abc123", "get_weather"]);
  } finally {
    await r.close();
  }
});
