/**
 * Anthropic Messages API: `POST /v1/messages` and `POST /v1/messages/count_tokens`.
 *
 * Streams are SSE with named events: `message_start`, then per content block
 * `content_block_start` → `content_block_delta`* → `content_block_stop`, then
 * `message_delta` and `message_stop` (the terminator); `ping` may appear anywhere and an
 * `error` event ends a stream early. Deltas are typed: `text_delta` (`text`),
 * `input_json_delta` (`partial_json`, tool-call arguments), `thinking_delta`
 * (`thinking`); `signature_delta` is opaque and passes untouched. Errors are
 * `{"type":"error","error":{"type","message"}}`, in a stream as `event: error`.
 *
 * Each block index and delta field gets a guard; held text goes out as one more
 * `content_block_delta` just before that block's `content_block_stop`.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
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
  "POST /v1/messages": { name: "messages", hasBody: true, streams: true },
  "POST /v1/messages/count_tokens": {
    name: "messages.count_tokens",
    hasBody: true,
    streams: false,
  },
};

/** Delta field → the delta type that carries it, for synthetic flush events. */
const DELTA_TYPES: Readonly<Record<string, string>> = {
  text: "text_delta",
  partial_json: "input_json_delta",
  thinking: "thinking_delta",
};
/** Delta fields that must reach the caller byte for byte. */
const OPAQUE_DELTA_FIELDS = new Set(["type", "signature"]);

/**
 * The Anthropic error type for an HTTP status.
 *
 * @example
 * ```ts
 * import { anthropicErrorType } from "./anthropic.ts";
 * if (anthropicErrorType(413) !== "request_too_large") throw new Error("413");
 * ```
 */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
  }
  return status >= 500 ? "api_error" : "invalid_request_error";
}

function errorBody(status: number, _code: string, message: string): ErrorBody {
  return { status, body: { type: "error", error: { type: anthropicErrorType(status), message } } };
}

/**
 * The Anthropic Messages protocol.
 *
 * @example
 * ```ts
 * import { ANTHROPIC } from "./anthropic.ts";
 * if (ANTHROPIC.match("POST", "/v1/messages")?.name !== "messages") throw new Error();
 * ```
 */
export const ANTHROPIC: Protocol = {
  name: "anthropic",
  match(method, pathname) {
    const r = ROUTES[`${method} ${pathname}`];
    return r === undefined ? null : { protocol: "anthropic", ...r };
  },
  requestContent: [
    "$.system (string or text blocks)",
    "$.messages[*].content (string or blocks: text, image, document, tool_use.input, tool_result.content)",
    "$.tools[*] (name, description, input_schema)",
    "$.metadata",
  ],
  responseContent: [
    "$.content[*].text",
    "$.content[*].input (tool_use)",
    "$.content[*].thinking",
  ],
  wantsStream(_route, body) {
    return isRecord(body) && body.stream === true;
  },
  framing() {
    return "sse";
  },
  createRewriter(_route, ctx) {
    return createMessagesRewriter(ctx);
  },
  errorBody,
  streamErrorFrame(_code, message) {
    return {
      event: "error",
      data: JSON.stringify({ type: "error", error: { type: "api_error", message } }),
    };
  },
};

function createMessagesRewriter(ctx: RewriteContext): StreamRewriter {
  const { channels } = ctx;
  let finished = false;

  async function flushBlock(prefix: string): Promise<Frame[]> {
    const out: Frame[] = [];
    for (const { key, text } of await channels.flushPrefix(prefix)) {
      if (text === "") continue;
      const [index, field] = key.split(":");
      const delta = { type: DELTA_TYPES[field] ?? `${field}_delta`, [field]: text };
      out.push({
        event: "content_block_delta",
        data: JSON.stringify({ type: "content_block_delta", index: Number(index), delta }),
      });
    }
    return out;
  }

  return {
    get finished() {
      return finished;
    },
    async frame(f) {
      if (finished) return [];
      const obj = parseObject(f.data);
      if (obj === undefined || typeof obj.type !== "string") {
        throw new HaechiError("stream.invalid", "Upstream sent a Messages event without a type");
      }
      const type = obj.type;
      if (type === "content_block_delta") {
        const index = obj.index;
        const delta = obj.delta;
        if (typeof index !== "number" || !isRecord(delta)) {
          throw new HaechiError("stream.invalid", "Upstream content_block_delta is malformed");
        }
        for (const field of Object.keys(delta)) {
          const v = delta[field];
          if (OPAQUE_DELTA_FIELDS.has(field)) continue;
          const path = `$.content[${index}].${field}`;
          if (typeof v === "string") {
            const kind = field === "partial_json" ? "json" : "text";
            delta[field] = await channels.push(`${index}:${field}`, v, path, kind);
          } else if (v !== null && typeof v === "object") {
            delta[field] = await ctx.protectValue(v, path);
          }
        }
        return [{ event: f.event ?? type, data: JSON.stringify(obj) }];
      }
      const out: Frame[] = [];
      if (type === "content_block_stop") {
        out.push(...await flushBlock(`${typeof obj.index === "number" ? obj.index : ""}:`));
      } else if (type === "message_delta" || type === "message_stop" || type === "error") {
        out.push(...await flushBlock(""));
      }
      const safe = type === "ping" ? obj : await ctx.protectValue(obj, `$.${type}`);
      out.push({ event: f.event ?? type, data: JSON.stringify(safe) });
      if (type === "message_stop" || type === "error") finished = true;
      return out;
    },
    async end() {
      if (finished) return [];
      finished = true;
      return await flushBlock("");
    },
  };
}
