import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { EMAIL, rig, sseData } from "./_setup.ts";

Deno.test("a chat request's email is tokenized upstream and restored for the caller", async () => {
  const r = await rig();
  try {
    const res = await r.call("/v1/chat/completions", {
      model: "m",
      messages: [{ role: "user", content: `mail ${EMAIL} please` }],
    });
    assertEquals(res.status, 200);
    const body = await res.json();
    assert(!r.up.requests[0].body.includes(EMAIL), r.up.requests[0].body);
    assertStringIncludes(r.up.requests[0].body, "[TOKEN:email:");
    assertEquals(body.choices[0].message.content, `Echo: mail ${EMAIL} please`);
  } finally {
    await r.close();
  }
});

Deno.test("a streamed chat reply restores a token split across frames, and ends with DONE", async () => {
  const r = await rig({}, { chunkSize: 3 });
  try {
    const res = await r.call("/v1/chat/completions", {
      model: "m",
      stream: true,
      messages: [{ role: "user", content: `mail ${EMAIL} please` }],
    });
    assertEquals(res.status, 200);
    const data = await sseData(res);
    assertEquals(data.at(-1), "[DONE]");
    const text = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta?.content ?? "").join(
      "",
    );
    assertEquals(text, `Echo: mail ${EMAIL} please`);
  } finally {
    await r.close();
  }
});
