// The MCP half of the matrix: valid JSON-RPC exchanges (tool calls, resource reads, errors,
// server notifications and server requests), every cell that plants a value into them, and
// runners for the stdio relay (in-process, with a stand-in child) and for Streamable HTTP
// (through the gateway's MCP mount).
import {
  arrivedWhole,
  CARD,
  CARD_TEXT,
  EMAIL,
  foldPath,
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
import { reassemble } from "./reassemble.ts";
import type { ChildProcess } from "../../../src/runtime/mod.ts";
import { lineChild } from "../../mcp/_line_child.ts";
import { runStdioRelay } from "../../../src/mcp/mod.ts";
import type { McpFilter } from "../../../src/mcp/mod.ts";

/** A client message and the server message that follows it. */
export interface McpExchange {
  readonly name: string;
  /** Client → server. */
  readonly request: Json;
  /** Server → client (an answer to `request`, or a message of the server's own). */
  readonly reply: Json;
  /** Folded paths of arrays in `reply` whose elements are sibling text parts. */
  readonly replyParts: readonly string[];
}

const rpc = (id: number, method: string, params: Json): Json => ({
  jsonrpc: "2.0",
  id,
  method,
  params,
});

/** Every MCP exchange the matrix covers. */
export const MCP_EXCHANGES: readonly McpExchange[] = [
  {
    name: "initialize",
    request: rpc(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: { roots: { listChanged: true } },
      clientInfo: { name: "client", version: "1.0.0" },
    }),
    reply: {
      jsonrpc: "2.0",
      id: 1,
      result: {
        protocolVersion: "2025-06-18",
        capabilities: { tools: { listChanged: false } },
        serverInfo: { name: "files", version: "0.1.0" },
        instructions: "Use search first.",
      },
    },
    replyParts: [],
  },
  {
    name: "tools/call",
    request: rpc(1, "tools/call", {
      name: "search_files",
      arguments: {
        query: "quarterly report",
        limit: 5,
        filters: { owner: "team", tags: ["draft", "final"] },
        recursive: true,
      },
      _meta: { progressToken: "p-1" },
    }),
    reply: {
      jsonrpc: "2.0",
      id: 1,
      result: {
        content: [
          { type: "text", text: "Found 2 files" },
          { type: "text", text: "in the archive" },
          {
            type: "resource",
            resource: { uri: "file:///srv/notes.txt", mimeType: "text/plain", text: "hello" },
          },
        ],
        structuredContent: { files: [{ path: "/srv/notes.txt", size: 12 }] },
        isError: false,
      },
    },
    replyParts: ["result.content[]"],
  },
  {
    name: "resources/read",
    request: rpc(1, "resources/read", { uri: "file:///srv/notes.txt" }),
    reply: {
      jsonrpc: "2.0",
      id: 1,
      result: {
        contents: [{ uri: "file:///srv/notes.txt", mimeType: "text/plain", text: "hello there" }],
      },
    },
    replyParts: [],
  },
  {
    name: "error",
    request: rpc(1, "prompts/get", { name: "summary", arguments: { topic: "sales" } }),
    reply: {
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32602, message: "Unknown prompt", data: { detail: "no such prompt" } },
    },
    replyParts: [],
  },
  {
    name: "notification",
    request: {
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 7, reason: "user stopped" },
    },
    reply: {
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { level: "info", logger: "fs", data: "indexing done" },
    },
    replyParts: [],
  },
  {
    name: "server request",
    request: rpc(1, "ping", {}),
    reply: {
      jsonrpc: "2.0",
      id: "s-1",
      method: "sampling/createMessage",
      params: {
        messages: [{ role: "user", content: { type: "text", text: "summarize this" } }],
        maxTokens: 100,
        systemPrompt: "Be brief",
      },
    },
    replyParts: [],
  },
];

/** One MCP cell. */
export interface McpCell {
  readonly id: string;
  readonly direction: "request" | "reply";
  /** Client message (JSON text). */
  readonly request: string;
  /** Server message (JSON text). */
  readonly reply: string;
  /** HTTP only: extra request headers, query, reply headers, SSE fields. */
  readonly http?: {
    readonly headers?: Readonly<Record<string, string>>;
    readonly query?: string;
    readonly replyHeaders?: Readonly<Record<string, string>>;
    readonly sse?: { readonly event?: string; readonly id?: string };
  };
  readonly values: readonly string[];
}

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

/** Cells for both transports: values in every position of the message bodies. */
export function mcpBodyCells(ex: McpExchange): McpCell[] {
  const cells: McpCell[] = [];
  const request = JSON.stringify(ex.request);
  const reply = JSON.stringify(ex.reply);
  for (const p of plantAll(ex.request, { text: [SECRET, EMAIL], number: CARD })) {
    cells.push({
      id: `${ex.name} request ${p.where}`,
      direction: "request",
      request: p.text,
      reply,
      values: p.values,
    });
  }
  for (const p of plantAll(ex.reply, { text: [SECRET, CARD_TEXT] })) {
    cells.push({
      id: `${ex.name} reply ${p.where}`,
      direction: "reply",
      request,
      reply: p.text,
      values: p.values,
    });
  }
  for (const site of sites(ex.reply)) {
    const part = site.kind === "string" ? partOf(site.path, ex.replyParts) : null;
    if (part === null) continue;
    for (const v of [SECRET, CARD_TEXT]) {
      cells.push({
        id: `${ex.name} reply split-parts ${showPath(site.path)} ${
          v === SECRET ? "secret" : "card"
        }`,
        direction: "reply",
        request,
        reply: writeJson(splitOverSiblings(ex.reply, part[0], part[1], v)),
        values: [v],
      });
    }
  }
  return cells;
}

