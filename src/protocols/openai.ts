/**
 * OpenAI-compatible HTTP API (OpenAI, vLLM, llama.cpp, LM Studio): chat completions,
 * legacy completions, embeddings and model listing. The Responses API shares the
 * routes table and error shape and lives in `openai_responses.ts`.
 *
 * Streams are SSE: each `data:` line holds a `chat.completion.chunk` (or a completions
 * chunk) and the stream ends with `data: [DONE]`. Text deltas sit in
 * `choices[i].delta.content` (also `refusal`, `reasoning_content`, `reasoning`), legacy
 * completions in `choices[i].text`, and tool-call argument deltas in
 * `choices[i].delta.tool_calls[j].function.arguments` (or the legacy
 * `delta.function_call.arguments`). Errors are `{"error":{"message","type","param","code"}}`,
 * in a stream as a `data:` line holding that object.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { createResponsesRewriter } from "./openai_responses.ts";
import {
  type ErrorBody,
  type Frame,
  isRecord,
  parseObject,
  type Protocol,
  type RewriteContext,
  type Route,
  type StreamRewriter,
} from "./types.ts";

const ROUTES: Readonly<Record<string, Omit<Route, "protocol">>> = {
  "POST /v1/chat/completions": { name: "chat.completions", hasBody: true, streams: true },
  "POST /v1/completions": { name: "completions", hasBody: true, streams: true },
  "POST /v1/responses": { name: "responses", hasBody: true, streams: true },
  "POST /v1/embeddings": { name: "embeddings", hasBody: true, streams: false },
  "GET /v1/models": { name: "models", hasBody: false, streams: false },
};

/**
 * The OpenAI error type for an HTTP status.
 *
 * @example
 * ```ts
 * import { openaiErrorType } from "./openai.ts";
 * if (openaiErrorType(403) !== "permission_error") throw new Error("403");
 * ```
 */
export function openaiErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/**
 * An OpenAI-shaped error body; also the shape for routes no protocol knows.
 *
 * @example
 * ```ts
 * import { openaiErrorBody } from "./openai.ts";
 * const e = openaiErrorBody(413, "payload.too_large", "Too large");
 * if ((e.body as { error: { code: string } }).error.code !== "payload.too_large") throw new Error();
 * ```
 */
export function openaiErrorBody(status: number, code: string, message: string): ErrorBody {
  return {
    status,
    body: { error: { message, type: openaiErrorType(status), param: null, code } },
  };
}

/**
 * The OpenAI-compatible protocol.
 *
 * @example
 * ```ts
 * import { OPENAI } from "./openai.ts";
 * if (OPENAI.match("POST", "/v1/chat/completions")?.name !== "chat.completions") throw new Error();
 * ```
 */
export const OPENAI: Protocol = {
  name: "openai",
  match(method, pathname) {
    const r = ROUTES[`${method} ${pathname}`];
    return r === undefined ? null : { protocol: "openai", ...r };
  },
  requestContent: [
    "$.messages[*].content (string or content-part array: text, image_url, input_audio, file)",
    "$.messages[*].tool_calls[*].function.arguments",
    "$.messages[*].name, $.messages[*].refusal",
    "$.tools[*].function (name, description, parameters)",
    "$.functions[*] (legacy)",
    "$.prompt (completions), $.input (embeddings; responses: string or items)",
    "$.instructions (responses)",
    "$.input[*].content[*].text, $.input[*].arguments, $.input[*].output (responses)",
  ],
  responseContent: [
    "$.choices[*].message.content, .refusal, .reasoning_content",
    "$.choices[*].message.tool_calls[*].function.arguments",
    "$.choices[*].text (completions)",
    "$.output[*].content[*].text, $.output[*].arguments, $.output_text (responses)",
  ],
  wantsStream(_route, body) {
    return isRecord(body) && body.stream === true;
  },
  framing() {
    return "sse";
  },
  createRewriter(route, ctx) {
    return route.name === "responses"
      ? createResponsesRewriter(ctx)
      : createChatRewriter(ctx, route.name === "completions");
  },
  errorBody: openaiErrorBody,
  streamErrorFrame(code, message) {
    return { data: JSON.stringify(openaiErrorBody(502, code, message).body) };
  },
};

/** Template fields copied onto a synthetic chunk so clients accept it. */
const TEMPLATE_FIELDS = ["id", "object", "created", "model", "system_fingerprint"];

