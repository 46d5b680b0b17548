// Body reading under the size limit: the one-piece path (declared length) and the counted
// stream path must refuse and decode alike.
import { readBodyText, readResponseText, readStreamBytes } from "../../src/proxy/body.ts";
import { HaechiError } from "../../src/errors.ts";
import { assertEquals, assertRejects } from "../assert.ts";

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  // `duplex` is what Node's Request asks for with a stream body; Deno ignores it.
  return new Request(
    "http://gw.test/",
    { method: "POST", body, headers, duplex: "half" } as RequestInit,
  );
}

async function code(p: Promise<unknown>): Promise<string> {
  const e = await assertRejects(() => p, HaechiError);
  return (e as HaechiError).code;
}

Deno.test("a body with a declared length is read whole, and one without is streamed", async () => {
  const text = '{"a":"héllo"}';
  const length = String(new TextEncoder().encode(text).length);
  assertEquals(await readBodyText(post(text, { "content-length": length }), 100), text);
  assertEquals(await readBodyText(post(new Blob([text]).stream()), 100), text);
});

Deno.test("a body longer than its declared length is still refused over the limit", async () => {
  const req = post("x".repeat(50), { "content-length": "5" });
  assertEquals(await code(readBodyText(req, 10)), "payload.too_large");
});

Deno.test("invalid UTF-8 is refused on both read paths", async () => {
  const bad = new Uint8Array([0x7b, 0xff, 0x7d]);
  assertEquals(
    await code(readBodyText(post(bad, { "content-length": "3" }), 10)),
    "input.invalid_utf8",
  );
  assertEquals(await code(readBodyText(post(new Blob([bad]).stream()), 10)), "input.invalid_utf8");
});

Deno.test("an upstream reply over the limit is refused with or without a declared length", async () => {
  const body = "y".repeat(64);
  const sized = new Response(body, { headers: { "content-length": "64" } });
  assertEquals(await code(readResponseText(sized, 32)), "payload.too_large");
  const chunked = new Response(new Blob([body]).stream());
  assertEquals(await code(readResponseText(chunked, 32)), "payload.too_large");
  assertEquals(await readResponseText(new Response(body), 64), body);
});

Deno.test("a gzip upstream reply is decoded under the limit", async () => {
  const text = JSON.stringify({ ok: "z".repeat(200) });
  const gz = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  const res = new Response(gz, { headers: { "content-encoding": "gzip" } });
  assertEquals(await readResponseText(res, 1000), text);
  const small = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  const over = new Response(small, { headers: { "content-encoding": "gzip" } });
  assertEquals(await code(readResponseText(over, 50)), "payload.too_large");
});

Deno.test("a byte stream and a chunk stream read alike: past the first buffer, at the limit and one byte over", async () => {
  const data = new Uint8Array(40_000).map((_, i) => i % 251);
  const pieces = [data.subarray(0, 7), data.subarray(7, 20_000), data.subarray(20_000)];
  const bytes = () =>
    new ReadableStream({
      type: "bytes",
      start(c) {
        for (const p of pieces) c.enqueue(p.slice());
        c.close();
      },
    });
  const chunks = () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of pieces) c.enqueue(p.slice());
        c.close();
      },
    });
  for (const make of [bytes, chunks]) {
    assertEquals(await readStreamBytes(make(), data.length), data);
    assertEquals(await readStreamBytes(make(), 1_000_000), data);
    assertEquals(await code(readStreamBytes(make(), data.length - 1)), "payload.too_large");
    assertEquals(await code(readStreamBytes(make(), 0)), "payload.too_large");
  }
  const empty = new ReadableStream({ type: "bytes", start: (c) => c.close() });
  assertEquals((await readStreamBytes(empty, 10)).length, 0);
});

Deno.test("a chunked reply from a socket is read whole and bounded", async () => {
  const text = "w".repeat(70_000);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(new Blob([text]).stream()),
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}/`;
    assertEquals(await readResponseText(await fetch(url), 70_000), text);
    assertEquals(await code(readResponseText(await fetch(url), 69_999)), "payload.too_large");
  } finally {
    await server.shutdown();
  }
});
