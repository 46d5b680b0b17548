// Gemini streams have no terminator event: a candidate's finishReason chunk is its end.
// Content for that candidate after it is dropped; a trailing usage-only chunk still passes.
import { assert, assertEquals } from "../assert.ts";
import { EMAIL, rig, sseData } from "./_setup.ts";

const body = { contents: [{ role: "user", parts: [{ text: `Write to ${EMAIL}` }] }] };
const lateText = {
  candidates: [{ content: { role: "model", parts: [{ text: "LATE" }] }, index: 0 }],
};
const lateUsage = {
  candidates: [{ content: { role: "model", parts: [{ text: "LATE" }] }, index: 0 }],
  usageMetadata: { totalTokenCount: 9 },
};

Deno.test("Gemini SSE: a chunk for a candidate after its finishReason chunk is dropped", async () => {
  const r = await rig({}, {
    chunkSize: 6,
    afterTerminator: `data: ${JSON.stringify(lateText)}\r\n\r\n`,
  });
  try {
    const res = await r.call("/v1beta/models/g:streamGenerateContent?alt=sse", body);
    const chunks = (await sseData(res)).map((d) => JSON.parse(d));
    const text = chunks.map((c) =>
      (c.candidates?.[0]?.content?.parts ?? []).map((p: { text?: string }) => p.text ?? "").join("")
    ).join("");
    assertEquals(text, `Echo: Write to ${EMAIL}`);
    assertEquals(chunks.at(-1).candidates[0].finishReason, "STOP");
  } finally {
    await r.close();
  }
});

Deno.test("Gemini SSE: a late chunk keeps its usageMetadata but loses the finished candidate's text", async () => {
  const r = await rig({}, {
    chunkSize: 6,
    afterTerminator: `data: ${JSON.stringify(lateUsage)}\r\n\r\n`,
  });
  try {
    const res = await r.call("/v1beta/models/g:streamGenerateContent?alt=sse", body);
    const chunks = (await sseData(res)).map((d) => JSON.parse(d));
    assert(!JSON.stringify(chunks).includes("LATE"), "late text reached the caller");
    assertEquals(chunks.at(-1), { usageMetadata: { totalTokenCount: 9 } });
  } finally {
    await r.close();
  }
});

Deno.test("Gemini JSON array: content after the array's end fails closed with an error element", async () => {
  const r = await rig({}, { chunkSize: 6, afterTerminator: "," + JSON.stringify(lateText) });
  try {
    const res = await r.call("/v1beta/models/g:streamGenerateContent", body);
    const raw = await res.text();
    assert(!raw.includes("LATE"), "late text reached the caller");
    const items = JSON.parse(raw) as Array<{ error?: { code: number } }>;
    assertEquals(items.at(-1)?.error?.code, 502);
  } finally {
    await r.close();
  }
});
