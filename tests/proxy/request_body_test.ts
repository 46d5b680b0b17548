// What the upstream receives for a request body: only the re-serialized protected value,
// with numbers scanned and, when not rewritten, their exact digits.
import { assert, assertEquals } from "../assert.ts";
import { EMAIL, GITHUB, rig } from "./_setup.ts";

const CARD = "4111111111111111";

function leaked(body: string): boolean {
  return body.includes(GITHUB) || body.includes(EMAIL) || body.includes(CARD);
}

Deno.test("a duplicate top-level key cannot carry an unscanned value to the upstream", async () => {
  for (const mode of ["enforce", "dry-run"] as const) {
    const r = await rig({ mode } as never);
    try {
      const raw = `{"model":"m","messages":[{"role":"user","content":"${GITHUB} ${EMAIL}"}],` +
        `"messages":[{"role":"user","content":"hi"}]}`;
      const res = await r.call("/v1/chat/completions", raw);
      assertEquals(res.status, 200, mode);
      await res.body?.cancel();
      const sent = r.up.requests[0].body;
      assert(!leaked(sent), `${mode}: ${sent}`);
      assertEquals(JSON.parse(sent), { model: "m", messages: [{ role: "user", content: "hi" }] });
    } finally {
      await r.close();
    }
  }
});

Deno.test("a duplicate nested key cannot carry an unscanned value to the upstream", async () => {
  const r = await rig();
  try {
    const raw = `{"model":"m","messages":[{"role":"user","content":"${GITHUB}","content":"hi"}]}`;
    const res = await r.call("/v1/chat/completions", raw);
    await res.body?.cancel();
    const sent = r.up.requests[0].body;
    assert(!leaked(sent), sent);
    assertEquals(JSON.parse(sent).messages, [{ role: "user", content: "hi" }]);
  } finally {
    await r.close();
  }
});

Deno.test("request numbers are scanned in tool input of every protocol and a rewritten one becomes a string", async () => {
  const cases: Array<[string, unknown, (string | number)[]]> = [
    [
      "/v1/messages",
      {
        model: "m",
        max_tokens: 16,
        messages: [{
          role: "assistant",
          content: [{ type: "tool_use", id: "t1", name: "pay", input: { card: 0 } }],
        }],
      },
      ["messages", 0, "content", 0, "input", "card"],
    ],
    [
      "/v1beta/models/gemini-pro:generateContent",
      {
        contents: [{
          role: "model",
          parts: [{ functionCall: { name: "pay", args: { card: 0 } } }],
        }],
      },
      ["contents", 0, "parts", 0, "functionCall", "args", "card"],
    ],
    [
      "/api/chat",
      {
        model: "m",
        stream: false,
        messages: [{
          role: "assistant",
          tool_calls: [{ function: { name: "pay", arguments: { card: 0 } } }],
        }],
      },
      ["messages", 0, "tool_calls", 0, "function", "arguments", "card"],
    ],
    [
      "/v1/chat/completions",
      { model: "m", messages: [{ role: "user", content: "hi" }], metadata: { card: 0 } },
      ["metadata", "card"],
    ],
  ];
  for (const [path, body, at] of cases) {
    const r = await rig();
    try {
      // The number goes in as a bare JSON number, not a string.
      const raw = JSON.stringify(body).replace('"card":0', `"card":${CARD}`);
      const res = await r.call(path, raw);
      await res.body?.cancel();
      const sent = r.up.requests[0].body;
      assert(!sent.includes(CARD), `${path}: ${sent}`);
      const value = at.reduce(
        (v: unknown, k) => (v as Record<string, unknown>)[k],
        JSON.parse(sent),
      );
      assertEquals(value, "************1111", path);
    } finally {
      await r.close();
    }
  }
});

Deno.test("a request number that is not rewritten keeps its exact digits upstream", async () => {
  const r = await rig();
  try {
    const raw = `{"model":"m","messages":[{"role":"user","content":"${EMAIL}"}],` +
      `"seed":12345678901234567891,"big":1e400,"t":0.70,"z":-0,"tiny":0.0000001,"n":[1,2.5,-3]}`;
    const res = await r.call("/v1/chat/completions", raw);
    await res.body?.cancel();
    const sent = r.up.requests[0].body;
    assert(!sent.includes(EMAIL), sent);
    assert(
      sent.endsWith(
        `"seed":12345678901234567891,"big":1e400,"t":0.70,"z":-0,"tiny":0.0000001,"n":[1,2.5,-3]}`,
      ),
      sent,
    );
  } finally {
    await r.close();
  }
});

Deno.test("a value split over sibling text parts never reaches the upstream whole", async () => {
  const a = GITHUB.slice(0, 14);
  const b = GITHUB.slice(14);
  const cases: Array<[string, unknown]> = [
    [
      "/v1beta/models/gemini-pro:generateContent",
      { contents: [{ role: "user", parts: [{ text: `see ${a}` }, { text: `${b} now` }] }] },
    ],
    [
      "/v1/chat/completions",
      {
        model: "m",
        messages: [{
          role: "user",
          content: [{ type: "text", text: `see ${a}` }, { type: "text", text: `${b} now` }],
        }],
      },
    ],
    [
      "/v1/messages",
      {
        model: "m",
        max_tokens: 16,
        messages: [{
          role: "user",
          content: [{ type: "text", text: `see ${a}` }, { type: "text", text: `${b} now` }],
        }],
      },
    ],
  ];
  for (const [path, body] of cases) {
    const r = await rig();
    try {
      const res = await r.call(path, body);
      await res.body?.cancel();
      const sent = r.up.requests[0].body;
      assert(!sent.includes(a) && !sent.includes(b), `${path}: ${sent}`);
      assert(sent.includes('"text":"see [REDACTED:github_token]"'), sent);
      assert(sent.includes('"text":" now"'), sent);
    } finally {
      await r.close();
    }
  }
});
