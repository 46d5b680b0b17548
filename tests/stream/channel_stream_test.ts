// The one owner of stream protection: hold back, flush before the frame that ends a channel,
// never split a channel, scan everything else whole, nothing after the terminator. A toy
// protocol ("t" deltas on channel "c", an "end" flag that closes it, "STOP" the terminator)
// drives it so the rules are tested apart from any real wire format.
import { assert, assertEquals, assertThrows } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import type { AppliedFinding } from "../../src/protect/mod.ts";
import {
  createChannelRewriter,
  type Frame,
  streamIndex,
  type StreamShape,
} from "../../src/stream/channel_stream.ts";
import { createTextGuard } from "../../src/stream/text_guard.ts";

const S = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const PATTERN = /ghp_[A-Za-z0-9]{36}/g;

function find(text: string): AppliedFinding[] {
  return [...text.matchAll(PATTERN)].map((m) => ({
    type: "github_token",
    ruleId: "github-pat",
    category: "secret" as const,
    action: "redact" as const,
    confidence: 1,
    path: "$",
    start: m.index,
    end: m.index + m[0].length,
  }));
}

const protect = (t: string) =>
  Promise.resolve({ output: t.replace(PATTERN, "[REDACTED]"), findings: find(t), blocked: false });

/** Protects strings of a JSON value the same way, in place; counts its calls. */
function protectValue(value: unknown): Promise<unknown> {
  if (typeof value === "string") return Promise.resolve(value.replace(PATTERN, "[REDACTED]"));
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(PATTERN, "[REDACTED]");
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[walk(k) as string] = walk(x);
      Object.keys(v).forEach((k) => delete (v as Record<string, unknown>)[k]);
      return Object.assign(v, out);
    }
    return v;
  };
  return Promise.resolve(walk(value));
}

const shape: StreamShape = {
  map(f, v) {
    if (f.data === "STOP") return { raw: "STOP", terminal: true };
    const obj = v as Record<string, unknown>;
    // `b` names a block: blocks are channels of one group, read one after another.
    const channel = typeof obj.b === "number" ? `b${obj.b}` : "c";
    const group = typeof obj.b === "number" ? "blocks" : undefined;
    const sites = typeof obj.t === "string"
      ? [{ holder: obj, key: "t", channel, path: "$.t", group }]
      : [];
    return { event: f.event, value: obj, sites, closes: obj.end === true ? ["c"] : [] };
  },
  carrier(channel) {
    const value = { carried: true, t: "" };
    return { value, sites: [{ holder: value, key: "t", channel, path: "$.t" }] };
  },
};

function rewriter() {
  return createChannelRewriter(shape, {
    openGuard: ({ context }) =>
      createTextGuard({ protect, scan: find, window: 48, step: 1, context }),
    protectValue,
  });
}

async function run(frames: Frame[]): Promise<Frame[]> {
  const rw = rewriter();
  const out: Frame[] = [];
  for (const f of frames) out.push(...await rw.frame(f));
  out.push(...await rw.end());
  return out;
}

const text = (out: Frame[]) =>
  out.filter((f) => f.data !== "STOP").map((f) => JSON.parse(f.data).t ?? "").join("");
const frame = (t: string, extra: Record<string, unknown> = {}): Frame => ({
  data: JSON.stringify({ t, ...extra }),
});

Deno.test("a secret split across two frames at any point is redacted whole", async () => {
  for (let cut = 1; cut < S.length; cut++) {
    const out = await run([frame(`key ${S.slice(0, cut)}`), frame(`${S.slice(cut)} done`)]);
    assertEquals(text(out), "key [REDACTED] done", `cut ${cut}`);
  }
});

Deno.test("a secret split around a frame that ends its channel never arrives whole", async () => {
  for (let cut = 1; cut < S.length; cut++) {
    const out = await run([
      frame(`key ${S.slice(0, cut)}`, { end: true }),
      frame(`${S.slice(cut)} done`),
      { data: "STOP" },
    ]);
    const got = text(out);
    assert(!got.includes(S), `cut ${cut}: ${got}`);
    assert(got.endsWith(" done"), got);
  }
});

