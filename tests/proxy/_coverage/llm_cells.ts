// The LLM half of the matrix: for each exchange, every request cell (a value planted in one
// position of the request) and every reply cell (a value planted in one position of the
// JSON reply or of a stream, or split across frames, parts and flush events), and a runner
// that sends one cell through the gateway and says which planted values arrived whole.
import {
  arrivedWhole,
  CARD,
  CARD_TEXT,
  edit,
  EMAIL,
  escapeValues,
  foldPath,
  halves,
  type Json,
  type Path,
  plantAll,
  SECRET,
  sentence,
  showPath,
  sites,
  splitOverSiblings,
  writeJson,
} from "./plant.ts";
import type { LlmExchange, StreamFrame, StreamShape } from "./llm_exchanges.ts";
import { type Framing, reassemble } from "./reassemble.ts";

/** Request headers a caller might send, each planted with a value. */
export const REQUEST_HEADERS = [
  "x-user-email",
  "x-debug",
  "openai-organization",
  "openai-project",
  "openai-beta",
  "anthropic-version",
  "anthropic-beta",
  "x-goog-api-client",
  "x-goog-user-project",
  "user-agent",
  "accept",
  "accept-language",
  "x-stainless-os",
  "traceparent",
  "x-request-id",
  "idempotency-key",
  "true-client-ip",
  "cf-connecting-ip",
  "x-client-ip",
  "x-forwarded-for",
  "x-forwarded-host",
  "via",
  "forwarded",
  "x-real-ip",
  "referer",
  "origin",
  "cookie",
];

/** Reply headers an upstream might send, each planted with a value. */
export const REPLY_HEADERS = [
  "x-request-id",
  "request-id",
  "openai-processing-ms",
  "openai-version",
  "openai-organization",
  "cache-control",
  "retry-after",
  "x-ratelimit-remaining-requests",
  "anthropic-ratelimit-requests-remaining",
  "ratelimit-policy",
  "set-cookie",
  "x-debug",
  "location",
  "www-authenticate",
  "server",
  "via",
];

/** What the upstream answers for one cell. */
export interface UpstreamReply {
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Body chunks, each enqueued separately. */
  readonly chunks: readonly string[];
}

/** One cell of the matrix. */
export interface LlmCell {
  /** `<exchange> <direction> <position> [<value>]`, stable across runs. */
  readonly id: string;
  readonly direction: "request" | "reply";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly reply: UpstreamReply;
  /** How the caller's body is framed, and which fields a client concatenates. */
  readonly framing: Framing;
  readonly channels: readonly string[];
  /** Values that must not arrive whole (at the upstream, or at the caller). */
  readonly values: readonly string[];
}

const JSON_HEADERS = { "content-type": "application/json" };

function jsonReply(reply: Json, headers?: Record<string, string>): UpstreamReply {
  return { contentType: "application/json", headers, chunks: [JSON.stringify(reply)] };
}

/** The nearest array element above `path` whose array's folded path is in `parts`. */
function partOf(path: Path, parts: readonly string[]): [Path, Path] | null {
  if (path[path.length - 1] !== "text") return null;
  for (let i = path.length - 1; i > 0; i--) {
    // Only a part's own text: `parts[i].text`, not text nested deeper in a part.
    if (i !== path.length - 2) continue;
    if (typeof path[i] === "number" && parts.includes(foldPath(path.slice(0, i)) + "[]")) {
      return [path.slice(0, i + 1), path.slice(i + 1)];
    }
  }
  return null;
}

/** Every request cell of `ex`. */
export function requestCells(ex: LlmExchange): LlmCell[] {
  const reply = jsonReply(ex.reply);
  const base = { direction: "request" as const, framing: "json" as const, channels: [], reply };
  const body = JSON.stringify(ex.request);
  const cells: LlmCell[] = [];
  const id = (where: string) => `${ex.name} request ${where}`;
  for (const p of plantAll(ex.request, { text: [SECRET, EMAIL], number: CARD })) {
    cells.push({
      ...base,
      id: id(p.where),
      path: ex.path,
      headers: JSON_HEADERS,
      body: p.text,
      values: p.values,
    });
    if (p.where.startsWith("string ")) {
      cells.push({
        ...base,
        id: id(`escaped ${p.where}`),
        path: ex.path,
        headers: JSON_HEADERS,
        body: escapeValues(p.text, p.values),
        values: p.values,
      });
    }
  }
  for (const site of sites(ex.request)) {
    if (site.kind !== "string") continue;
    const part = partOf(site.path, ex.requestParts);
    if (part === null) continue;
    for (const v of [SECRET, EMAIL]) {
      cells.push({
        ...base,
        id: id(`split-parts ${showPath(site.path)} ${v === SECRET ? "secret" : "email"}`),
        path: ex.path,
        headers: JSON_HEADERS,
        body: writeJson(splitOverSiblings(ex.request, part[0], part[1], v)),
        values: [v],
      });
    }
  }
  for (const name of REQUEST_HEADERS) {
    cells.push({
      ...base,
      id: id(`header ${name}`),
      path: ex.path,
      headers: { ...JSON_HEADERS, [name]: sentence([SECRET, EMAIL]) },
      body,
      values: [SECRET, EMAIL],
    });
  }
  const q = ex.path.includes("?") ? "&" : "?";
  const enc = encodeURIComponent;
  for (const v of [SECRET, EMAIL]) {
    const label = v === SECRET ? "secret" : "email";
    cells.push({
      ...base,
      id: id(`query value ${label}`),
      path: `${ex.path}${q}user=${enc(sentence([v]))}`,
      headers: JSON_HEADERS,
      body,
      values: [v],
    }, {
      ...base,
      id: id(`query name ${label}`),
      path: `${ex.path}${q}${enc(v)}=1`,
      headers: JSON_HEADERS,
      body,
      values: [v],
    });
    const segments = ex.path.split("?")[0].split("/");
    segments.forEach((seg, i) => {
      if (seg === "") return;
      const colon = seg.indexOf(":");
      const planted = colon > 0 ? enc(v) + seg.slice(colon) : enc(v);
      const path = [...segments.slice(0, i), planted, ...segments.slice(i + 1)].join("/");
      cells.push({
        ...base,
        id: id(`path segment ${i} ${label}`),
        path,
        headers: JSON_HEADERS,
        body,
        values: [v],
      });
    });
  }
  return cells;
}

