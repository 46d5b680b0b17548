/**
 * A recording mock LLM server that speaks all four protocols, streaming and not, for
 * tests, the demo and the benchmark. It records what it received and answers with
 * `Echo: <last text it was sent>`, so a test can check both directions: the upstream never
 * saw a value, and the caller got its tokens back. Streams are cut into `chunkSize`
 * pieces, so values split across frames and across tool-call argument deltas.
 *
 * @module
 */

/** One request as the upstream received it. */
export interface RecordedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path. */
  readonly path: string;
  /** Query string including `?`, or "". */
  readonly search: string;
  /** Headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body text. */
  readonly body: string;
}

/** Options for {@linkcode createMockUpstream}. */
export interface MockUpstreamOptions {
  /** Stream piece size in characters (default 4). */
  readonly chunkSize?: number;
  /** Override the reply text (default `Echo: <last text>`). */
  readonly reply?: (lastText: string, request: RecordedRequest) => string;
  /** Answer with a tool call carrying `{"text": reply}` when the request declares tools. */
  readonly toolCalls?: boolean;
  /** Delay between stream pieces in ms (default 0). */
  readonly delayMs?: number;
  /** Gzip every body (with `Content-Encoding: gzip`). */
  readonly gzip?: boolean;
  /** Add this after the stream's terminator, to prove the gateway drops it. */
  readonly afterTerminator?: string;
}

/** The mock. */
export interface MockUpstream {
  /** Handle a request (pass as the gateway's injected `fetch`, or serve it). */
  fetch(request: Request): Promise<Response>;
  /** Everything received, in order. */
  readonly requests: RecordedRequest[];
  /** How many streams were cancelled or aborted by the caller side. */
  readonly aborted: number;
}

const enc = new TextEncoder();

/**
 * Create a mock upstream.
 *
 * @param options Reply shape and stream cutting.
 * @returns The mock.
 *
 * @example
 * ```ts
 * import { createMockUpstream } from "./mock_upstream.ts";
 * const up = createMockUpstream();
 * const res = await up.fetch(new Request("http://up/api/chat", {
 *   method: "POST", body: JSON.stringify({ model: "m", stream: false,
 *     messages: [{ role: "user", content: "hi" }] }) }));
 * if ((await res.json()).message.content !== "Echo: hi") throw new Error();
 * ```
 */