Deno.test("a frame that ends a channel carries its own text and then the held rest, in order", async () => {
  const out = await run([frame("Hello there, my "), frame("friend.", { end: true })]);
  assertEquals(text(out), "Hello there, my friend.");
  assertEquals(JSON.parse(out.at(-1)!.data).end, true);
  assert(!out.some((f) => JSON.parse(f.data).carried === true), "no carrier was needed");
});

Deno.test("held text of a channel with no delta in the ending frame leaves in a carrier just before it", async () => {
  const out = await run([frame("Hello there"), { data: '{"end":true}' }]);
  assertEquals(out.map((f) => JSON.parse(f.data)), [
    { t: "" },
    { carried: true, t: "Hello there" },
    { end: true },
  ]);
});

Deno.test("the terminator flushes every channel first and nothing follows it", async () => {
  const rw = rewriter();
  const out = [...await rw.frame(frame("tail text")), ...await rw.frame({ data: "STOP" })];
  assertEquals(out.map((f) => f.data), ['{"t":""}', '{"carried":true,"t":"tail text"}', "STOP"]);
  assert(rw.finished);
  assertEquals(await rw.frame(frame(S)), []);
  assertEquals(await rw.end(), []);
});

Deno.test("every string outside the channels, keys and the event name included, is protected whole", async () => {
  const out = await run([{
    event: `ev ${S}`,
    data: JSON.stringify({ t: "hi", note: S, [S]: 1, deep: [{ x: `a ${S}` }] }),
  }]);
  const all = out.map((f) => `${f.event ?? ""}${f.data}`).join("");
  assert(!all.includes(S), all);
  assertEquals(out[0].event, "ev [REDACTED]");
});

Deno.test("the delta itself is not scanned whole by the value protection", async () => {
  const seen: unknown[] = [];
  const rw = createChannelRewriter(shape, {
    openGuard: () => createTextGuard({ protect, scan: find, window: 48, step: 1 }),
    protectValue: (v) => (seen.push(JSON.stringify(v)), protectValue(v)),
  });
  await rw.frame(frame("a fairly long delta that the guard holds"));
  assertEquals(seen, ['{"t":""}']);
});

Deno.test("stream indexes: numbers and their decimal spellings agree, anything else is refused", () => {
  assertEquals(streamIndex(3, 0), 3);
  assertEquals(streamIndex("3", 0), 3);
  assertEquals(streamIndex(undefined, 7), 7);
  for (const bad of [-1, 1.5, "x", "0x1", true, {}]) {
    const e = assertThrows(() => streamIndex(bad, 0), HaechiError) as HaechiError;
    assertEquals(e.code, "stream.invalid");
  }
});

Deno.test("with a cleanliness check, clean frames skip value protection and a dirty string is protected every time", async () => {
  let calls = 0;
  const rw = createChannelRewriter(shape, {
    openGuard: () => createTextGuard({ protect, scan: find, window: 48, step: 1 }),
    protectValue: (v) => (calls++, protectValue(v)),
    isClean: (t) => find(t).length === 0,
  });
  const out: Frame[] = [];
  for (let i = 0; i < 3; i++) {
    out.push(...await rw.frame(frame("x", { id: "same-id", model: "m" })));
  }
  assertEquals(calls, 0);
  for (let i = 0; i < 3; i++) out.push(...await rw.frame(frame("x", { note: S })));
  assertEquals(calls, 3);
  assert(!out.some((f) => f.data.includes(S)));
});

Deno.test("a secret split across two channels a reader joins is replaced where it becomes whole", async () => {
  for (let cut = 1; cut < S.length; cut++) {
    const out = await run([
      frame(`key ${S.slice(0, cut)}`, { b: 0 }),
      frame(`${S.slice(cut)} done`, { b: 1 }),
      { data: "STOP" },
    ]);
    const got = text(out);
    assert(!got.includes(S), `cut ${cut}: ${got}`);
    assert(got.endsWith(" done"), got);
  }
});
