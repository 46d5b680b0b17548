import { assertEquals, assertThrows } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import { createNdjsonParser } from "../../src/stream/ndjson.ts";

function splitAll(chunks: readonly string[], maxLineBytes?: number): string[] {
  const p = createNdjsonParser({ maxLineBytes });
  const out: string[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.flush());
  return out;
}

const STREAM = '{"message":{"content":"안녕"},"done":false}\r\n\n' +
  '{"message":{"content":" there"},"done":false}\n   \n' +
  '{"done":true,"eval_count":3}';
const LINES = [
  '{"message":{"content":"안녕"},"done":false}',
  '{"message":{"content":" there"},"done":false}',
  '{"done":true,"eval_count":3}',
];

Deno.test("an NDJSON stream gives the same lines at every split point", () => {
  for (let i = 0; i <= STREAM.length; i++) {
    assertEquals(splitAll([STREAM.slice(0, i), STREAM.slice(i)]), LINES, `split at ${i}`);
  }
});

Deno.test("an NDJSON stream fed one character at a time gives the same lines", () => {
  assertEquals(splitAll([...STREAM]), LINES);
});

Deno.test("blank and whitespace-only lines are skipped", () => {
  assertEquals(splitAll(["\n\r\n  \n{}\n"]), ["{}"]);
});

Deno.test("a line over maxLineBytes throws stream.invalid", () => {
  const p = createNdjsonParser({ maxLineBytes: 16 });
  const e = assertThrows(() => p.push('{"a":"' + "x".repeat(20) + '"}\n'), HaechiError);
  assertEquals((e as HaechiError).code, "stream.invalid");
});

Deno.test("an unterminated line over maxLineBytes throws before its newline", () => {
  const p = createNdjsonParser({ maxLineBytes: 16 });
  p.push("x".repeat(10));
  assertThrows(() => p.push("x".repeat(10)), HaechiError);
});

Deno.test("a line of exactly maxLineBytes with CRLF is accepted", () => {
  assertEquals(splitAll(["x".repeat(16) + "\r", "\n"], 16), ["x".repeat(16)]);
  assertEquals(splitAll(["x".repeat(16) + "\r"], 16), ["x".repeat(16)]);
});
