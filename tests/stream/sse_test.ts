import { assertEquals, assertThrows } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import { createSseParser, serializeSseEvent, type SseEvent } from "../../src/stream/sse.ts";

function parseAll(chunks: readonly string[], maxEventBytes?: number): SseEvent[] {
  const p = createSseParser({ maxEventBytes });
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.flush());
  return out;
}

const STREAM = '\uFEFFevent: delta\r\nid: 7\r\ndata: {"a":1}\r\n\r\n' +
  ": keep-alive\r\n" +
  "data: line one\r\ndata:line two\r\ndata\r\n\r\n" +
  "retry: 3000\nevent\ndata: 한국어 ✓\n\n" +
  "data: [DONE]\n\n";

const EXPECTED: SseEvent[] = [
  { event: "delta", id: "7", data: '{"a":1}' },
  { data: "", comment: "keep-alive" },
  { data: "line one\nline two\n" },
  { retry: 3000, data: "한국어 ✓" },
  { data: "[DONE]" },
];

Deno.test("a multi-event stream gives the same events at every single split point", () => {
  assertEquals(parseAll([STREAM]), EXPECTED);
  for (let i = 0; i <= STREAM.length; i++) {
    assertEquals(parseAll([STREAM.slice(0, i), STREAM.slice(i)]), EXPECTED, `split at ${i}`);
  }
});

Deno.test("a stream fed one character at a time gives the same events", () => {
  assertEquals(parseAll([...STREAM]), EXPECTED);
});

Deno.test("a CRLF split between its CR and LF ends one line, not two", () => {
  const out = parseAll(["data: a\r", "\ndata: b\r", "\n\r", "\n"]);
  assertEquals(out, [{ data: "a\nb" }]);
});

Deno.test("CR-only line endings frame events", () => {
  assertEquals(parseAll(["event: x\rdata: 1\r\rdata: 2\r", "\r"]), [
    { event: "x", data: "1" },
    { data: "2" },
  ]);
});

Deno.test("every split of a CR-only stream gives the same events", () => {
  const s = "data: a\rdata: b\r\r: c\rdata: d\r\r";
  const want = [{ data: "a\nb" }, { data: "", comment: "c" }, { data: "d" }];
  for (let i = 0; i <= s.length; i++) {
    assertEquals(parseAll([s.slice(0, i), s.slice(i)]), want, `split at ${i}`);
  }
});

Deno.test("comments are reported with one leading space removed", () => {
  assertEquals(parseAll([":ping\n: pong\n:  two\n\n"]), [
    { data: "", comment: "ping" },
    { data: "", comment: "pong" },
    { data: "", comment: " two" },
  ]);
});

Deno.test("only one space after the colon is stripped from a value", () => {
  assertEquals(parseAll(["data:  x\ndata:y\n\n"]), [{ data: " x\ny" }]);
});

Deno.test("a block without data is not dispatched and unknown fields are ignored", () => {
  assertEquals(parseAll(["event: ping\nid: 1\n\nfoo: bar\ndata: z\n\n"]), [{ data: "z" }]);
});

Deno.test("a non-numeric retry and an id holding NUL are ignored", () => {
  assertEquals(parseAll(["retry: 1s\nid: a\0b\ndata: q\n\n"]), [{ data: "q" }]);
});

Deno.test("flush dispatches a last block that lacks its blank line", () => {
  assertEquals(parseAll(["data: 1\n\ndata: [DONE]"]), [{ data: "1" }, { data: "[DONE]" }]);
});

Deno.test("an event over maxEventBytes throws stream.invalid", () => {
  const p = createSseParser({ maxEventBytes: 64 });
  p.push("data: " + "a".repeat(30) + "\n");
  const e = assertThrows(() => p.push("data: " + "b".repeat(40) + "\n"), HaechiError);
  assertEquals((e as HaechiError).code, "stream.invalid");
});

Deno.test("an unterminated line over maxEventBytes throws before its newline arrives", () => {
  const p = createSseParser({ maxEventBytes: 100 });
  p.push("data: ");
  assertThrows(() => {
    for (let i = 0; i < 20; i++) p.push("x".repeat(10));
  }, HaechiError);
});

Deno.test("the event bound counts UTF-8 bytes, not UTF-16 units", () => {
  const p = createSseParser({ maxEventBytes: 40 });
  assertThrows(() => p.push("data: " + "한".repeat(12) + "\n"), HaechiError);
  assertEquals(createSseParser({ maxEventBytes: 40 }).push("data: " + "a".repeat(12) + "\n\n"), [
    { data: "a".repeat(12) },
  ]);
});

Deno.test("the event bound trips at the same byte for every split, ASCII or not, CR or LF", () => {
  // One event of mixed ASCII and multi-byte lines: its size in UTF-8 bytes, as the bound
  // counts it (each line and its end).
  const lines = ["data: abc", "data: 한국어 ✓ 😀", "event: e", "data: " + "x".repeat(20)];
  const size = lines.reduce((n, l) => n + new TextEncoder().encode(l).length + 1, 0);
  for (const end of ["\n", "\r\n", "\r"]) {
    const text = lines.join(end) + end + end;
    for (const max of [size - 1, size]) {
      for (let seed = 1; seed <= 30; seed++) {
        let s = seed;
        const chunks: string[] = [];
        for (let i = 0; i < text.length;) {
          s = (s * 1103515245 + 12345) % 2147483648;
          let n = 1 + (s % 9);
          // Decoded chunks hold whole code points: never cut a surrogate pair.
          if (/[\uD800-\uDBFF]/.test(text[i + n - 1] ?? "")) n++;
          chunks.push(text.slice(i, i + n));
          i += n;
        }
        const whole = () => parseAll([text], max);
        const split = () => parseAll(chunks, max);
        if (max < size) {
          assertThrows(whole, HaechiError);
          assertThrows(split, HaechiError);
        } else assertEquals(split(), whole());
      }
    }
  }
});

Deno.test("many small events stay cheap (linear in the stream)", () => {
  const s = 'data: {"x":1}\n\n'.repeat(20_000);
  const p = createSseParser();
  let n = 0;
  for (let i = 0; i < s.length; i += 7) n += p.push(s.slice(i, i + 7)).length;
  assertEquals(n + p.flush().length, 20_000);
});

Deno.test("serialize splits multi-line data and round-trips through the parser", () => {
  const events: SseEvent[] = [
    { event: "message_delta", id: "9", retry: 10, data: "a\nb\r\nc" },
    { data: "", comment: "ping" },
    { data: "" },
  ];
  const wire = events.map(serializeSseEvent).join("");
  assertEquals(wire.startsWith("event: message_delta\nid: 9\nretry: 10\ndata: a\ndata: b\n"), true);
  assertEquals(parseAll([wire]), [
    { event: "message_delta", id: "9", retry: 10, data: "a\nb\nc" },
    { data: "", comment: "ping" },
    { data: "" },
  ]);
});

Deno.test("serialize refuses an event name holding a line break", () => {
  assertThrows(() => serializeSseEvent({ event: "x\ndata: injected", data: "" }), HaechiError);
});
