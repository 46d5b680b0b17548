// The stdio relay: a client sink that can write synchronously gets the same bytes as one
// that cannot, and the after-message hook runs once each message has been handed on.
import { assert, assertEquals } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createMcpFilter, runStdioRelay } from "../../src/mcp/mod.ts";
import type { ChildProcess, TextSink } from "../../src/runtime/mod.ts";
import { lineChild } from "./_line_child.ts";

const enc = new TextEncoder();

/** A stand-in server: answers every request line with `answer(line)`, in order. */
function echoChild(answer: (request: Record<string, unknown>) => unknown[]): ChildProcess {
  return lineChild((line, send) => {
    for (const m of answer(JSON.parse(line))) {
      sent.lines++;
      send(JSON.stringify(m));
    }
  });
}

/** Lines the stand-in server wrote in the last run. */
const sent = { lines: 0 };

const echo = (m: Record<string, unknown>): unknown[] => {
  if (!("id" in m)) return [];
  const args = (m.params as { arguments?: { message?: string } } | undefined)?.arguments;
  return [
    { jsonrpc: "2.0", method: "notifications/message", params: { data: `saw ${m.id}` } },
    {
      jsonrpc: "2.0",
      id: m.id,
      result: { content: [{ type: "text", text: `Echo: ${args?.message ?? ""}` }] },
    },
  ];
};

const CLIENT_LINES = [
  `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":` +
  `{"message":"mail jane.doe@acme-corp.com, key AKIAIOSFODNN7EXAMPLE"}}}`,
  `{"jsonrpc":"2.0","id":"two","method":"tools/call","params":{"name":"echo","arguments":` +
  `{"message":"nothing here"}}}`,
  `not json`,
  `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":` +
  `{"message":"card 4111 1111 1111 1111"}}}`,
  `[{"jsonrpc":"2.0","id":4,"method":"ping"}]`,
  `{"jsonrpc":"2.0","method":"notifications/initialized"}`,
];

async function relay(clientOut: TextSink, afterMessage?: () => void) {
  const filter = createMcpFilter({
    protector: createProtector({ ...DEFAULT_CONFIG, mode: "enforce" }),
    audit: { record: () => Promise.resolve() },
    mcp: DEFAULT_CONFIG.mcp,
    correlationId: "c1",
    trackRequests: true,
  });
  sent.lines = 0;
  const clientIn = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc.encode(CLIENT_LINES.join("\n") + "\n"));
      c.close();
    },
  });
  await runStdioRelay({
    filter,
    clientIn,
    clientOut,
    child: echoChild(echo),
    maxLineBytes: 1 << 20,
    shutdownGraceMs: 1000,
    afterMessage,
  });
}

Deno.test("a client sink with writeSync gets byte for byte what an async-only sink gets", async () => {
  const viaAsync: string[] = [];
  await relay({ write: (t) => (viaAsync.push(t), Promise.resolve()) });
  const viaSync: string[] = [];
  await relay({
    write: () => Promise.reject(new Error("the sync path must be used")),
    writeSync: (t) => void viaSync.push(t),
  });
  assertEquals(viaSync.join(""), viaAsync.join(""));
  // Answers to both good requests, errors for the bad line and the batch, the notifications.
  assert(viaAsync.length >= 6, viaAsync.join(""));
  assert(!viaAsync.join("").includes("jane.doe@acme-corp.com"));
});

Deno.test("a client sink whose writeSync throws stops getting lines, and the relay ends", async () => {
  let calls = 0;
  await relay({
    write: () => Promise.reject(new Error("unused")),
    writeSync: () => {
      calls++;
      throw new Error("EPIPE");
    },
  });
  assertEquals(calls, 1);
});

Deno.test("afterMessage runs once per message, after the message was handed to its writer", async () => {
  const events: string[] = [];
  await relay(
    { write: () => Promise.resolve(), writeSync: (t) => void events.push(`out ${t.length}`) },
    () => events.push("after"),
  );
  // Every client line and every server line.
  assert(sent.lines > 0);
  assertEquals(events.filter((e) => e === "after").length, CLIENT_LINES.length + sent.lines);
  // A server line's write comes before its hook call.
  const firstOut = events.findIndex((e) => e.startsWith("out"));
  assert(firstOut >= 0 && events[firstOut + 1] === "after", events.join(" | "));
});
