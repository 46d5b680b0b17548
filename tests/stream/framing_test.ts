import { assertEquals } from "../assert.ts";
import { createFrameCodec, type Framing, framingOf } from "../../src/stream/mod.ts";

Deno.test("a reply's framing comes from its content type; a JSON array only when declared", () => {
  assertEquals(framingOf("text/event-stream", "json-array"), "sse");
  assertEquals(framingOf("application/x-ndjson", undefined), "ndjson");
  assertEquals(framingOf("application/jsonl", undefined), "ndjson");
  assertEquals(framingOf("application/json; charset=utf-8", "json-array"), "json-array");
  assertEquals(framingOf("application/json", "sse"), undefined);
  assertEquals(framingOf("application/json", undefined), undefined);
  assertEquals(framingOf("text/html", "json-array"), undefined);
});

const BODIES: Record<Framing, string> = {
  sse: 'event: a\ndata: {"x":"1"}\n\n: keep-alive\n\ndata: {"y":2}\r\n\r\n',
  ndjson: '{"x":"1"}\n{"y":2}\n',
  "json-array": '[{"x":"1,]"}\r\n,{"y":2}]',
};

for (const framing of Object.keys(BODIES) as Framing[]) {
  Deno.test(`${framing}: every chunk boundary yields the same frames and the same re-serialized body`, () => {
    const body = BODIES[framing];
    const whole = createFrameCodec(framing, 1 << 16);
    const expected = [...whole.push(body), ...whole.flush()];
    const wire = expected.map((f) => whole.serialize(f)).join("") + whole.close();
    for (let cut = 1; cut < body.length; cut++) {
      const c = createFrameCodec(framing, 1 << 16);
      const frames = [...c.push(body.slice(0, cut)), ...c.push(body.slice(cut)), ...c.flush()];
      assertEquals(frames, expected, `cut at ${cut}`);
      assertEquals(frames.map((f) => c.serialize(f)).join("") + c.close(), wire);
    }
  });
}

Deno.test("an empty JSON array stream still closes as a JSON array", () => {
  const c = createFrameCodec("json-array", 1024);
  assertEquals([...c.push("[]"), ...c.flush()], []);
  assertEquals(c.close(), "[]");
});
