/**
 * The OpenAI Responses API stream (`POST /v1/responses` with `stream: true`).
 *
 * Every SSE event names its type twice (`event:` and `data.type`) and carries a
 * `sequence_number`. Text arrives in `*.delta` events with a string `delta`
 * (`response.output_text.delta`, `response.refusal.delta`,
 * `response.function_call_arguments.delta`, `response.reasoning_text.delta`,
 * `response.reasoning_summary_text.delta`, …), identified by `item_id`, `output_index`,
 * `content_index` and `summary_index`; the matching `*.done` event repeats the whole
 * text. The stream ends with `response.completed`, `response.incomplete` or
 * `response.failed` (no `[DONE]`); an `error` event also ends it.
 *
 * Each delta channel gets a guard. Its held text goes out as one more delta event just
 * before the channel's `*.done` (and before the terminal event); the `*.done`, item and
 * response snapshots are protected whole. Sequence numbers are renumbered so the extra
 * events keep them strictly increasing.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import {
  type Frame,
  isRecord,
  parseObject,
  type RewriteContext,
  type StreamRewriter,
} from "./types.ts";

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);
const ID_FIELDS = ["item_id", "output_index", "content_index", "summary_index"] as const;

/**
 * A rewriter for one Responses API stream.
 *
 * @param ctx Channels and value protection.
 * @returns The rewriter.
 *
 * @example
 * ```ts ignore
 * const rw = createResponsesRewriter(ctx);
 * await rw.frame({ event: "response.output_text.delta", data: '{"type":"response.output_text.delta","delta":"hi"}' });
 * ```
 */
export function createResponsesRewriter(ctx: RewriteContext): StreamRewriter {
  const { channels } = ctx;
  let finished = false;
  let seq: number | undefined;
  /** Identifying fields of each channel, for its synthetic delta event. */
  const ids = new Map<string, Record<string, unknown>>();

  function keyOf(base: string, obj: Record<string, unknown>): string {
    return [base, ...ID_FIELDS.map((k) => String(obj[k] ?? ""))].join("|");
  }

  function emit(obj: Record<string, unknown>): Frame {
    if (seq !== undefined) obj.sequence_number = seq++;
    return { event: obj.type as string, data: JSON.stringify(obj) };
  }

  function synthetic(key: string, text: string): Frame {
    const base = key.split("|")[0];
    return emit({ type: `${base}.delta`, ...ids.get(key), delta: text });
  }

  async function flushKeys(prefix: string): Promise<Frame[]> {
    const out: Frame[] = [];
    for (const { key, text } of await channels.flushPrefix(prefix)) {
      if (text !== "") out.push(synthetic(key, text));
    }
    return out;
  }

  return {
    get finished() {
      return finished;
    },
    async frame(f) {
      if (finished) return [];
      if (f.data.trim() === "[DONE]") {
        const out = await flushKeys("");
        finished = true;
        return [...out, { data: "[DONE]" }];
      }
      const obj = parseObject(f.data);
      if (obj === undefined || typeof obj.type !== "string") {
        throw new HaechiError("stream.invalid", "Upstream sent a Responses event without a type");
      }
      const type = obj.type;
      if (seq === undefined && typeof obj.sequence_number === "number") seq = obj.sequence_number;
      if (type.endsWith(".delta") && typeof obj.delta === "string") {
        const base = type.slice(0, -".delta".length);
        const key = keyOf(base, obj);
        if (!ids.has(key)) {
          const idf: Record<string, unknown> = {};
          for (const k of ID_FIELDS) if (obj[k] !== undefined) idf[k] = obj[k];
          ids.set(key, idf);
        }
        // Function-call argument deltas are JSON source text.
        const kind = base.endsWith("_arguments") ? "json" : "text";
        obj.delta = await channels.push(key, obj.delta, `$.${type}.delta`, kind);
        // Per-token log probabilities would spell held text outside the guard.
        if (Array.isArray(obj.logprobs)) obj.logprobs = [];
        return [emit(obj)];
      }
      const out: Frame[] = [];
      if (TERMINAL.has(type)) out.push(...await flushKeys(""));
      else if (type.endsWith(".done")) {
        const key = keyOf(type.slice(0, -".done".length), obj);
        const text = await channels.flush(key);
        if (text !== "") out.push(synthetic(key, text));
      }
      const safe = await ctx.protectValue(obj, `$.${type}`) as Record<string, unknown>;
      out.push(emit(isRecord(safe) ? safe : obj));
      if (TERMINAL.has(type)) finished = true;
      return out;
    },
    async end() {
      if (finished) return [];
      finished = true;
      return await flushKeys("");
    },
  };
}
