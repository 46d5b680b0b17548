import { assert, assertEquals } from "../assert.ts";
import { createChannelRewriter, type StreamShape } from "../../src/stream/channel_stream.ts";
import { rewriteStream } from "../../src/stream/rewrite_stream.ts";
import { createChunkReader } from "../../src/stream/chunk_reader.ts";
import { byteBody, jsBody } from "./_bodies.ts";

// Frames pass whole: what is checked here is how bytes become text.
const shape: StreamShape = {
  map: (f, v) => f.data === "[DONE]" ? { raw: "[DONE]", terminal: true } : { value: v },
  carrier: () => ({ value: {} }),
};

/**
 * Rewrite `chunks` read from a JS stream, or with `bytes` from a byte stream through the
 * reader that reuses one buffer (as the gateway reads a `fetch` body).
 */
async function rewrite(
  chunks: readonly Uint8Array[],
  bytes = false,
): Promise<{ text: string; end: unknown }> {
  let end: unknown = "open";
  const out = rewriteStream({
    source: bytes ? createChunkReader(byteBody(chunks)) : jsBody(chunks).getReader(),
    framing: "sse",
    errorFrame: (code) => ({ data: JSON.stringify({ error: code }) }),
    rewriter: createChannelRewriter(shape, {
      openGuard: () => {
        throw new Error("no channels here");
      },
      protectValue: (v) => Promise.resolve(v),
    }),
    maxEventBytes: 1 << 16,
    abortUpstream: () => {},
    onEnd: (why) =>
      void (end = why === undefined ? undefined : typeof why === "string" ? why : why.code),
  });
  return { text: await new Response(out).text(), end };
}

/** `bytes` cut at every position in turn into two and three chunks. */
function* cuts(bytes: Uint8Array): Generator<Uint8Array[]> {
  for (let i = 0; i <= bytes.length; i++) {
    yield [bytes.subarray(0, i), bytes.subarray(i)];
    const j = Math.min(bytes.length, i + 2);
    yield [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
  }
}

const enc = new TextEncoder();

Deno.test("multi-byte characters cut anywhere across chunks decode as in one chunk", async () => {
  const source = '\uFEFFdata: {"t":"héllo 한국어 \uFFFD 😀 \uFEFF end"}\n\n' +
    'data: {"t":"\uFEFF😀😀 é"}\n\ndata: [DONE]\n\n';
  const bytes = enc.encode(source);
  const whole = await rewrite([bytes]);
  assertEquals(whole.end, undefined);
  // The BOM that opens the body is dropped; U+FEFF and U+FFFD inside the text are kept.
  assert(whole.text.startsWith('data: {"t":"héllo'), whole.text);
  assert(whole.text.includes("\uFFFD 😀 \uFEFF end"), whole.text);
  assert(whole.text.includes('{"t":"\uFEFF😀😀 é"}'), whole.text);
  assertEquals(await rewrite([bytes], true), whole);
  for (const chunks of cuts(bytes)) {
    assertEquals(await rewrite(chunks), whole);
    assertEquals(await rewrite(chunks, true), whole);
  }
});

Deno.test("invalid UTF-8 anywhere ends the stream with the error frame", async () => {
  const good = enc.encode('data: {"t":"é"}\n\n');
  for (const bad of [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80]]) {
    const bytes = new Uint8Array([
      ...good,
      ...enc.encode('data: {"t":"x'),
      ...bad,
      ...enc.encode('"}\n\n'),
    ]);
    for (const chunks of cuts(bytes)) {
      const r = await rewrite(chunks);
      assertEquals(r.end, "stream.invalid");
      assert(r.text.endsWith('data: {"error":"stream.invalid"}\n\n'), r.text);
      assertEquals(await rewrite(chunks, true), r);
    }
  }
});

Deno.test("a body that ends inside a multi-byte sequence ends with the error frame", async () => {
  const bytes = enc.encode('data: {"t":"é"}\n\n😀');
  for (const cut of [bytes.length - 1, bytes.length - 3]) {
    const r = await rewrite([bytes.subarray(0, cut)]);
    assertEquals(r.end, "stream.invalid");
    assertEquals(await rewrite([bytes.subarray(0, cut)], true), r);
  }
});
