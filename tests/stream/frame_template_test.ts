import { assert, assertEquals } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/mod.ts";
import {
  type AppliedFinding,
  createProtector,
  createReplyProtection,
} from "../../src/protect/mod.ts";
import { ANTHROPIC, GEMINI, OPENAI } from "../../src/protocols/mod.ts";
import type { Route, StreamShape } from "../../src/protocols/mod.ts";
import { createChannelRewriter, createGuardFactory, rewriteStream } from "../../src/stream/mod.ts";
import { buildTemplate, matchTemplate } from "../../src/stream/frame_template.ts";
import { createChunkReader } from "../../src/stream/chunk_reader.ts";
import { byteBody, jsBody } from "./_bodies.ts";

const EMAIL = "minsu.kim@corp.example.com";
const CARD = "4111 1111 1111 1111";
const KEY = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l";
const TEXT = `Hello — write to ${EMAIL} (café 😀 東京) about card ${CARD}; the key ${KEY} ` +
  `leaked. Ünïcödé prose continues here with "quotes", back\\slashes and a tab\tand\nline ` +
  `breaks, then a phone +1 415 555 0134 and more text until the end of the reply.`;

/** A small deterministic generator, so a failing split can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function chunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 0,
    model: "m",
    ...extra,
    choices: [{ index: 0, delta, finish_reason: null }],
  });
}

/** An SSE chat stream of `text` in random deltas, with the irregular frames upstreams send. */
function streamText(text: string, next: () => number): string {
  const frames = [chunk({ role: "assistant", content: "" })];
  let n = 0;
  for (let i = 0; i < text.length;) {
    let size = 1 + Math.floor(next() * 12);
    // Never cut a surrogate pair: a delta is a JSON string of whole characters.
    if (i + size < text.length && /[\uD800-\uDBFF]/.test(text[i + size - 1])) size++;
    const piece = text.slice(i, i + size);
    i += size;
    n++;
    if (n === 5) frames.push(chunk({ content: piece }, { model: "other" }));
    else if (n === 7) frames.push(chunk({ content: piece }).replace(/é/g, "\\u00e9"));
    else if (n === 9) frames.push(chunk({ content: piece }, { id: EMAIL }));
    else if (n === 11) frames.push(chunk({ content: piece, refusal: "" }));
    else frames.push(chunk({ content: piece }));
  }
  frames.push(
    JSON.stringify({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 0,
      model: "m",
      choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
    }),
    "[DONE]",
  );
  return frames.map((f) => `data: ${f}\n\n`).join("");
}

/** Cut `bytes` at random points (inside multi-byte characters too). */
function split(bytes: Uint8Array, next: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length;) {
    const n = 1 + Math.floor(next() * 40);
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

const route = { name: "chat.completions" } as Route;

async function run(
  chunks: readonly Uint8Array[],
  shape: StreamShape,
  errorFrame = OPENAI.streamErrorFrame,
): Promise<{ text: string; findings: string[] }> {
  const protector = createProtector(DEFAULT_CONFIG);
  const output = createReplyProtection(protector, {
    scope: "s",
    maxDepth: 64,
    scanKeys: true,
    maskKeep: 4,
  });
  const findings: string[] = [];
  const rewriter = createChannelRewriter(shape, {
    openGuard: createGuardFactory({ output, scope: "s", window: 64 }),
    protectValue: (v, p) => output.protectValue(v, p),
    isClean: (t) => !t.includes("[TOKEN:") && output.scan(t).length === 0,
    onFindings: (list: readonly AppliedFinding[], path) => {
      for (const f of list) findings.push(`${path} ${f.type} ${f.start}-${f.end}`);
    },
  });
  // A templated shape is read as the gateway reads a `fetch` body (a byte stream into one
  // reused buffer); the frame-by-frame reference as a JS stream, chunk by chunk.
  const out = rewriteStream({
    source: shape.repeatable === true
      ? createChunkReader(byteBody(chunks))
      : jsBody(chunks).getReader(),
    framing: "sse",
    errorFrame,
    rewriter,
    maxEventBytes: 1 << 20,
    abortUpstream() {},
    onEnd() {},
  });
  const text = await new Response(out).text();
  for (const f of output.findings) findings.push(`${f.path} ${f.type} ${f.start}-${f.end}`);
  return { text, findings };
}

/** The OpenAI chat shape with the template path turned off: every frame parsed and mapped. */
function unrepeatable(): StreamShape {
  const shape = OPENAI.streamShape(route);
  return { map: shape.map, carrier: shape.carrier };
}

Deno.test("a stream rendered from frame templates is byte-identical to one parsed frame by frame", async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const next = rng(seed);
    const bytes = new TextEncoder().encode(streamText(TEXT, next));
    const chunks = split(bytes, next);
    const fast = await run(chunks, OPENAI.streamShape(route));
    const slow = await run(chunks, unrepeatable());
    assertEquals(fast.text, slow.text, `seed ${seed}`);
    assertEquals(fast.findings, slow.findings, `seed ${seed}`);
    // Secrets are replaced in replies (an email is not: it is the caller's own data).
    for (const secret of [CARD, KEY]) assert(!fast.text.includes(secret), secret);
  }
});

