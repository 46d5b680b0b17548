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
 * Each delta channel's held text goes out as one more delta event just before the
 * channel's `*.done` (and before the terminal event); the `*.done`, item and response
 * snapshots, and every field of a delta event but `delta`, are protected whole. Sequence
 * numbers are renumbered so the extra events keep them strictly increasing.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { streamIndex } from "../stream/mod.ts";
import { isRecord, type StreamShape } from "./types.ts";

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);
const INDEX_FIELDS = ["output_index", "content_index", "summary_index"] as const;

/**
 * The map of one Responses API stream.
 *
 * A channel is one delta type at one `output_index`/`content_index`/`summary_index`: that
 * is how clients join deltas. `item_id` names the same output, so one item id keeps one
 * output index (and the other way round) for the whole stream, or the stream fails closed;
 * otherwise a client joining by item id and the gateway joining by index could see two
 * texts where the other sees one.
 *
 * @returns The shape.
 *
 * @example
 * ```ts
 * import { responsesShape } from "./openai_responses.ts";
 * const shape = responsesShape();
 * const m = shape.map({ data: "" }, { type: "response.output_text.delta", delta: "hi" });
 * if (m?.sites?.length !== 1) throw new Error();
 * ```
 */
export function responsesShape(): StreamShape {
  let seq: number | undefined;
  /** Identifying fields of each channel, for its carrier event. */
  const ids = new Map<string, Record<string, unknown>>();
  const outputOf = new Map<string, number>();
  const itemOf = new Map<number, string>();

  /** Canonical identity fields of an event (indexes as numbers, item id checked). */
  function identify(obj: Record<string, unknown>): Record<string, unknown> {
    const idf: Record<string, unknown> = {};
    for (const k of INDEX_FIELDS) {
      if (obj[k] === undefined || obj[k] === null) continue;
      obj[k] = idf[k] = streamIndex(obj[k], 0);
    }
    const item = obj.item_id;
    if (item !== undefined && item !== null) {
      if (typeof item !== "string") {
        throw new HaechiError("stream.invalid", "Upstream Responses item_id is not a string");
      }
      idf.item_id = item;
      const known = outputOf.get(item);
      if (idf.output_index === undefined && known !== undefined) idf.output_index = known;
      const out = idf.output_index as number | undefined;
      if (out !== undefined) {
        if ((known !== undefined && known !== out) || (itemOf.get(out) ?? item) !== item) {
          throw new HaechiError(
            "stream.invalid",
            "Upstream Responses stream gave one output two item ids",
          );
        }
        outputOf.set(item, out);
        itemOf.set(out, item);
      }
    }
    return idf;
  }

  function keyOf(base: string, idf: Record<string, unknown>): string {
    const out = idf.output_index ?? `item:${idf.item_id ?? ""}`;
    return JSON.stringify([base, out, idf.content_index ?? null, idf.summary_index ?? null]);
  }

  return {
    map(f, obj) {
      if (f.data.trim() === "[DONE]") return { raw: "[DONE]", terminal: true };
      if (!isRecord(obj) || typeof obj.type !== "string") {
        throw new HaechiError("stream.invalid", "Upstream sent a Responses event without a type");
      }
      const type = obj.type;
      if (seq === undefined && typeof obj.sequence_number === "number") seq = obj.sequence_number;
      const idf = identify(obj);
      if (type.endsWith(".delta") && typeof obj.delta === "string") {
        const base = type.slice(0, -".delta".length);
        const channel = keyOf(base, idf);
        if (!ids.has(channel)) ids.set(channel, idf);
        // Per-token log probabilities would spell held text outside the guard.
        if (Array.isArray(obj.logprobs)) obj.logprobs = [];
        // Function-call argument deltas are JSON source text.
        const kind = base.endsWith("_arguments") ? "json" : "text";
        const path = `$.${type}.delta`;
        return {
          event: type,
          value: obj,
          // `output_text` joins every output text part; parts of one kind read as one text.
          sites: [{
            holder: obj,
            key: "delta",
            channel,
            kind,
            path,
            group: kind === "json" ? undefined : base,
          }],
        };
      }
      if (TERMINAL.has(type)) return { event: type, value: obj, terminal: true };
      if (type.endsWith(".done")) {
        return { event: type, value: obj, closes: [keyOf(type.slice(0, -".done".length), idf)] };
      }
      return { event: type, value: obj };
    },
    carrier(channel) {
      const base = JSON.parse(channel)[0] as string;
      const value = { type: `${base}.delta`, ...ids.get(channel), delta: "" };
      const kind = base.endsWith("_arguments") ? "json" : "text";
      return {
        event: value.type,
        value,
        sites: [{ holder: value, key: "delta", channel, kind, path: `$.${value.type}.delta` }],
      };
    },
    finalize(value) {
      if (seq !== undefined && isRecord(value)) value.sequence_number = seq++;
    },
  };
}
