import { assertEquals, assertRejects, assertThrows } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import { decodeBody } from "../../src/stream/decode_body.ts";

const TEXT = 'data: {"choices":[{"delta":{"content":"héllo"}}]}\n\n'.repeat(200);

function bytes(data: Uint8Array, chunk = 1000): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= data.length) return c.close();
      c.enqueue(data.slice(i, i + chunk));
      i += chunk;
    },
  });
}

async function compress(text: string, format: CompressionFormat): Promise<Uint8Array<ArrayBuffer>> {
  const s = new Blob([new TextEncoder().encode(text)]).stream()
    .pipeThrough(
      new CompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
  return new Uint8Array(await new Response(s).arrayBuffer());
}

Deno.test("a gzip body round-trips", async () => {
  const gz = await compress(TEXT, "gzip");
  assertEquals(await new Response(decodeBody(bytes(gz, 7), "gzip")).text(), TEXT);
  assertEquals(await new Response(decodeBody(bytes(gz), "X-GZIP")).text(), TEXT);
});

Deno.test("a deflate body round-trips with and without its zlib header", async () => {
  const zlib = await compress(TEXT, "deflate");
  const raw = await compress(TEXT, "deflate-raw");
  assertEquals(await new Response(decodeBody(bytes(zlib, 1), "deflate")).text(), TEXT);
  assertEquals(await new Response(decodeBody(bytes(raw, 1), "deflate")).text(), TEXT);
});

Deno.test("stacked encodings are undone last to first", async () => {
  const inner = await compress(TEXT, "deflate");
  const outer = new Uint8Array(
    await new Response(
      new Blob([inner]).stream().pipeThrough(
        new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
      ),
    ).arrayBuffer(),
  );
  assertEquals(await new Response(decodeBody(bytes(outer), "deflate, gzip")).text(), TEXT);
});

Deno.test("identity and a missing header pass bytes through", async () => {
  const b = new TextEncoder().encode(TEXT);
  assertEquals(await new Response(decodeBody(bytes(b), null)).text(), TEXT);
  assertEquals(await new Response(decodeBody(bytes(b), "identity")).text(), TEXT);
});

Deno.test("a decompression bomb stops at the cap with payload.too_large", async () => {
  const bomb = await compress("\0".repeat(8 * 1024 * 1024), "gzip");
  assertEquals(bomb.length < 64 * 1024, true);
  let cancelled = false;
  const src = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bomb);
    },
    cancel() {
      cancelled = true;
    },
  });
  const e = await assertRejects(
    () => new Response(decodeBody(src, "gzip", { maxBytes: 256 * 1024 })).arrayBuffer(),
    HaechiError,
  );
  assertEquals((e as HaechiError).code, "payload.too_large");
  assertEquals(cancelled, true);
});

Deno.test("an unknown encoding is refused before reading", () => {
  const e = assertThrows(() => decodeBody(bytes(new Uint8Array(1)), "gzip, zstd"), HaechiError);
  assertEquals((e as HaechiError).code, "stream.invalid");
});

Deno.test("corrupt gzip surfaces as stream.invalid", async () => {
  const e = await assertRejects(
    () => new Response(decodeBody(bytes(new Uint8Array([31, 139, 8, 0, 1, 2, 3])), "gzip")).text(),
    HaechiError,
  );
  assertEquals((e as HaechiError).code, "stream.invalid");
});

Deno.test("an identity body with no size bound is passed on as the same stream", () => {
  const body = bytes(new TextEncoder().encode(TEXT));
  assertEquals(decodeBody(body, null, { maxBytes: Number.MAX_SAFE_INTEGER }) === body, true);
  assertEquals(decodeBody(body, "identity", { maxBytes: 10 }) === body, false);
});
