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
 * Held text goes out as one more line with `"done": false` just before the `done: true`
 * line.
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
  createRewriter(route, ctx) {
    return createOllamaRewriter(ctx, route.name === "generate");
  },
  errorBody,
  streamErrorFrame(_code, message) {
    return { data: JSON.stringify({ error: message }) };
  },
};

function createOllamaRewriter(ctx: RewriteContext, generate: boolean): StreamRewriter {
  const { channels } = ctx;
  let finished = false;
  let template: Record<string, unknown> = {};

  /** A `done: false` line carrying every channel's held text. */
  async function flushLine(lead: Record<string, string> = {}): Promise<Frame[]> {
    const line: Record<string, unknown> = { ...template };
    const message: Record<string, unknown> = { role: "assistant", content: "" };
    let any = false;
    const texts = new Map(Object.entries(lead));
    for (const { key, text } of await channels.flushPrefix("")) {
      texts.set(key, (texts.get(key) ?? "") + text);
    }
    for (const [key, text] of texts) {
      if (text === "") continue;
      any = true;
      if (generate) line[key] = text;
      else message[key] = text;
    }
    if (!any) return [];
    if (generate && line.response === undefined) line.response = "";
    if (!generate) line.message = message;
    line.done = false;
    return [{ data: JSON.stringify(line) }];
  }

  return {
    get finished() {
      return finished;
    },
    async frame(f) {
      if (finished) return [];
      const obj = parseObject(f.data);
      if (obj === undefined) {
        throw new HaechiError(
          "stream.invalid",
          "Upstream sent an NDJSON line that is not an object",
        );
      }
      if (obj.error !== undefined) {
        const out = await flushLine();
        finished = true;
        return [...out, { data: JSON.stringify(await ctx.protectValue(obj, "$")) }];
      }
      template = {};
      if (obj.model !== undefined) template.model = obj.model;
      if (obj.created_at !== undefined) template.created_at = obj.created_at;
      const holder = generate ? obj : obj.message;
      const pushed: Record<string, string> = {};
      if (isRecord(holder)) {
        for (const field of ["content", "response", "thinking"]) {
          if (field === "response" ? !generate : field === "content" && generate) continue;
          if (typeof holder[field] === "string") {
            const path = generate ? `$.${field}` : `$.message.${field}`;
            holder[field] = pushed[field] = await channels.push(
              field,
              holder[field] as string,
              path,
            );
          }
        }
        if (!generate && holder.tool_calls !== undefined) {
          holder.tool_calls = await ctx.protectValue(holder.tool_calls, "$.message.tool_calls");
        }
      } else if (!generate && obj.message !== undefined) {
        throw new HaechiError("stream.invalid", "Upstream chat line has a malformed message");
      }
      if (obj.done === true) {
        // Held text goes out on its own line, before the line that says the stream is done;
        // this line's own emitted text moves there too so the order stays intact.
        if (isRecord(holder)) { for (const field of Object.keys(pushed)) holder[field] = ""; }
        const out = await flushLine(pushed);
        finished = true;
        return [...out, { data: JSON.stringify(obj) }];
      }
      return [{ data: JSON.stringify(obj) }];
    },
    async end() {
      if (finished) return [];
      finished = true;
      return await flushLine();
    },
  };
}
