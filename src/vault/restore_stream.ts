/**
 * Restoring tokens in streamed text (SSE deltas, NDJSON, MCP frames), where a token can
 * be cut anywhere between two chunks.
 *
 * Each chunk is appended to a carry; if the carry ends in something that could still
 * grow into a token (a `[` followed only by characters that fit the token shape, see
 * {@linkcode isTokenPrefix}), that tail is held back and the rest is restored and
 * emitted. Tokens contain no `[`, so only the last `[` can start such a tail, and the
 * tail is shorter than {@linkcode MAX_TOKEN_LENGTH}: memory is bounded and output lags
 * input by at most 68 characters.
 *
 * @module
 */
import { isTokenPrefix, MAX_TOKEN_LENGTH } from "./token.ts";
import { addRestoreCounts, emptyRestoreCounts } from "../protect/mod.ts";
import type { RestoreCounts, TokenRestorer } from "./vault.ts";

/** Restores tokens across chunk boundaries; push chunks in order, then flush once. */
export class StreamingRestorer {
  #source: TokenRestorer;
  #scope: string;
  #carry = "";
  /** Running totals over everything pushed so far. */
  readonly counts: RestoreCounts = emptyRestoreCounts();

  /**
   * @param source The vault (anything with `restoreTokens`).
   * @param scope Only tokens issued to this scope are restored.
   */
  constructor(source: TokenRestorer, scope: string) {
    this.#source = source;
    this.#scope = scope;
  }

  /**
   * Add a chunk; resolves to the text that is safe to emit now (possibly empty).
   *
   * @example
   * ```ts
   * import { StreamingRestorer } from "./restore_stream.ts";
   * const noop = {
   *   restoreTokens: (text: string) =>
   *     Promise.resolve({
   *       text,
   *       counts: { restored: 0, foreignScope: 0, unknown: 0, expired: 0, corrupt: 0 },
   *     }),
   * };
   * const r = new StreamingRestorer(noop, "s");
   * if (await r.push("hello [TOK") !== "hello ") throw new Error("holds back the tail");
   * if (await r.flush() !== "[TOK") throw new Error("flushes the tail");
   * ```
   */
  async push(chunk: string): Promise<string> {
    const text = this.#carry + chunk;
    const cut = holdBackFrom(text);
    this.#carry = text.slice(cut);
    return cut === 0 ? "" : await this.#restore(text.slice(0, cut));
  }

  /** Emit whatever is held back; call once at the end of the stream. */
  async flush(): Promise<string> {
    const text = this.#carry;
    this.#carry = "";
    return text === "" ? "" : await this.#restore(text);
  }

  async #restore(text: string): Promise<string> {
    const r = await this.#source.restoreTokens(text, this.#scope);
    addRestoreCounts(this.counts, r.counts);
    return r.text;
  }
}

/**
 * Where the held-back tail of `text` starts (`text.length` when nothing is held).
 *
 * @example
 * ```ts
 * import { holdBackFrom } from "./restore_stream.ts";
 * if (holdBackFrom("a [TOKEN:em") !== 2) throw new Error("tail starts at the bracket");
 * if (holdBackFrom("a [b] c") !== 7) throw new Error("nothing to hold");
 * ```
 */
export function holdBackFrom(text: string): number {
  const from = Math.max(0, text.length - (MAX_TOKEN_LENGTH - 1));
  const open = text.lastIndexOf("[");
  if (open < from) return text.length;
  return isTokenPrefix(text.slice(open)) ? open : text.length;
}

/** A `TransformStream` of text that restores tokens, with running counts. */
export interface RestoreStream extends TransformStream<string, string> {
  /** Totals so far; final once the readable side closes. */
  readonly counts: RestoreCounts;
}

/**
 * A text `TransformStream` that restores `scope`'s tokens however the input is chunked.
 *
 * @param source The vault (anything with `restoreTokens`).
 * @param scope Only tokens issued to this scope are restored.
 * @returns The stream; read `counts` after it closes to audit refusals.
 *
 * @example
 * ```ts ignore
 * const restore = createRestoreStream(vault, "alice");
 * const out = upstream.pipeThrough(new TextDecoderStream()).pipeThrough(restore);
 * ```
 */
export function createRestoreStream(source: TokenRestorer, scope: string): RestoreStream {
  const restorer = new StreamingRestorer(source, scope);
  const stream = new TransformStream<string, string>({
    async transform(chunk, controller) {
      const out = await restorer.push(chunk);
      if (out !== "") controller.enqueue(out);
    },
    async flush(controller) {
      const out = await restorer.flush();
      if (out !== "") controller.enqueue(out);
    },
  });
  return Object.assign(stream, { counts: restorer.counts });
}
