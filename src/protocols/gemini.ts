/**
 * Google Gemini API (Generative Language): `…/models/{model}:generateContent`,
 * `:streamGenerateContent`, `:countTokens`, `:embedContent` and `:batchEmbedContents`
 * under `/v1`, `/v1beta` or `/v1alpha`.
 *
 * `:streamGenerateContent?alt=sse` streams SSE whose `data:` lines each hold a whole
 * `GenerateContentResponse`; without `alt=sse` the same objects arrive as one JSON array
 * written element by element. Text sits in `candidates[i].content.parts[j].text`
 * (`thought: true` marks reasoning); function calls arrive whole in `functionCall.args`.
 * There is no terminator event: a candidate's last chunk carries `finishReason` and the
 * stream then ends. Errors are `{"error":{"code","message","status"}}`.
 *
 * Each candidate's text (and thought) parts form a channel; held text is appended to the
 * last text part of the chunk carrying `finishReason` (or sent in a chunk just before it),
 * or sent as a last chunk at the end.
 * That chunk is the candidate's terminator: a later chunk for the same candidate is
 * dropped (its text would reach the caller after what it took as the end, and after the
 * flushed hold-back); a chunk left with no candidates passes only if it carries
 * `usageMetadata`.
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
  type StreamShape,
} from "./types.ts";

const ROUTE = /^\/v1(?:beta|alpha)?\/(?:models|tunedModels)\/[^/:]+:([A-Za-z]+)$/;
const METHODS = new Set([
  "generateContent",
  "streamGenerateContent",
  "countTokens",
  "embedContent",
  "batchEmbedContents",
]);
const LIST = /^\/v1(?:beta|alpha)?\/models$/;
/**
 * The google.rpc status name for an HTTP status.
 *
 * @example
 * ```ts
 * import { geminiStatus } from "./gemini.ts";
 * if (geminiStatus(403) !== "PERMISSION_DENIED") throw new Error("403");
 * ```
 */
export function geminiStatus(status: number): string {
  switch (status) {
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
    case 502:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
  }
  return status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
}

function errorBody(status: number, _code: string, message: string): ErrorBody {
  return { status, body: { error: { code: status, message, status: geminiStatus(status) } } };
}

/**
 * The Gemini protocol.
 *
 * @example
 * ```ts
 * import { GEMINI } from "./gemini.ts";
 * const r = GEMINI.match("POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent");
 * if (r?.name !== "streamGenerateContent") throw new Error();
 * ```
 */
export const GEMINI: Protocol = {
  name: "gemini",
  match(method, pathname) {
    if (method === "GET" && LIST.test(pathname)) {
      return { protocol: "gemini", name: "models", hasBody: false, streams: false };
    }
    const m = ROUTE.exec(pathname);
    if (method !== "POST" || m === null || !METHODS.has(m[1])) return null;
    return {
      protocol: "gemini",
      name: m[1],
      hasBody: true,
      streams: m[1] === "streamGenerateContent",
    };
  },
  requestContent: [
    "$.contents[*].parts[*].text, .functionCall.args, .functionResponse.response",
    "$.systemInstruction.parts[*].text",
    "$.tools[*].functionDeclarations[*] (name, description, parameters)",
    "$.content.parts[*].text (embedContent), $.requests[*].content (batchEmbedContents)",
    "$.generateContentRequest (countTokens)",
  ],
  responseContent: [
    "$.candidates[*].content.parts[*].text",
    "$.candidates[*].content.parts[*].functionCall.args",
    "$.candidates[*].groundingMetadata, .citationMetadata",
  ],
  wantsStream(route) {
    return route.name === "streamGenerateContent";
  },
  framing(_route, url) {
    return url.searchParams.get("alt") === "sse" ? "sse" : "json-array";
  },
  streamShape() {
    return generateShape();
  },
  errorBody,
  streamErrorFrame(_code, message) {
    return { data: JSON.stringify(errorBody(502, "", message).body) };
  },
};

/**
 * `GenerateContentResponse` chunks. Channels, per candidate index: the `text` of its
 * parts (`thought: true` parts are a second channel). A candidate's `finishReason` ends
 * its channels, and a later chunk for that candidate is dropped; an `error` chunk is the
 * terminator. Every other string (other part fields, `usageMetadata`, …) is protected
 * whole.
 */
function generateShape(): StreamShape {
  /** Candidates whose `finishReason` chunk went out: nothing of theirs may follow. */
  const ended = new Set<number>();

  return {
    // Only a chunk with a `finishReason` (which closes a channel) changes `ended`.
    repeatable: true,
    map(_f, obj) {
      if (!isRecord(obj)) {
        throw new HaechiError(
          "stream.invalid",
          "Upstream sent a stream chunk that is not an object",
        );
      }
      if (obj.error !== undefined) return { value: obj, terminal: true };
      const candidates = obj.candidates;
      if (candidates === undefined) return { value: obj };
      if (!Array.isArray(candidates)) {
        throw new HaechiError("stream.invalid", "Upstream candidates is not an array");
      }
      const sites: ChannelSite[] = [];
      const closes: string[] = [];
      const kept: unknown[] = [];
      for (let n = 0; n < candidates.length; n++) {
        const c = candidates[n];
        if (!isRecord(c)) {
          throw new HaechiError("stream.invalid", "Upstream candidate is malformed");
        }
        const index = streamIndex(c.index, n);
        if (c.index !== undefined) c.index = index;
        if (ended.has(index)) continue;
        const content = c.content;
        if (content !== undefined && !isRecord(content)) {
          throw new HaechiError("stream.invalid", "Upstream candidate content is not an object");
        }
        const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
        for (let j = 0; j < parts.length; j++) {
          const p = parts[j];
          if (!isRecord(p) || typeof p.text !== "string") continue;
          const channel = `${index}:${p.thought === true ? "thought" : "text"}`;
          const path = `$.candidates[${index}].content.parts[${j}].text`;
          sites.push({ holder: p, key: "text", channel, path });
        }
        if (c.finishReason !== undefined && c.finishReason !== null) {
          closes.push(`${index}:`);
          ended.add(index);
        }
        kept.push(c);
      }
      if (kept.length === 0 && candidates.length > 0) {
        // What may legitimately trail a finished candidate is accounting, not content.
        if (obj.usageMetadata === undefined) return null;
        delete obj.candidates;
      } else obj.candidates = kept;
      return { value: obj, sites, closes };
    },
    carrier(channel) {
      const [index, kind] = channel.split(":");
      const part: Record<string, unknown> = kind === "thought"
        ? { text: "", thought: true }
        : { text: "" };
      return {
        value: {
          candidates: [{ index: Number(index), content: { role: "model", parts: [part] } }],
        },
        sites: [{
          holder: part,
          key: "text",
          channel,
          path: `$.candidates[${index}].content.parts`,
        }],
      };
    },
  };
}