/** An Anthropic Messages stream of `text` in random deltas over two text blocks. */
function messagesText(text: string, next: () => number): string {
  const ev = (v: Record<string, unknown>) => `event: ${v.type}\ndata: ${JSON.stringify(v)}\n\n`;
  const out = [
    ev({ type: "message_start", message: { id: "msg_1", role: "assistant", content: [] } }),
  ];
  const half = text.length >> 1;
  for (const [index, part] of [[0, text.slice(0, half)], [1, text.slice(half)]] as const) {
    out.push(ev({ type: "content_block_start", index, content_block: { type: "text", text: "" } }));
    for (let i = 0; i < part.length;) {
      let size = 1 + Math.floor(next() * 12);
      if (i + size < part.length && /[\uD800-\uDBFF]/.test(part[i + size - 1])) size++;
      const delta = { type: "text_delta", text: part.slice(i, i + size) };
      out.push(ev({ type: "content_block_delta", index, delta }));
      i += size;
    }
    out.push(ev({ type: "content_block_stop", index }));
  }
  out.push(ev({ type: "message_delta", delta: { stop_reason: "end_turn" } }));
  out.push(ev({ type: "message_stop" }));
  return out.join("");
}

Deno.test("an Anthropic stream rendered from templates is byte-identical to one parsed frame by frame", async () => {
  const off = (): StreamShape => {
    const shape = ANTHROPIC.streamShape(route);
    return { map: shape.map, carrier: shape.carrier };
  };
  for (let seed = 1; seed <= 8; seed++) {
    const next = rng(seed);
    const bytes = new TextEncoder().encode(messagesText(TEXT, next));
    const chunks = split(bytes, next);
    const err = ANTHROPIC.streamErrorFrame;
    const fast = await run(chunks, ANTHROPIC.streamShape(route), err);
    const slow = await run(chunks, off(), err);
    assertEquals(fast.text, slow.text, `seed ${seed}`);
    assertEquals(fast.findings, slow.findings, `seed ${seed}`);
    for (const secret of [CARD, KEY]) assert(!fast.text.includes(secret), secret);
  }
});

Deno.test("frames that differ beyond the delta (a counter) are parsed each time, same bytes", async () => {
  const frames: string[] = [];
  for (let n = 0; n < 40; n++) {
    frames.push(chunk({ content: TEXT.slice(n * 5, n * 5 + 5) }, { created: n }));
  }
  frames.push("[DONE]");
  const bytes = new TextEncoder().encode(frames.map((f) => `data: ${f}\n\n`).join(""));
  const fast = await run([bytes], OPENAI.streamShape(route));
  const slow = await run([bytes], unrepeatable());
  assertEquals(fast.text, slow.text);
});