export function createMockUpstream(options: MockUpstreamOptions = {}): MockUpstream {
  const requests: RecordedRequest[] = [];
  const size = Math.max(1, options.chunkSize ?? 4);
  const state = { aborted: 0 };

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const body = req.method === "GET" ? "" : await req.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of req.headers) headers[k] = v;
    const rec: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      search: url.search,
      headers,
      body,
    };
    requests.push(rec);
    let json: Record<string, unknown> = {};
    try {
      json = body === "" ? {} : JSON.parse(body);
    } catch {
      return jsonResponse({ error: { message: "bad json" } }, 400);
    }
    const text = options.reply?.(lastText(json), rec) ?? `Echo: ${lastText(json)}`;
    const tool = options.toolCalls === true && Array.isArray(json.tools) && json.tools.length > 0
      ? toolName(json.tools[0])
      : undefined;
    const pieces = cut(text, size);
    const args = JSON.stringify({ text });
    const argPieces = cut(args, size);
    const p = url.pathname;
    const stream = json.stream === true;

    if (p === "/v1/chat/completions") {
      if (!stream) {
        const message = tool === undefined ? { role: "assistant", content: text } : {
          role: "assistant",
          content: null,
          tool_calls: [{
            id: "call_1",
            type: "function",
            function: { name: tool, arguments: args },
          }],
        };
        return jsonResponse({
          ...chatBase("chat.completion"),
          choices: [{ index: 0, message, finish_reason: tool ? "tool_calls" : "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
      }
      const chunk = (delta: unknown, finish: string | null = null) =>
        `data: ${
          JSON.stringify({
            ...chatBase("chat.completion.chunk"),
            choices: [{ index: 0, delta, finish_reason: finish }],
          })
        }\n\n`;
      const frames = [chunk({ role: "assistant", content: "" })];
      if (tool === undefined) { for (const s of pieces) frames.push(chunk({ content: s })); }
      else {
        frames.push(chunk({
          tool_calls: [{
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: tool, arguments: "" },
          }],
        }));
        for (const s of argPieces) {
          frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: s } }] }));
        }
      }
      frames.push(chunk({}, tool ? "tool_calls" : "stop"), "data: [DONE]\n\n");
      return streamResponse(frames, "text/event-stream", req.signal);
    }
    if (p === "/v1/completions") {
      if (!stream) {
        return jsonResponse({
          ...chatBase("text_completion"),
          choices: [{ index: 0, text, finish_reason: "stop" }],
        });
      }
      const frames = pieces.map((s) =>
        `data: ${
          JSON.stringify({
            ...chatBase("text_completion"),
            choices: [{ index: 0, text: s, finish_reason: null }],
          })
        }\n\n`
      );
      frames.push(
        `data: ${
          JSON.stringify({
            ...chatBase("text_completion"),
            choices: [{ index: 0, text: "", finish_reason: "stop" }],
          })
        }\n\n`,
        "data: [DONE]\n\n",
      );
      return streamResponse(frames, "text/event-stream", req.signal);
    }
    if (p === "/v1/responses") {
      return responses(text, tool, args, pieces, argPieces, stream, req.signal);
    }
    if (p === "/v1/embeddings") {
      return jsonResponse({
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] }],
        model: "mock-model",
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    }
    if (p === "/v1/models") {
      return jsonResponse({
        object: "list",
        data: [{ id: "mock-model", object: "model", created: 0, owned_by: "mock" }],
      });
    }
    if (p === "/v1/messages/count_tokens") return jsonResponse({ input_tokens: 7 });
    if (p === "/v1/messages") {
      return anthropic(text, tool, args, pieces, argPieces, stream, req.signal);
    }
    const gm = /:(\w+)$/.exec(p);
    if (gm !== null && p.startsWith("/v1")) {
      return gemini(gm[1], url, text, tool, pieces, req.signal);
    }
    if (/^\/v1(beta|alpha)?\/models$/.test(p)) {
      return jsonResponse({ models: [{ name: "models/mock-model" }] });
    }
    if (p === "/api/chat" || p === "/api/generate") {
      return ollama(p === "/api/generate", json.stream !== false, text, tool, pieces, req.signal);
    }
    if (p === "/api/embed") return jsonResponse({ model: "mock-model", embeddings: [[0.1, 0.2]] });
    if (p === "/api/embeddings") return jsonResponse({ embedding: [0.1, 0.2] });
    if (p === "/api/tags") return jsonResponse({ models: [{ name: "mock-model" }] });
    return jsonResponse({ echo: text, path: p }, 200);
  }

  function jsonResponse(value: unknown, status = 200): Response {
    return finalize([JSON.stringify(value)], "application/json", status);
  }

  function streamResponse(frames: string[], type: string, signal: AbortSignal): Response {
    if (options.afterTerminator !== undefined) frames = [...frames, options.afterTerminator];
    return finalize(frames, type, 200, signal);
  }

  function finalize(
    frames: string[],
    type: string,
    status: number,
    signal?: AbortSignal,
  ): Response {
    let i = 0;
    let counted = false;
    const count = () => {
      if (!counted) state.aborted++;
      counted = true;
    };
    signal?.addEventListener("abort", () => {
      if (i < frames.length) count();
    }, { once: true });
    let body: ReadableStream<Uint8Array> = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (signal?.aborted) {
          controller.error(new DOMException("aborted", "AbortError"));
          return;
        }
        if (i >= frames.length) {
          controller.close();
          return;
        }
        if (options.delayMs && i > 0) await new Promise((r) => setTimeout(r, options.delayMs));
        controller.enqueue(enc.encode(frames[i++]));
      },
      cancel() {
        if (i < frames.length) count();
      },
    });
    const headers: Record<string, string> = {
      "content-type": type,
      "x-request-id": "req_mock",
      "set-cookie": "upstream=secret",
      server: "mock",
    };
    if (options.gzip) {
      body = body.pipeThrough(
        new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
      );
      headers["content-encoding"] = "gzip";
    }
    return new Response(body, { status, headers });
  }

  function responses(
    text: string,
    tool: string | undefined,
    args: string,
    pieces: string[],
    argPieces: string[],
    stream: boolean,
    signal: AbortSignal,
  ): Response {
    const item = tool === undefined
      ? {
        type: "message",
        id: "msg_1",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      }
      : {
        type: "function_call",
        id: "fc_1",
        call_id: "call_1",
        name: tool,
        arguments: args,
        status: "completed",
      };
    const resp = (status: string, output: unknown[]) => ({
      id: "resp_1",
      object: "response",
      created_at: 0,
      status,
      model: "mock-model",
      output,
      usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
    });
    if (!stream) return jsonResponse(resp("completed", [item]));
    let seq = 0;
    const ev = (type: string, data: Record<string, unknown>) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
    const frames = [
      ev("response.created", { response: resp("in_progress", []) }),
      ev("response.output_item.added", {
        output_index: 0,
        item: tool === undefined
          ? { ...item, status: "in_progress", content: [] }
          : { ...item, status: "in_progress", arguments: "" },
      }),
    ];
    if (tool === undefined) {
      const ids = { item_id: "msg_1", output_index: 0, content_index: 0 };
      frames.push(
        ev("response.content_part.added", {
          ...ids,
          part: { type: "output_text", text: "", annotations: [] },
        }),
      );
      for (const s of pieces) {
        frames.push(ev("response.output_text.delta", { ...ids, delta: s, logprobs: [] }));
      }
      frames.push(
        ev("response.output_text.done", { ...ids, text, logprobs: [] }),
        ev("response.content_part.done", {
          ...ids,
          part: { type: "output_text", text, annotations: [] },
        }),
      );
    } else {
      const ids = { item_id: "fc_1", output_index: 0 };
      for (const s of argPieces) {
        frames.push(ev("response.function_call_arguments.delta", { ...ids, delta: s }));
      }
      frames.push(ev("response.function_call_arguments.done", { ...ids, arguments: args }));
    }
    frames.push(
      ev("response.output_item.done", { output_index: 0, item }),
      ev("response.completed", { response: resp("completed", [item]) }),
    );
    return streamResponse(frames, "text/event-stream", signal);
  }

  function anthropic(
    text: string,
    tool: string | undefined,
    args: string,
    pieces: string[],
    argPieces: string[],
    stream: boolean,
    signal: AbortSignal,
  ): Response {
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "mock-model",
      content: tool === undefined
        ? [{ type: "text", text }]
        : [{ type: "tool_use", id: "toolu_1", name: tool, input: JSON.parse(args) }],
      stop_reason: tool === undefined ? "end_turn" : "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    if (!stream) return jsonResponse(message);
    const ev = (type: string, data: Record<string, unknown>) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const frames = [
      ev("message_start", { message: { ...message, content: [], stop_reason: null } }),
      ev("content_block_start", {
        index: 0,
        content_block: tool === undefined
          ? { type: "text", text: "" }
          : { type: "tool_use", id: "toolu_1", name: tool, input: {} },
      }),
      ev("ping", {}),
    ];
    if (tool === undefined) {
      for (const s of pieces) {
        frames.push(
          ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: s } }),
        );
      }
    } else {
      for (const s of argPieces) {
        frames.push(
          ev("content_block_delta", {
            index: 0,
            delta: { type: "input_json_delta", partial_json: s },
          }),
        );
      }
    }
    frames.push(
      ev("content_block_stop", { index: 0 }),
      ev("message_delta", {
        delta: { stop_reason: message.stop_reason, stop_sequence: null },
        usage: { output_tokens: 1 },
      }),
      ev("message_stop", {}),
    );
    return streamResponse(frames, "text/event-stream", signal);
  }

  function gemini(
    method: string,
    url: URL,
    text: string,
    tool: string | undefined,
    pieces: string[],
    signal: AbortSignal,
  ): Response {
    if (method === "countTokens") return jsonResponse({ totalTokens: 7 });
    if (method === "embedContent") return jsonResponse({ embedding: { values: [0.1, 0.2] } });
    if (method === "batchEmbedContents") return jsonResponse({ embeddings: [{ values: [0.1] }] });
    const usage = { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 };
    const parts = tool === undefined
      ? [{ text }]
      : [{ functionCall: { name: tool, args: { text } } }];
    const whole = {
      candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
      usageMetadata: usage,
      modelVersion: "mock-model",
    };
    if (method !== "streamGenerateContent") return jsonResponse(whole);
    const chunks = tool === undefined
      ? pieces.map((s, n) => ({
        candidates: [{
          content: { role: "model", parts: [{ text: s }] },
          index: 0,
          ...(n === pieces.length - 1 ? { finishReason: "STOP" } : {}),
        }],
        ...(n === pieces.length - 1 ? { usageMetadata: usage } : {}),
        modelVersion: "mock-model",
      }))
      : [whole];
    if (url.searchParams.get("alt") === "sse") {
      return streamResponse(
        chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`),
        "text/event-stream",
        signal,
      );
    }
    const frames = chunks.map((c, n) => (n === 0 ? "[" : "\n,\r\n") + JSON.stringify(c));
    frames.push("]");
    return streamResponse(frames, "application/json", signal);
  }

  function ollama(
    generate: boolean,
    stream: boolean,
    text: string,
    tool: string | undefined,
    pieces: string[],
    signal: AbortSignal,
  ): Response {
    const base = { model: "mock-model", created_at: "2026-01-01T00:00:00Z" };
    const stats = { done_reason: "stop", total_duration: 1, eval_count: 1 };
    const calls = tool === undefined
      ? undefined
      : [{ function: { name: tool, arguments: { text } } }];
    if (!stream) {
      return jsonResponse(
        generate ? { ...base, response: text, done: true, ...stats } : {
          ...base,
          message: {
            role: "assistant",
            content: tool ? "" : text,
            ...(calls ? { tool_calls: calls } : {}),
          },
          done: true,
          ...stats,
        },
      );
    }
    const line = (v: unknown) => JSON.stringify(v) + "\n";
    const frames = tool === undefined
      ? pieces.map((s) =>
        line(
          generate ? { ...base, response: s, done: false } : {
            ...base,
            message: { role: "assistant", content: s },
            done: false,
          },
        )
      )
      : [
        line({
          ...base,
          message: { role: "assistant", content: "", tool_calls: calls },
          done: false,
        }),
      ];
    frames.push(
      line(
        generate
          ? { ...base, response: "", done: true, ...stats }
          : { ...base, message: { role: "assistant", content: "" }, done: true, ...stats },
      ),
    );
    return streamResponse(frames, "application/x-ndjson", signal);
  }

  return {
    fetch: handle,
    requests,
    get aborted() {
      return state.aborted;
    },
  };
}

function chatBase(object: string) {
  return { id: "chatcmpl-1", object, created: 0, model: "mock-model" };
}

function cut(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length === 0 ? [""] : out;
}

function toolName(tool: unknown): string {
  const t = (tool ?? {}) as {
    function?: { name?: string };
    name?: string;
    functionDeclarations?: Array<{ name?: string }>;
  };
  return t.function?.name ?? t.name ?? t.functionDeclarations?.[0]?.name ?? "tool";
}

/** The last string under a content-bearing key, depth first. */
function lastText(value: unknown): string {
  let last = "";
  const visit = (v: unknown, key: string) => {
    if (typeof v === "string") {
      if (["content", "text", "prompt", "input"].includes(key)) last = v;
      return;
    }
    if (Array.isArray(v)) { for (const x of v) visit(x, key); }
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) if (k !== "tools" && k !== "system") visit(x, k);
    }
  };
  visit(value, "");
  return last;
}