/** Streamable HTTP only: headers, query, reply headers, SSE event names and ids. */
export function mcpHttpCells(ex: McpExchange): McpCell[] {
  const cells: McpCell[] = [];
  const request = JSON.stringify(ex.request);
  const reply = JSON.stringify(ex.reply);
  const req = (where: string, http: McpCell["http"], values: readonly string[]): McpCell => ({
    id: `${ex.name} request ${where}`,
    direction: "request",
    request,
    reply,
    http,
    values,
  });
  const rep = (where: string, http: McpCell["http"], values: readonly string[]): McpCell => ({
    id: `${ex.name} reply ${where}`,
    direction: "reply",
    request,
    reply,
    http,
    values,
  });
  for (const v of [SECRET, EMAIL]) {
    const label = v === SECRET ? "secret" : "email";
    for (const name of ["mcp-session-id", "last-event-id", "user-agent", "origin", "x-debug"]) {
      cells.push(req(`header ${name} ${label}`, { headers: { [name]: v } }, [v]));
    }
    cells.push(
      req(`query value ${label}`, { query: `?user=${encodeURIComponent(v)}` }, [v]),
      req(`query name ${label}`, { query: `?${encodeURIComponent(v)}=1` }, [v]),
    );
  }
  for (
    const name of ["x-request-id", "cache-control", "www-authenticate", "x-debug", "set-cookie"]
  ) {
    cells.push(
      rep(`header ${name}`, { replyHeaders: { [name]: sentence([SECRET, CARD_TEXT]) } }, [
        SECRET,
        CARD_TEXT,
      ]),
    );
  }
  cells.push(
    rep("header mcp-session-id", { replyHeaders: { "mcp-session-id": SECRET } }, [SECRET]),
    rep("sse event name", { sse: { event: SECRET } }, [SECRET]),
    rep("sse event id", { sse: { id: SECRET } }, [SECRET]),
  );
  return cells;
}

/** A stand-in MCP server process: answers the first line it reads with `reply`. */
function fakeChild(reply: string): { child: ChildProcess; received: string[] } {
  const received: string[] = [];
  const child = lineChild((line, send) => {
    received.push(line);
    if (received.length === 1) send(reply);
  });
  return { child, received };
}

/**
 * Run one cell through the stdio relay: the client sends the request line, the stand-in
 * server answers with the reply line. Returns the planted values that arrived whole.
 */
export async function runStdioCell(filter: McpFilter, cell: McpCell): Promise<string[]> {
  const { child, received } = fakeChild(cell.reply);
  const toClient: string[] = [];
  const clientIn = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(cell.request + "\n"));
      c.close();
    },
  });
  await runStdioRelay({
    filter,
    clientIn,
    clientOut: { write: (t) => (toClient.push(t), Promise.resolve()) },
    child,
    maxLineBytes: 1 << 20,
    shutdownGraceMs: 1000,
  });
  const seen = cell.direction === "request" ? received : toClient;
  return arrivedWhole(seen.flatMap((t) => reassemble(t, "json")), cell.values);
}

/** What the MCP upstream received, and what it answers with. */
export function mcpUpstream() {
  const received: Array<{ url: string; headers: Array<[string, string]>; body: string }> = [];
  let answer: () => Response = () => new Response(null, { status: 202 });
  return {
    received,
    answer(f: () => Response) {
      answer = f;
      received.length = 0;
    },
    async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const req = new Request(input, init);
      received.push({ url: req.url, headers: [...req.headers], body: await req.text() });
      return answer();
    },
  };
}

/**
 * Run one cell through the gateway's MCP mount: a POST of the request, answered with the
 * reply as JSON (`framing: "json"`) or as one SSE event (`"sse"`).
 */
export async function runHttpCell(
  gateway: (r: Request) => Promise<Response>,
  upstream: ReturnType<typeof mcpUpstream>,
  cell: McpCell,
  framing: "json" | "sse",
): Promise<string[]> {
  const http = cell.http ?? {};
  upstream.answer(() => {
    const headers = { ...http.replyHeaders };
    if (framing === "json") {
      return new Response(cell.reply, {
        headers: { ...headers, "content-type": "application/json" },
      });
    }
    const event = `event: ${http.sse?.event ?? "message"}\n` +
      (http.sse?.id === undefined ? "" : `id: ${http.sse.id}\n`) + `data: ${cell.reply}\n\n`;
    return new Response(event, { headers: { ...headers, "content-type": "text/event-stream" } });
  });
  const res = await gateway(
    new Request(`http://gw.test/mcp${http.query ?? ""}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...http.headers,
      },
      body: cell.request,
    }),
  );
  const text = await res.text();
  if (cell.direction === "request") {
    const texts = upstream.received.flatMap((r) => [
      r.url,
      ...r.headers.map(([n, v]) => `${n}: ${v}`),
      ...reassemble(r.body, "json"),
    ]);
    return arrivedWhole(texts, cell.values);
  }
  const framed = (res.headers.get("content-type") ?? "").startsWith("text/event-stream")
    ? "sse"
    : "json";
  return arrivedWhole([
    ...[...res.headers].map(([n, v]) => `${n}: ${v}`),
    ...reassemble(text, framed),
  ], cell.values);
}