function writeFrames(shape: StreamShape, frames: readonly StreamFrame[], extra?: {
  index: number;
  event?: string;
  id?: string;
}): string[] {
  const chunks: string[] = [];
  frames.forEach((f, i) => {
    const text = typeof f.data === "string" ? f.data : writeJson(f.data);
    if (shape.framing === "sse") {
      const event = extra?.index === i && extra.event !== undefined ? extra.event : f.event;
      const id = extra?.index === i ? extra.id : undefined;
      chunks.push(
        `${event === undefined ? "" : `event: ${event}\n`}${
          id === undefined ? "" : `id: ${id}\n`
        }` +
          `data: ${text}\n\n`,
      );
    } else if (shape.framing === "ndjson") chunks.push(text + "\n");
    else chunks.push((i === 0 ? "[" : ",\r\n") + text);
  });
  if (shape.framing === "json-array") chunks.push(frames.length === 0 ? "[]" : "]");
  if (shape.done !== undefined) chunks.push(`data: ${shape.done}\n\n`);
  return chunks;
}

/** A frame whose JSON is already written (planted text kept verbatim). */
const rawFrame = (f: StreamFrame, text: string): StreamFrame => ({ ...f, data: text });

/** A planted value's kind, for cell ids. */
function labelOf(v: string): string {
  return v === SECRET
    ? "secret"
    : v === CARD_TEXT
    ? "card"
    : v.startsWith("[TOKEN:")
    ? "token"
    : "value";
}

/**
 * Every reply cell of `ex`: the JSON reply, then each stream shape, with `values` planted
 * (default: a secret and a card, which the reply policy redacts and masks).
 */
export function replyCells(
  ex: LlmExchange,
  values: readonly string[] = [SECRET, CARD_TEXT],
): LlmCell[] {
  const cells: LlmCell[] = [];
  const request = { path: ex.path, headers: JSON_HEADERS, body: JSON.stringify(ex.request) };
  const json = { ...request, direction: "reply" as const, framing: "json" as const, channels: [] };
  const id = (where: string) => `${ex.name} reply ${where}`;
  for (const p of plantAll(ex.reply, { text: values })) {
    cells.push({
      ...json,
      id: id(`json ${p.where}`),
      reply: { contentType: "application/json", chunks: [p.text] },
      values: p.values,
    });
    if (p.where.startsWith("string ")) {
      cells.push({
        ...json,
        id: id(`json escaped ${p.where}`),
        reply: { contentType: "application/json", chunks: [escapeValues(p.text, p.values)] },
        values: p.values,
      });
    }
  }
  for (const site of sites(ex.reply)) {
    const part = site.kind === "string" ? partOf(site.path, ex.replyParts) : null;
    if (part === null) continue;
    for (const v of values) {
      cells.push({
        ...json,
        id: id(`json split-parts ${showPath(site.path)} ${labelOf(v)}`),
        reply: {
          contentType: "application/json",
          chunks: [writeJson(splitOverSiblings(ex.reply, part[0], part[1], v))],
        },
        values: [v],
      });
    }
  }
  for (const name of REPLY_HEADERS) {
    cells.push({
      ...json,
      id: id(`json header ${name}`),
      reply: jsonReply(ex.reply, { [name]: sentence(values) }),
      values,
    });
  }
  for (const shape of ex.streams) cells.push(...streamCells(ex, shape, values));
  return cells;
}

