/**
 * Ollama's native API: `POST /api/chat`, `/api/generate`, `/api/embed` (and the older
 * `/api/embeddings`), plus `GET /api/tags`.
 *
 * Chat and generate stream **by default** (unless `"stream": false`) as NDJSON
 * (`application/x-ndjson`): one object per line, text in `message.content` (chat) or
 * `response` (generate), reasoning in `message.thinking` / `thinking`, tool calls whole
 * in `message.tool_calls[*].function.arguments` (an object). The last line has
 * `"done": true`; an error mid-stream is a line `{"error":"…"}`. Errors are
 * `{"error":"message"}`.
 *
 * Held text goes out on the `done: true` line, or on one more `"done": false` line just
 * before it when that line has no text field.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import {
  type ChannelSite,
  type ErrorBody,
  isRecord,
  type Protocol,
  type Route,
  type StreamShape,
} from "./types.ts";

const ROUTES: Readonly<Record<string, Omit<Route, "protocol">>> = {
  "POST /api/chat": { name: "chat", hasBody: true, streams: true },
  "POST /api/generate": { name: "generate", hasBody: true, streams: true },
  "POST /api/embed": { name: "embed", hasBody: true, streams: false },
  "POST /api/embeddings": { name: "embeddings", hasBody: true, streams: false },
  "GET /api/tags": { name: "tags", hasBody: false, streams: false },
};

function errorBody(status: number, _code: string, message: string): ErrorBody {
  return { status, body: { error: message } };
}

/**
 * The Ollama protocol.
 *
 * @example
 * ```ts
 * import { OLLAMA } from "./ollama.ts";
 * const r = OLLAMA.match("POST", "/api/chat")!;
 * if (!OLLAMA.wantsStream(r, {}, new URL("http://x/api/chat"))) throw new Error("default stream");
 * ```
 */
export const OLLAMA: Protocol = {
  name: "ollama",
  match(method, pathname) {
    const r = ROUTES[`${method} ${pathname}`];
    return r === undefined ? null : { protocol: "ollama", ...r };
  },
  requestContent: [
    "$.messages[*].content, $.messages[*].thinking, $.messages[*].tool_calls (chat)",
    "$.prompt, $.system, $.suffix, $.template (generate)",
    "$.tools[*].function (name, description, parameters)",
    "$.input (embed: string or array), $.prompt (embeddings)",
  ],
  responseContent: [
    "$.message.content, $.message.thinking, $.message.tool_calls (chat)",
    "$.response, $.thinking (generate)",
  ],
  wantsStream(route, body) {
    return route.streams && !(isRecord(body) && body.stream === false);
  },
  framing() {
    return "ndjson";
  },
  streamShape(route) {
    return lineShape(route.name === "generate");
  },
  errorBody,
  streamErrorFrame(_code, message) {
    return { data: JSON.stringify({ error: message }) };
  },
};

/**
 * NDJSON lines. Channels: `message.content` and `message.thinking` (chat) or `response`
 * and `thinking` (generate). The `done: true` line and an `error` line are terminators.
 * Every other string (tool calls, `model`, `done_reason`, extra fields) is protected whole.
 */
function lineShape(generate: boolean): StreamShape {
  const fields = generate ? ["response", "thinking"] : ["content", "thinking"];
  let template: Record<string, unknown> = {};

  return {
    map(_f, obj) {
      if (!isRecord(obj)) {
        throw new HaechiError(
          "stream.invalid",
          "Upstream sent an NDJSON line that is not an object",
        );
      }
      if (obj.error !== undefined) return { value: obj, terminal: true };
      template = {};
      if (obj.model !== undefined) template.model = obj.model;
      if (obj.created_at !== undefined) template.created_at = obj.created_at;
      const holder = generate ? obj : obj.message;
      if (!generate && holder !== undefined && !isRecord(holder)) {
        throw new HaechiError("stream.invalid", "Upstream chat line has a malformed message");
      }
      const sites: ChannelSite[] = [];
      if (isRecord(holder)) {
        for (const key of fields) {
          if (typeof holder[key] !== "string") continue;
          const path = generate ? `$.${key}` : `$.message.${key}`;
          sites.push({ holder, key, channel: key, path });
        }
      }
      return { value: obj, sites, terminal: obj.done === true };
    },
    carrier(channel) {
      const line: Record<string, unknown> = { ...template };
      let holder = line;
      if (generate) line.response = "";
      else line.message = holder = { role: "assistant", content: "" };
      holder[channel] = "";
      line.done = false;
      const path = generate ? `$.${channel}` : `$.message.${channel}`;
      return { value: line, sites: [{ holder, key: channel, channel, path }] };
    },
  };
}
