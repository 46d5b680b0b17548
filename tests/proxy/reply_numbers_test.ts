// Replies keep every number's digits: a JSON reply and each protocol's stream frames are
// parsed without turning numbers into doubles, so a re-serialized frame carries the
// upstream's lexemes (`12345678901234567891`, `1e400`, `0.70`) unchanged.
import { assert } from "../assert.ts";
import { scriptedRig, sse } from "./_scripted.ts";

/** A JSON object literal holding numbers a double cannot carry digit for digit. */
const NUMS = `{"big":12345678901234567891,"huge":1e400,"rate":0.70}`;
/** The same numbers, as the caller must receive them. */
const EXPECT = ["12345678901234567891", "1e400", "0.70"];

function assertDigits(raw: string): void {
  for (const lexeme of EXPECT) assert(raw.includes(lexeme), `${lexeme} missing in ${raw}`);
  assert(!raw.includes("567000") && !raw.includes("null,"), raw);
}

const JSON_REPLIES: Array<[string, string, string]> = [
  [
    "OpenAI chat",
    "/v1/chat/completions",
    `{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},` +
    `"finish_reason":"stop"}],"usage":${NUMS}}`,
  ],
  [
    "Anthropic",
    "/v1/messages",
    `{"id":"m","content":[{"type":"text","text":"hi"}],"usage":${NUMS}}`,
  ],
  [
    "Gemini",
    "/v1beta/models/g:generateContent",
    `{"candidates":[{"content":{"parts":[{"text":"hi"}]}}],"usageMetadata":${NUMS}}`,
  ],
  [
    "Ollama",
    "/api/chat",
    `{"model":"m","message":{"role":"assistant","content":"hi"},"x":${NUMS}}`,
  ],
];

for (const [name, path, reply] of JSON_REPLIES) {
  Deno.test(`${name} JSON reply: numbers reach the caller digit for digit`, async () => {
    const r = await scriptedRig([reply], "application/json");
    try {
      const res = await r.call(path, { model: "m", messages: [], contents: [] });
      assertDigits(await res.text());
    } finally {
      await r.close();
    }
  });
}

const STREAMS: Array<[string, string, string, string[]]> = [
  ["OpenAI", "/v1/chat/completions", "text/event-stream", [
    `data: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}],` +
    `"usage":${NUMS}}\n\n`,
    sse("[DONE]"),
  ]],
  ["Responses", "/v1/responses", "text/event-stream", [
    `event: response.output_text.delta\ndata: {"type":"response.output_text.delta",` +
    `"sequence_number":1,"item_id":"i","output_index":0,"content_index":0,"delta":"hi",` +
    `"x":${NUMS}}\n\n`,
    `data: {"type":"response.completed","sequence_number":2,` +
    `"response":{"status":"completed","usage":${NUMS}}}\n\n`,
  ]],
  ["Anthropic", "/v1/messages", "text/event-stream", [
    `event: message_start\ndata: {"type":"message_start","message":{"id":"m","content":[],` +
    `"usage":${NUMS}}}\n\n`,
    `event: message_delta\ndata: {"type":"message_delta","delta":{},"usage":${NUMS}}\n\n`,
    `event: message_stop\ndata: {"type":"message_stop"}\n\n`,
  ]],
  ["Gemini SSE", "/v1beta/models/g:streamGenerateContent?alt=sse", "text/event-stream", [
    `data: {"candidates":[{"content":{"parts":[{"text":"hi"}]}}],"usageMetadata":${NUMS}}\n\n`,
  ]],
  ["Gemini JSON array", "/v1beta/models/g:streamGenerateContent", "application/json", [
    `[{"candidates":[{"content":{"parts":[{"text":"hi"}]}}],"usageMetadata":${NUMS}}`,
    `,{"candidates":[{"content":{"parts":[{"text":"!"}]}}],"usageMetadata":${NUMS}}]`,
  ]],
  ["Ollama NDJSON", "/api/chat", "application/x-ndjson", [
    `{"model":"m","message":{"role":"assistant","content":"hi"},"done":false,"x":${NUMS}}\n`,
    `{"model":"m","message":{"role":"assistant","content":""},"done":true,"x":${NUMS}}\n`,
  ]],
];

for (const [name, path, type, pieces] of STREAMS) {
  Deno.test(`${name} stream: numbers in a chunk reach the caller digit for digit`, async () => {
    const r = await scriptedRig(pieces, type);
    try {
      const res = await r.call(path, { model: "m", stream: true, messages: [], contents: [] });
      const raw = await res.text();
      assert(res.ok, raw);
      assertDigits(raw);
    } finally {
      await r.close();
    }
  });
}
