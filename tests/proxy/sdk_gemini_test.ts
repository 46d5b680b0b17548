// End to end with the official Google Gen AI SDK (npm:@google/genai) through the gateway
// to the recording mock upstream: generateContent and generateContentStream (SSE), values
// split across chunks, and nothing of a candidate after its finishReason chunk.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import {
  AFTER,
  assertNothingAfter,
  assertRestored,
  assertUpstreamClean,
  PROMPT,
  type SdkRig,
  sdkRig,
} from "./_sdk.ts";
import type * as GenAI from "./_genai_types.d.ts";

/**
 * The SDK is loaded through a specifier the type checker does not follow: its declarations
 * pull in @types/node (via protobufjs), whose `node:assert` overloads would replace Deno's
 * for the whole checked program and break tests/assert.ts. `_genai_types.d.ts` declares the
 * slice of the API used here.
 */
const GENAI_SPECIFIER: string = "npm:@google/genai@3.3.0";
const { GoogleGenAI } = await import(GENAI_SPECIFIER) as typeof GenAI;
type GoogleGenAI = GenAI.GoogleGenAI;

/**
 * Gemini has no terminator event: a candidate's chunk carrying `finishReason` is its end.
 * A chunk for the same candidate after it must not reach the caller.
 */
const AFTER_CHUNK = `data: ${
  JSON.stringify({
    candidates: [{ content: { role: "model", parts: [{ text: AFTER }] }, index: 0 }],
    modelVersion: "mock-model",
  })
}\r\n\r\n`;

/**
 * The SDK takes no fetch option, so the rig's recording fetch stands in for the global one
 * while `body` runs (tests in one file run one after another).
 */
async function withRecordingFetch<T>(r: SdkRig, body: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) =>
    original === r.fetch ? original(input, init) : r.fetch(
      input instanceof Request ? input : input,
      init,
    );
  try {
    return await body();
  } finally {
    globalThis.fetch = original;
  }
}

function client(url: string): GoogleGenAI {
  return new GoogleGenAI({ apiKey: "test-not-a-secret", httpOptions: { baseUrl: url } });
}

Deno.test("Gemini SDK generateContent: the upstream sees no value and the reply has the caller's email and phone back", async () => {
  const r = await sdkRig();
  try {
    const res = await client(r.url).models.generateContent({
      model: "mock-model",
      contents: PROMPT,
    });
    assertUpstreamClean(r.up);
    assertMatch(r.up.requests[0].path, /^\/v1(beta)?\/models\/mock-model:generateContent$/);
    assertRestored(res.text ?? "");
  } finally {
    await r.close();
  }
});

Deno.test("Gemini SDK generateContentStream: values split across 3-character chunks come back whole and nothing follows finishReason", async () => {
  const r = await sdkRig({ chunkSize: 3, afterTerminator: AFTER_CHUNK });
  try {
    const { text, reasons } = await withRecordingFetch(r, async () => {
      const stream = await client(r.url).models.generateContentStream({
        model: "mock-model",
        contents: PROMPT,
      });
      let text = "";
      const reasons: Array<string | undefined> = [];
      for await (const chunk of stream) {
        text += chunk.text ?? "";
        reasons.push(chunk.candidates?.[0]?.finishReason);
      }
      return { text, reasons };
    });
    assertUpstreamClean(r.up);
    assertEquals(r.up.requests[0].search, "?alt=sse");
    assertRestored(text);
    assertEquals(reasons.at(-1), "STOP", "the last chunk the SDK saw is the finishing one");
    const raw = await r.raw();
    assert(raw.length > 0, "the recording fetch saw the stream");
    assertNothingAfter(text, raw);
  } finally {
    await r.close();
  }
});

Deno.test("Gemini SDK countTokens and embedContent pass protected requests", async () => {
  const r = await sdkRig();
  try {
    const ai = client(r.url);
    const count = await ai.models.countTokens({ model: "mock-model", contents: PROMPT });
    assertEquals(count.totalTokens, 7);
    const emb = await ai.models.embedContent({ model: "mock-model", contents: PROMPT });
    assert((emb.embeddings?.[0]?.values?.length ?? 0) > 0, "an embedding came back");
    assertUpstreamClean(r.up);
  } finally {
    await r.close();
  }
});
