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
import { streamIndex } from "../stream/mod.ts";
import { responsesShape } from "./openai_responses.ts";
import {
  type ChannelSite,
  type ErrorBody,
  isRecord,
  type Protocol,
  type Route,
  type StreamShape,
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
  streamShape(route) {
    return route.name === "responses" ? responsesShape() : chatShape();
  },
  errorBody: openaiErrorBody,
  streamErrorFrame(code, message) {
    return { data: JSON.stringify(openaiErrorBody(502, code, message).body) };
  },
};

/** Template fields copied onto a carrier chunk so clients accept it. */
const TEMPLATE_FIELDS = ["id", "object", "created", "model", "system_fingerprint"];

/** A site for a string clients join but must get at once (see `ChannelSite.hold`). */
function at(holder: Record<string, unknown>, key: string, path: string) {
  return { holder, key, path, hold: false };
}

/**
 * Chat and legacy completions chunks. Channels, per choice index: every string field of
 * `delta` but `role` (`content`, `refusal`, `reasoning_content`, …), the text parts of a
 * `content` array (one channel with a string `content`), each tool call's
 * `function.arguments` by tool-call index, `function_call.arguments`, and legacy `text`;
 * a tool call's `id` and `function.name` (and `function_call.name`) are channels that
 * hold nothing back.
 * A choice's `finish_reason` ends its channels; `[DONE]` is the terminator; an `error`
 * chunk ends every channel. Everything else is protected whole by the owner.
 */
function chatShape(): StreamShape {
  let template: Record<string, unknown> = { object: "chat.completion.chunk" };

  function mapChoice(c: Record<string, unknown>, n: number, sites: ChannelSite[]): number {
    const i = streamIndex(c.index, n);
    c.index = i;
    const base = `$.choices[${i}]`;
    // Per-token log probabilities spell the output token by token, outside any guard.
    if (c.logprobs !== undefined && c.logprobs !== null) c.logprobs = null;
    if (typeof c.text === "string") {
      sites.push({ holder: c, key: "text", channel: `${i}:text`, path: `${base}.text` });
    }
    const delta = c.delta;
    if (!isRecord(delta)) return i;
    for (const key of Object.keys(delta)) {
      const v = delta[key];
      const path = `${base}.delta.${key}`;
      if (key === "role") continue;
      if (typeof v === "string") {
        sites.push({ holder: delta, key, channel: `${i}:d:${key}`, path });
      } else if (key === "content" && Array.isArray(v)) {
        for (const part of v) {
          if (isRecord(part) && typeof part.text === "string") {
            sites.push({ holder: part, key: "text", channel: `${i}:d:content`, path });
          }
        }
      } else if (key === "tool_calls" && Array.isArray(v)) {
        for (let m = 0; m < v.length; m++) {
          const call = v[m];
          if (!isRecord(call)) continue;
          const j = streamIndex(call.index, m);
          call.index = j;
          const fn = call.function;
          // Some clients join a tool call's id and name across chunks as they join text.
          if (typeof call.id === "string") {
            sites.push({ ...at(call, "id", `${path}[${j}].id`), channel: `${i}:ti:${j}` });
          }
          if (isRecord(fn) && typeof fn.name === "string") {
            const p = `${path}[${j}].function.name`;
            sites.push({ ...at(fn, "name", p), channel: `${i}:tn:${j}` });
          }
          if (isRecord(fn) && typeof fn.arguments === "string") {
            const at = `${path}[${j}].function.arguments`;
            sites.push({
              holder: fn,
              key: "arguments",
              channel: `${i}:t:${j}`,
              kind: "json",
              path: at,
            });
          }
        }
      } else if (key === "function_call" && isRecord(v)) {
        if (typeof v.name === "string") {
          sites.push({ ...at(v, "name", `${path}.name`), channel: `${i}:fn` });
        }
        if (typeof v.arguments !== "string") continue;
        sites.push({
          holder: v,
          key: "arguments",
          channel: `${i}:f`,
          kind: "json",
          path: `${path}.arguments`,
        });
      }
    }
    return i;
  }

  return {
    // Mapping reads only the frame; its one state, the carrier template, is set from fields
    // that are never sites, so a frame repeated with another delta sets it the same way.
    repeatable: true,
    map(f, value) {
      if (f.data.trim() === "[DONE]") return { raw: "[DONE]", terminal: true };
      if (!isRecord(value)) {
        throw new HaechiError("stream.invalid", "Upstream sent a stream frame that is not JSON");
      }
      if (value.error !== undefined) return { event: f.event, value, closes: [""] };
      const choices = value.choices;
      if (choices !== undefined && !Array.isArray(choices)) {
        throw new HaechiError("stream.invalid", "Upstream stream chunk has no choices array");
      }
      template = {};
      for (const k of TEMPLATE_FIELDS) if (value[k] !== undefined) template[k] = value[k];
      const sites: ChannelSite[] = [];
      const closes: string[] = [];
      for (let n = 0; n < (choices?.length ?? 0); n++) {
        const c = choices![n];
        if (!isRecord(c)) {
          throw new HaechiError("stream.invalid", "Upstream stream choice is not an object");
        }
        const i = mapChoice(c, n, sites);
        if (c.finish_reason !== undefined && c.finish_reason !== null) closes.push(`${i}:`);
      }
      return { event: f.event, value, sites, closes };
    },
    carrier(channel) {
      const [index, kind, ...rest] = channel.split(":");
      const sub = rest.join(":");
      const i = Number(index);
      const part = { arguments: "" } as Record<string, unknown>;
      let site: ChannelSite;
      let choice: Record<string, unknown>;
      if (kind === "text") {
        choice = { index: i, text: "", finish_reason: null };
        site = { holder: choice, key: "text", channel, path: `$.choices[${i}].text` };
      } else if (kind === "t") {
        const j = Number(sub);
        const call = { index: j, function: part };
        choice = { index: i, delta: { tool_calls: [call] }, finish_reason: null };
        site = { holder: part, key: "arguments", channel, kind: "json", path: "$.choices" };
      } else if (kind === "f") {
        choice = { index: i, delta: { function_call: part }, finish_reason: null };
        site = { holder: part, key: "arguments", channel, kind: "json", path: "$.choices" };
      } else if (kind === "ti" || kind === "tn" || kind === "fn") {
        // A token tail a restorer held back in a tool call's id or name.
        const named = { name: "" };
        const call: Record<string, unknown> = kind === "ti"
          ? { index: Number(sub), id: "" }
          : { index: Number(sub), function: named };
        const delta = kind === "fn" ? { function_call: named } : { tool_calls: [call] };
        choice = { index: i, delta, finish_reason: null };
        site = kind === "ti"
          ? { ...at(call, "id", "$.choices"), channel }
          : { ...at(named, "name", "$.choices"), channel };
      } else {
        const delta: Record<string, unknown> = { [sub]: "" };
        choice = { index: i, delta, finish_reason: null };
        site = { holder: delta, key: sub, channel, path: `$.choices[${i}].delta.${sub}` };
      }
      return { value: { ...template, choices: [choice] }, sites: [site] };
    },
  };
}