Deno.test("a Gemini stream rendered from templates is byte-identical to one parsed frame by frame", async () => {
  const off = (): StreamShape => {
    const shape = GEMINI.streamShape(route);
    return { map: shape.map, carrier: shape.carrier };
  };
  for (let seed = 1; seed <= 6; seed++) {
    const next = rng(seed);
    const out: string[] = [];
    for (let i = 0; i < TEXT.length;) {
      let size = 1 + Math.floor(next() * 12);
      if (i + size < TEXT.length && /[\uD800-\uDBFF]/.test(TEXT[i + size - 1])) size++;
      const part = { text: TEXT.slice(i, i + size) };
      i += size;
      const last = i >= TEXT.length;
      out.push(JSON.stringify({
        candidates: [{
          content: { role: "model", parts: [part] },
          index: 0,
          ...(last ? { finishReason: "STOP" } : {}),
        }],
        modelVersion: "g",
        ...(last ? { usageMetadata: { totalTokenCount: 3 } } : {}),
      }));
    }
    // A chunk for the finished candidate after its end: dropped either way.
    out.push(
      JSON.stringify({ candidates: [{ content: { parts: [{ text: "late" }] }, index: 0 }] }),
    );
    const bytes = new TextEncoder().encode(out.map((f) => `data: ${f}\r\n\r\n`).join(""));
    const chunks = split(bytes, next);
    const err = GEMINI.streamErrorFrame;
    const fast = await run(chunks, GEMINI.streamShape(route), err);
    const slow = await run(chunks, off(), err);
    assertEquals(fast.text, slow.text, `seed ${seed}`);
    assertEquals(fast.findings, slow.findings, `seed ${seed}`);
    assert(!fast.text.includes("late"));
  }
});

Deno.test("bad UTF-8 and bad JSON still end a templated stream with an error frame", async () => {
  const good = new TextEncoder().encode(
    [chunk({ content: "one " }), chunk({ content: "two " }), chunk({ content: "three" })]
      .map((f) => `data: ${f}\n\n`).join(""),
  );
  const badJson = new TextEncoder().encode(
    `data: ${chunk({ content: "x" }).replace('"x"', '"x","y"')}\n\n`,
  );
  const badUtf8 = new Uint8Array([...new TextEncoder().encode('data: {"a":"'), 0xff, 0x22]);
  for (const bad of [badJson, badUtf8]) {
    const fast = await run([good, bad], OPENAI.streamShape(route));
    const slow = await run([good, bad], unrepeatable());
    assertEquals(fast.text, slow.text);
    assert(fast.text.includes('"error"'), fast.text);
  }
});

Deno.test("a template matches only the same text with one string literal in the site's place", () => {
  const data = chunk({ content: "abc" });
  const value = JSON.parse(data);
  const delta = value.choices[0].delta;
  delta.content = "";
  const t = buildTemplate(data, "abc", value, delta, "content");
  assert(t !== undefined);
  assertEquals(matchTemplate(t, chunk({ content: 'x"y\\z\u00e9' })), 'x"y\\z\u00e9');
  assertEquals(matchTemplate(t, data.replace('"abc"', '"\\u00e9"')), "\u00e9");
  assertEquals(matchTemplate(t, chunk({ content: "" })), "");
  // Two tokens, a number, an open literal, text that differs elsewhere: no match.
  assertEquals(matchTemplate(t, data.replace('"abc"', '"a","b"')), undefined);
  assertEquals(matchTemplate(t, data.replace('"abc"', "12")), undefined);
  assertEquals(matchTemplate(t, data.replace('"abc"', '"a\\"')), undefined);
  assertEquals(matchTemplate(t, chunk({ content: "abc" }, { model: "n" })), undefined);
  const out = t.outPrefix + JSON.stringify("q") + t.outSuffix;
  assertEquals(JSON.parse(out).choices[0].delta.content, "q");
});

Deno.test("no template is built when the delta's place in the text is not certain", () => {
  const site = (data: string) => {
    const value = JSON.parse(data);
    const delta = value.choices[0].delta;
    const raw = delta.content;
    delta.content = "";
    return buildTemplate(data, raw, value, delta, "content");
  };
  // The same literal twice, a delta spelled with escapes, a duplicate key whose first
  // value is the literal found.
  assertEquals(site(chunk({ content: "m" }, { model: "m" })), undefined);
  assertEquals(site(chunk({ content: "é" }).replace("é", "\\u00e9")), undefined);
  const dup = chunk({ content: "b" }).replace('{"content":"b"}', '{"content":"a","content":"b"}');
  assert(site(dup) !== undefined);
  // The literal found is an earlier value of a repeated key; the site holds the last one.
  const shadowed = chunk({ content: "b" })
    .replace('{"content":"b"}', '{"content":"b","content":"\\u0062"}');
  assertEquals(JSON.parse(shadowed).choices[0].delta.content, "b");
  assertEquals(site(shadowed), undefined);
});
