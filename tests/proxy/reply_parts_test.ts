// A JSON reply's sibling text parts are read as one text, so a value split across two of them
// is protected as a whole; parts no value spans keep their shape and type.
import { assert, assertEquals } from "../assert.ts";
import { S, S1, S2, scriptedRig } from "./_scripted.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const CASES: Array<[string, string, Json, (r: Json) => string]> = [
  [
    "Anthropic text blocks",
    "/v1/messages",
    {
      type: "message",
      content: [{ type: "text", text: `see ${S1}` }, { type: "text", text: `${S2} now` }],
    },
    (r) => r.content.map((b: Json) => b.text).join(""),
  ],
  [
    "Gemini parts",
    "/v1beta/models/g:generateContent",
    {
      candidates: [{
        content: { role: "model", parts: [{ text: `see ${S1}` }, { text: `${S2} now` }] },
      }],
    },
    (r) => r.candidates[0].content.parts.map((p: Json) => p.text).join(""),
  ],
  [
    "Responses output_text parts",
    "/v1/responses",
    {
      output: [{
        type: "message",
        content: [
          { type: "output_text", text: `see ${S1}`, annotations: [] },
          { type: "output_text", text: `${S2} now`, annotations: [] },
        ],
      }],
    },
    (r) => r.output[0].content.map((p: Json) => p.text).join(""),
  ],
];

for (const [name, path, reply, read] of CASES) {
  Deno.test(`JSON reply: a secret split across ${name} is redacted as a whole`, async () => {
    const r = await scriptedRig([JSON.stringify(reply)], "application/json");
    try {
      const res = await r.call(path, { model: "m", messages: [], contents: [], input: "x" });
      const body = await res.json();
      const text = read(body);
      assert(!text.includes(S) && !JSON.stringify(body).includes(S2), text);
      assert(text.startsWith("see ") && text.endsWith(" now"), text);
    } finally {
      await r.close();
    }
  });
}

Deno.test("JSON reply: typed text parts no value spans keep their parts and type", async () => {
  const reply = {
    output: [{
      type: "message",
      content: [{ type: "output_text", text: "Hello " }, { type: "output_text", text: "there" }],
    }],
  };
  const r = await scriptedRig([JSON.stringify(reply)], "application/json");
  try {
    const res = await r.call("/v1/responses", { model: "m", input: "x" });
    assertEquals((await res.json()).output, reply.output);
  } finally {
    await r.close();
  }
});
