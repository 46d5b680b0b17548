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
 * Each block index and delta field is a channel; held text goes out as one more
 * `content_block_delta` just before that block's `content_block_stop`. Every other string
 * of every event is protected whole.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { streamIndex } from "../stream/mod.ts";
import {
  type ChannelSite,
  type ErrorBody,
  isRecord,
  type Protocol,
  type Route,
  type StreamShape,
} from "./types.ts";

const ROUTES: Readonly<Record<string, Omit<Route, "protocol">>> = {
  "POST /v1/messages": { name: "messages", hasBody: true, streams: true },
  "POST /v1/messages/count_tokens": {
    name: "messages.count_tokens",
    hasBody: true,
    streams: false,
  },
};

/**
 * The text channels: delta field → the delta type that carries it (for carrier events).
 * Other fields (`type`, `signature`, a block's `id` or `name`) are replaced rather than
 * joined by clients, so they are protected whole in each event.
 */
const DELTA_TYPES: Readonly<Record<string, string>> = {
  text: "text_delta",
  partial_json: "input_json_delta",
  thinking: "thinking_delta",
};

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
  streamShape() {
    return messagesShape();
  },
  errorBody,
  streamErrorFrame(_code, message) {
    return {
      event: "error",
      data: JSON.stringify({ type: "error", error: { type: "api_error", message } }),
    };
  },
};

/**
 * Messages events. Channels, per block index: `text`, `partial_json` and `thinking` of a
 * `content_block_delta`'s `delta`, joined with the same field of the block's
 * `content_block_start` (a client's snapshot starts from it). `content_block_stop` ends its block's channels,
 * `message_delta` ends all, `message_stop` and `error` are terminators. The event name is
 * the payload's `type`.
 */
function messagesShape(): StreamShape {
  function sitesOf(
    holder: Record<string, unknown>,
    index: number,
    path: string,
    sites: ChannelSite[],
  ): void {
    for (const field of Object.keys(holder)) {
      if (!Object.hasOwn(DELTA_TYPES, field) || typeof holder[field] !== "string") continue;
      const kind = field === "partial_json" ? "json" : "text";
      sites.push({
        holder,
        key: field,
        channel: `${index}:${field}`,
        kind,
        path: `${path}.${field}`,
        // Readers show a message's text blocks as one text; tool inputs stay apart.
        group: kind === "json" ? undefined : field,
      });
    }
  }

  return {
    // Mapping reads only the event's payload and keeps no state.
    repeatable: true,
    map(_f, obj) {
      if (!isRecord(obj) || typeof obj.type !== "string") {
        throw new HaechiError("stream.invalid", "Upstream sent a Messages event without a type");
      }
      const type = obj.type;
      const sites: ChannelSite[] = [];
      if (type === "content_block_delta") {
        const delta = obj.delta;
        if (obj.index === undefined || !isRecord(delta)) {
          throw new HaechiError("stream.invalid", "Upstream content_block_delta is malformed");
        }
        const index = obj.index = streamIndex(obj.index, 0);
        sitesOf(delta, index, `$.content[${index}]`, sites);
        return { event: type, value: obj, sites };
      }
      if (type === "content_block_start") {
        const index = obj.index = streamIndex(obj.index, 0);
        const block = obj.content_block;
        if (isRecord(block)) sitesOf(block, index, `$.content[${index}]`, sites);
        return { event: type, value: obj, sites };
      }
      if (type === "content_block_stop") {
        const closes = obj.index === undefined
          ? [""]
          : [`${obj.index = streamIndex(obj.index, 0)}:`];
        return { event: type, value: obj, closes };
      }
      if (type === "message_stop" || type === "error") {
        return { event: type, value: obj, terminal: true };
      }
      if (type === "message_delta") return { event: type, value: obj, closes: [""] };
      return { event: type, value: obj };
    },
    carrier(channel) {
      const at = channel.indexOf(":");
      const index = Number(channel.slice(0, at));
      const field = channel.slice(at + 1);
      const delta = { type: DELTA_TYPES[field], [field]: "" };
      return {
        event: "content_block_delta",
        value: { type: "content_block_delta", index, delta },
        sites: [{
          holder: delta,
          key: field,
          channel,
          kind: field === "partial_json" ? "json" : "text",
          path: `$.content[${index}].${field}`,
        }],
      };
    },
  };
}