function createChatRewriter(ctx: RewriteContext, legacy: boolean): StreamRewriter {
  const { channels } = ctx;
  let finished = false;
  let template: Record<string, unknown> = { object: "chat.completion.chunk" };

  /** Put flushed channel text onto choice `c` (after its own delta text). */
  function applyFlushed(c: Record<string, unknown>, key: string, text: string): void {
    const [, kind, sub] = key.split(":");
    if (kind === "text") {
      c.text = (typeof c.text === "string" ? c.text : "") + text;
      return;
    }
    const delta = isRecord(c.delta) ? c.delta : (c.delta = {}) as Record<string, unknown>;
    if (kind === "tool") {
      const index = Number(sub);
      const calls = Array.isArray(delta.tool_calls)
        ? delta.tool_calls
        : (delta.tool_calls = []) as unknown[];
      let call = calls.find((t) => isRecord(t) && t.index === index) as
        | Record<string, unknown>
        | undefined;
      if (call === undefined) calls.push(call = { index, function: { arguments: "" } });
      const fn = isRecord(call.function) ? call.function : (call.function = {}) as Record<
        string,
        unknown
      >;
      fn.arguments = (typeof fn.arguments === "string" ? fn.arguments : "") + text;
      return;
    }
    if (kind === "function_call") {
      const fc = isRecord(delta.function_call)
        ? delta.function_call
        : (delta.function_call = {}) as Record<string, unknown>;
      fc.arguments = (typeof fc.arguments === "string" ? fc.arguments : "") + text;
      return;
    }
    delta[kind] = (typeof delta[kind] === "string" ? delta[kind] : "") + text;
  }

  async function flushChoice(c: Record<string, unknown>, index: number): Promise<boolean> {
    let any = false;
    for (const { key, text } of await channels.flushPrefix(`${index}:`)) {
      if (text === "") continue;
      applyFlushed(c, key, text);
      any = true;
    }
    return any;
  }

  /** A synthetic chunk carrying every channel's held text. */
  async function flushAll(): Promise<Frame[]> {
    const indexes = [...new Set(channels.keys().map((k) => Number(k.split(":")[0])))];
    const choices: Record<string, unknown>[] = [];
    for (const index of indexes) {
      const c: Record<string, unknown> = legacy
        ? { index, text: "", finish_reason: null }
        : { index, delta: {}, finish_reason: null };
      if (await flushChoice(c, index)) choices.push(c);
    }
    return choices.length === 0 ? [] : [{ data: JSON.stringify({ ...template, choices }) }];
  }

  async function rewriteChoice(c: Record<string, unknown>, i: number): Promise<void> {
    const base = `$.choices[${i}]`;
    // Per-token log probabilities spell the output token by token, outside any guard.
    if (c.logprobs !== undefined && c.logprobs !== null) c.logprobs = null;
    if (typeof c.text === "string") {
      c.text = await channels.push(`${i}:text`, c.text, `${base}.text`);
    }
    if (isRecord(c.delta)) {
      const delta = c.delta;
      for (const key of Object.keys(delta)) {
        const v = delta[key];
        const path = `${base}.delta.${key}`;
        if (key === "role" || v === null || v === undefined) continue;
        if (typeof v === "string") {
          delta[key] = await channels.push(`${i}:${key}`, v, path);
        } else if (key === "tool_calls" && Array.isArray(v)) {
          for (let n = 0; n < v.length; n++) {
            const call = v[n];
            if (!isRecord(call)) continue;
            const j = typeof call.index === "number" ? call.index : n;
            const fn = call.function;
            if (isRecord(fn) && typeof fn.arguments === "string") {
              fn.arguments = await channels.push(
                `${i}:tool:${j}`,
                fn.arguments,
                `${path}[${j}].function.arguments`,
                "json",
              );
            }
          }
        } else if (key === "function_call" && isRecord(v) && typeof v.arguments === "string") {
          v.arguments = await channels.push(
            `${i}:function_call`,
            v.arguments,
            `${path}.arguments`,
            "json",
          );
        } else if (typeof v === "object") {
          delta[key] = await ctx.protectValue(v, path);
        }
      }
    } else if (isRecord(c.message)) {
      c.message = await ctx.protectValue(c.message, `${base}.message`);
    }
    if (c.finish_reason !== undefined && c.finish_reason !== null) await flushChoice(c, i);
  }

  return {
    get finished() {
      return finished;
    },
    async frame(f) {
      if (finished) return [];
      if (f.data.trim() === "[DONE]") {
        const out = await flushAll();
        finished = true;
        return [...out, { data: "[DONE]" }];
      }
      const obj = parseObject(f.data);
      if (obj === undefined) {
        throw new HaechiError("stream.invalid", "Upstream sent a stream frame that is not JSON");
      }
      if (obj.error !== undefined) {
        const out = await flushAll();
        return [...out, { data: JSON.stringify(await ctx.protectValue(obj, "$")) }];
      }
      const choices = obj.choices;
      if (choices !== undefined && !Array.isArray(choices)) {
        throw new HaechiError("stream.invalid", "Upstream stream chunk has no choices array");
      }
      template = {};
      for (const k of TEMPLATE_FIELDS) if (obj[k] !== undefined) template[k] = obj[k];
      for (let n = 0; n < (choices?.length ?? 0); n++) {
        const c = choices![n];
        if (!isRecord(c)) {
          throw new HaechiError("stream.invalid", "Upstream stream choice is not an object");
        }
        await rewriteChoice(c, typeof c.index === "number" ? c.index : n);
      }
      return [{ event: f.event, data: JSON.stringify(obj) }];
    },
    async end() {
      if (finished) return [];
      finished = true;
      return await flushAll();
    },
  };
}