function streamCells(
  ex: LlmExchange,
  shape: StreamShape,
  values: readonly string[],
): LlmCell[] {
  const cells: LlmCell[] = [];
  const base = {
    direction: "reply" as const,
    path: shape.path,
    headers: JSON_HEADERS,
    body: JSON.stringify(shape.request),
    framing: shape.framing,
    channels: shape.channels,
  };
  const id = (where: string) => `${ex.name} reply ${shape.label} ${where}`;
  const reply = (frames: readonly StreamFrame[], extra?: Parameters<typeof writeFrames>[2]) => ({
    contentType: shape.contentType,
    chunks: writeFrames(shape, frames, extra),
  });
  const frames = shape.frames;
  const seenChannels = new Set<string>();
  frames.forEach((frame, i) => {
    const put = (f: StreamFrame | StreamFrame[]) => [
      ...frames.slice(0, i),
      ...(Array.isArray(f) ? f : [f]),
      ...frames.slice(i + 1),
    ];
    for (const p of plantAll(frame.data, { text: values })) {
      cells.push({
        ...base,
        id: id(`frame ${i} ${p.where}`),
        reply: reply(put(rawFrame(frame, p.text))),
        values: p.values,
      });
    }
    for (const line of shape.framing === "sse" ? ["event", "id"] as const : []) {
      cells.push({
        ...base,
        id: id(`frame ${i} sse ${line} line`),
        reply: reply(frames, { index: i, [line]: sentence([SECRET]) }),
        values: [SECRET],
      });
    }
    for (const site of sites(frame.data)) {
      if (site.kind !== "string") continue;
      const folded = foldPath(site.path);
      const part = partOf(site.path, shape.parts);
      for (const v of values) {
        const label = labelOf(v);
        if (part !== null) {
          cells.push({
            ...base,
            id: id(`frame ${i} split-parts ${showPath(site.path)} ${label}`),
            reply: reply(
              put({ ...frame, data: splitOverSiblings(frame.data, part[0], part[1], v) as Json }),
            ),
            values: [v],
          });
        }
        if (!shape.channels.includes(folded) || seenChannels.has(folded + label)) continue;
        seenChannels.add(folded + label);
        const [a, b] = halves(v);
        const first = { ...frame, data: edit(frame.data, site.path, () => `see ${a}`) as Json };
        const second = { ...frame, data: edit(frame.data, site.path, () => `${b} now`) as Json };
        cells.push({
          ...base,
          id: id(`frame ${i} split-frames ${showPath(site.path)} ${label}`),
          reply: reply(put([first, second])),
          values: [v],
        });
        for (const [name, flush] of Object.entries(shape.flushes)) {
          cells.push({
            ...base,
            id: id(`frame ${i} split-around ${name} ${showPath(site.path)} ${label}`),
            reply: reply(put([first, flush, second])),
            values: [v],
          });
        }
      }
    }
  });
  for (const [name, build] of Object.entries(shape.crossSplits ?? {})) {
    for (const v of values) {
      const [a, b] = halves(v);
      cells.push({
        ...base,
        id: id(`split-across ${name} ${labelOf(v)}`),
        reply: reply(build(`see ${a}`, `${b} now`)),
        values: [v],
      });
    }
  }
  for (const name of REPLY_HEADERS) {
    cells.push({
      ...base,
      id: id(`header ${name}`),
      reply: { ...reply(frames), headers: { [name]: sentence(values) } },
      values,
    });
  }
  return cells;
}

/** What the upstream received for one request. */
export interface Received {
  readonly url: string;
  readonly headers: ReadonlyArray<[string, string]>;
  readonly body: string;
}

/** An upstream stand-in: records requests, answers with the current cell's reply. */
export function cellUpstream() {
  const received: Received[] = [];
  let current: UpstreamReply = { contentType: "application/json", chunks: ["{}"] };
  return {
    received,
    set(reply: UpstreamReply) {
      current = reply;
      received.length = 0;
    },
    async fetch(req: Request): Promise<Response> {
      received.push({ url: req.url, headers: [...req.headers], body: await req.text() });
      const chunks = current.chunks;
      const enc = new TextEncoder();
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (n < chunks.length) c.enqueue(enc.encode(chunks[n++]));
          else c.close();
        },
      });
      return new Response(body, {
        headers: { "content-type": current.contentType, ...current.headers },
      });
    },
  };
}

/** Send one cell through `gateway`; the planted values that arrived whole. */
export async function runLlmCell(
  gateway: (r: Request) => Promise<Response>,
  upstream: ReturnType<typeof cellUpstream>,
  cell: LlmCell,
): Promise<string[]> {
  upstream.set(cell.reply);
  const res = await gateway(
    new Request(`http://gw.test${cell.path}`, {
      method: "POST",
      headers: cell.headers,
      body: cell.body,
    }),
  );
  const text = await res.text();
  if (cell.direction === "request") {
    const texts = upstream.received.flatMap((r) => {
      const out = [r.url, ...r.headers.map(([n, v]) => `${n}: ${v}`), r.body];
      return [...out, ...reassemble(r.body, "json")];
    });
    return arrivedWhole(texts, cell.values);
  }
  const texts = [
    ...[...res.headers].map(([n, v]) => `${n}: ${v}`),
    ...reassemble(text, cell.framing, cell.channels),
  ];
  return arrivedWhole(texts, cell.values);
}
