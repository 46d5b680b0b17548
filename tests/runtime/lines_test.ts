import { readLines } from "../../src/runtime/lines.ts";
import { assertEquals } from "../assert.ts";

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return ReadableStream.from(chunks.map((c) => (typeof c === "string" ? enc.encode(c) : c)));
}

async function collect(stream: ReadableStream<Uint8Array>, max?: number) {
  const out = [];
  for await (const l of readLines(stream, { maxLineBytes: max })) {
    out.push([l.number, l.kind === "text" ? l.text : l.kind, l.terminated]);
  }
  return out;
}

Deno.test("lines are split at newlines and the last unterminated line is marked", async () => {
  assertEquals(await collect(streamOf(["a\nb\n", "c"])), [
    [1, "a", true],
    [2, "b", true],
    [3, "c", false],
  ]);
});

Deno.test("a trailing newline does not produce an empty extra line", async () => {
  assertEquals(await collect(streamOf(["a\n"])), [[1, "a", true]]);
  assertEquals(await collect(streamOf([])), []);
});

Deno.test("empty lines in the middle are reported as empty lines", async () => {
  assertEquals(await collect(streamOf(["a\n\nb\n"])), [[1, "a", true], [2, "", true], [
    3,
    "b",
    true,
  ]]);
});

Deno.test("CRLF split across chunks is handled", async () => {
  assertEquals(await collect(streamOf(["one\r", "\ntwo\r\n"])), [[1, "one", true], [
    2,
    "two",
    true,
  ]]);
});

Deno.test("every chunk boundary of a multi-line input gives the same lines", async () => {
  const text = '{"a":"é"}\r\n{"b":"日本"}\n\n{"c":3}';
  const bytes = new TextEncoder().encode(text);
  const expected = await collect(streamOf([bytes]));
  for (let cut = 0; cut <= bytes.length; cut++) {
    assertEquals(
      await collect(streamOf([bytes.slice(0, cut), bytes.slice(cut)])),
      expected,
      `cut ${cut}`,
    );
  }
  // One byte per chunk, splitting every multi-byte character.
  assertEquals(await collect(streamOf([...bytes].map((b) => new Uint8Array([b])))), expected);
});

Deno.test("a line longer than maxLineBytes is skipped and reported, and reading goes on", async () => {
  assertEquals(await collect(streamOf(["x".repeat(20) + "\nok\n"]), 10), [
    [1, "too-long", true],
    [2, "ok", true],
  ]);
  assertEquals(await collect(streamOf(["x".repeat(6), "x".repeat(6), "\nok"]), 10), [
    [1, "too-long", true],
    [2, "ok", false],
  ]);
  assertEquals(await collect(streamOf(["x".repeat(10) + "\r\n"]), 10), [[1, "x".repeat(10), true]]);
});

Deno.test("an oversized line is never buffered whole", async () => {
  let pulled = 0;
  const chunk = new Uint8Array(1 << 20).fill(120);
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (++pulled > 64) {
        c.enqueue(new TextEncoder().encode("\nend\n"));
        c.close();
      } else c.enqueue(chunk);
    },
  });
  const out = [];
  for await (const l of readLines(stream, { maxLineBytes: 1024 })) out.push(l);
  assertEquals(out[0].kind, "too-long");
  assertEquals(out[0].kind === "too-long" && out[0].bytes, 64 << 20);
  assertEquals(out[1].kind === "text" && out[1].text, "end");
});

Deno.test("invalid UTF-8 in a line is reported for that line only", async () => {
  assertEquals(await collect(streamOf(["ok\n", new Uint8Array([0xff, 0x0a]), "fine"])), [
    [1, "ok", true],
    [2, "invalid-utf8", true],
    [3, "fine", false],
  ]);
});

Deno.test("stopping early cancels the underlying stream", async () => {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(new TextEncoder().encode("line\n"));
    },
    cancel() {
      cancelled = true;
    },
  });
  for await (const _ of readLines(stream)) break;
  assertEquals(cancelled, true);
});

Deno.test("20,000 lines in 7-byte chunks all arrive in order", async () => {
  const text = "0123456789abcdef\n".repeat(20_000);
  const bytes = new TextEncoder().encode(text);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.slice(i, i + 7));
  let n = 0;
  for await (const _ of readLines(ReadableStream.from(chunks))) n++;
  assertEquals(n, 20_000);
});

Deno.test("a read error after the consumer stopped early is not left unhandled", async () => {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      pulls++;
      if (pulls === 1) c.enqueue(new TextEncoder().encode("a\nb\n"));
      else c.error(new Error("disk gone"));
    },
  });
  for await (const l of readLines(stream)) {
    assertEquals(l.number, 1);
    break;
  }
  // Let a rejected read-ahead surface if it were unhandled (the test would fail).
  await new Promise((r) => setTimeout(r, 10));
});

Deno.test("a read error while lines are read ends the iteration with that error", async () => {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      pulls++;
      if (pulls === 1) c.enqueue(new TextEncoder().encode("a\nb"));
      else c.error(new Error("disk gone"));
    },
  });
  const seen: string[] = [];
  let error = "";
  try {
    for await (const l of readLines(stream)) if (l.kind === "text") seen.push(l.text);
  } catch (e) {
    error = (e as Error).message;
  }
  assertEquals([seen, error], [["a"], "disk gone"]);
});

Deno.test("a read failing while the consumer is still busy with a line ends the iteration with that error", async () => {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      pulls++;
      if (pulls === 1) return c.enqueue(new TextEncoder().encode("a\nb\n"));
      // Fails after the read-ahead started and before the consumer awaits it.
      await new Promise((r) => setTimeout(r, 1));
      throw new Error("disk gone");
    },
  }, { highWaterMark: 0 });
  const seen: string[] = [];
  let error = "";
  try {
    for await (const l of readLines(stream)) {
      await new Promise((r) => setTimeout(r, 20));
      if (l.kind === "text") seen.push(l.text);
    }
  } catch (e) {
    error = (e as Error).message;
  }
  assertEquals([seen, error], [["a", "b"], "disk gone"]);
});
