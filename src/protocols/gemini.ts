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
 * Each candidate's text (and thought) channel gets a guard; held text is appended as a
 * text part to the chunk carrying `finishReason`, or sent as a last chunk at the end.
 * That chunk is the candidate's terminator: a later chunk for the same candidate is
 * dropped (its text would reach the caller after what it took as the end, and after the
 * flushed hold-back); a chunk left with no candidates passes only if it carries
 * `usageMetadata`.
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
  type StreamRewriter,
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
/** Part fields that must reach the caller unchanged (signatures, media). */
const OPAQUE_PART_FIELDS = new Set([
  "text",
  "thought",
  "thoughtSignature",
  "inlineData",
  "fileData",
]);

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
  createRewriter(_route, ctx) {
    return createGeminiRewriter(ctx);
  },
  errorBody,
  streamErrorFrame(_code, message) {
    return { data: JSON.stringify(errorBody(502, "", message).body) };
  },
};

function createGeminiRewriter(ctx: RewriteContext): StreamRewriter {
  const { channels } = ctx;
  let finished = false;
  /** Candidates whose `finishReason` chunk went out: nothing of theirs may follow. */
  const ended = new Set<number>();

  async function flushedParts(prefix: string): Promise<Record<string, unknown>[]> {
    const parts: Record<string, unknown>[] = [];
    for (const { key, text } of await channels.flushPrefix(prefix)) {
      if (text === "") continue;
      parts.push(key.endsWith(":thought") ? { text, thought: true } : { text });
    }
    return parts;
  }

  async function rewriteCandidate(c: Record<string, unknown>, i: number): Promise<void> {
    const content = c.content;
    delete c.content;
    Object.assign(c, await ctx.protectValue(c, `$.candidates[${i}]`));
    if (isRecord(content)) {
      const parts = Array.isArray(content.parts) ? content.parts : [];
      for (let j = 0; j < parts.length; j++) {
        const p = parts[j];
        if (!isRecord(p)) continue;
        const path = `$.candidates[${i}].content.parts[${j}]`;
        if (typeof p.text === "string") {
          p.text = await channels.push(`${i}:${p.thought ? "thought" : "text"}`, p.text, path);
        }
        for (const k of Object.keys(p)) {
          if (!OPAQUE_PART_FIELDS.has(k)) p[k] = await ctx.protectValue(p[k], `${path}.${k}`);
        }
      }
      if (c.finishReason !== undefined && c.finishReason !== null) {
        const extra = await flushedParts(`${i}:`);
        if (extra.length > 0) content.parts = [...parts, ...extra];
      }
      c.content = content;
    } else if (content !== undefined) {
      throw new HaechiError("stream.invalid", "Upstream candidate content is not an object");
    }
  }

  async function flushAll(): Promise<Frame[]> {
    const indexes = [...new Set(channels.keys().map((k) => Number(k.split(":")[0])))];
    const candidates = [];
    for (const index of indexes) {
      const parts = await flushedParts(`${index}:`);
      if (parts.length > 0) candidates.push({ index, content: { role: "model", parts } });
    }
    return candidates.length === 0 ? [] : [{ data: JSON.stringify({ candidates }) }];
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
          "Upstream sent a stream chunk that is not an object",
        );
      }
      if (obj.error !== undefined) {
        const out = await flushAll();
        finished = true;
        return [...out, { data: JSON.stringify(await ctx.protectValue(obj, "$")) }];
      }
      const candidates = obj.candidates;
      delete obj.candidates;
      const rest = await ctx.protectValue(obj, "$") as Record<string, unknown>;
      let kept: unknown[] | undefined;
      if (candidates !== undefined) {
        if (!Array.isArray(candidates)) {
          throw new HaechiError("stream.invalid", "Upstream candidates is not an array");
        }
        kept = [];
        for (let n = 0; n < candidates.length; n++) {
          const c = candidates[n];
          if (!isRecord(c)) {
            throw new HaechiError("stream.invalid", "Upstream candidate is malformed");
          }
          const index = typeof c.index === "number" ? c.index : n;
          if (ended.has(index)) continue;
          await rewriteCandidate(c, index);
          if (c.finishReason !== undefined && c.finishReason !== null) ended.add(index);
          kept.push(c);
        }
      }
      const dropped = kept !== undefined && kept.length === 0 && candidates!.length > 0;
      // What may legitimately trail a finished candidate is accounting, not content.
      if (dropped && rest.usageMetadata === undefined) return [];
      const out = kept === undefined || dropped ? rest : { candidates: kept, ...rest };
      return [{ data: JSON.stringify(out) }];
    },
    async end() {
      if (finished) return [];
      finished = true;
      return await flushAll();
    },
  };
}
