// End to end with the official Ollama client (npm:ollama) through the gateway to the
// recording mock upstream: /api/chat and /api/generate streamed (NDJSON) and not, and
// nothing after the `done: true` line.
// deno-lint-ignore no-import-prefix
import { Ollama } from "npm:ollama@0.6.4";
import { assert, assertEquals } from "../assert.ts";
import {
  AFTER,
  assertNothingAfter,
  assertRestored,
  assertUpstreamClean,
  PROMPT,
  sdkRig,
} from "./_sdk.ts";

/** A well-formed line after `done: true`: a client that kept reading would yield it. */
const AFTER_LINE = JSON.stringify({
  model: "mock-model",
  created_at: "2026-01-01T00:00:00Z",
  message: { role: "assistant", content: AFTER },
  response: AFTER,
  done: false,
}) + "\n";

function client(url: string, fetch: typeof globalThis.fetch): Ollama {
  return new Ollama({ host: url, fetch });
}

Deno.test("Ollama client chat: the upstream sees no value and the reply has the caller's email and phone back", async () => {
  const r = await sdkRig();
  try {
    const res = await client(r.url, r.fetch).chat({
      model: "mock-model",
      stream: false,
      messages: [{ role: "user", content: PROMPT }],
    });
    assertUpstreamClean(r.up);
    assertRestored(res.message.content);
  } finally {
    await r.close();
  }
});

Deno.test("Ollama client chat stream: values split across 3-character NDJSON lines come back whole and nothing follows done", async () => {
  const r = await sdkRig({ chunkSize: 3, afterTerminator: AFTER_LINE });
  try {
    const stream = await client(r.url, r.fetch).chat({
      model: "mock-model",
      stream: true,
      messages: [{ role: "user", content: PROMPT }],
    });
    let text = "";
    const done: boolean[] = [];
    for await (const part of stream) {
      text += part.message.content;
      done.push(part.done);
    }
    assertUpstreamClean(r.up);
    assertRestored(text);
    assertEquals(done.at(-1), true);
    assertEquals(done.filter((d) => d).length, 1);
    const raw = await r.raw();
    assertNothingAfter(text, raw);
    assert(JSON.parse(raw.trimEnd().split("\n").at(-1)!).done === true, "the body ends at done");
  } finally {
    await r.close();
  }
});

Deno.test("Ollama client generate, streamed and not, restores the values in the response text", async () => {
  const r = await sdkRig({ chunkSize: 5, afterTerminator: AFTER_LINE });
  try {
    const ollama = client(r.url, r.fetch);
    const whole = await ollama.generate({ model: "mock-model", prompt: PROMPT, stream: false });
    assertRestored(whole.response ?? "");
    const stream = await ollama.generate({ model: "mock-model", prompt: PROMPT, stream: true });
    let text = "";
    for await (const part of stream) text += part.response ?? "";
    assertRestored(text);
    assertUpstreamClean(r.up);
    assertNothingAfter(text, await r.raw());
  } finally {
    await r.close();
  }
});
