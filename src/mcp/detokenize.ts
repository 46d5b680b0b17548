/**
 * Put real values back into tool-call arguments for a trusted tool: every string that
 * holds a `[TOKEN:…]` is passed through the vault's `restoreTokens` for one scope.
 *
 * @module
 */
import type { RestoreCounts, TokenRestorer } from "../vault/mod.ts";
import { addRestoreCounts, emptyRestoreCounts, isRawNumber } from "../protect/mod.ts";

/** What {@linkcode restoreArguments} did. */
export interface RestoredArguments {
  /** The arguments with tokens replaced (a copy; the input is not changed). */
  readonly value: unknown;
  /** Token outcomes added up over every string. */
  readonly counts: RestoreCounts;
  /** Whether any string held a token at all. */
  readonly touched: boolean;
}

/** Deepest nesting walked; deeper values are left as they are (the protector capped depth). */
const MAX_DEPTH = 128;

/**
 * Restore tokens in every string of `value` (object keys are left alone).
 *
 * @param value Tool arguments (any JSON value).
 * @param restorer The vault.
 * @param scope The scope tokens must belong to.
 * @returns A copy with tokens replaced, plus counts.
 *
 * @example
 * ```ts
 * import { restoreArguments } from "./detokenize.ts";
 * const restorer = { restoreTokens: (t: string) => Promise.resolve({ text: t.replace("[TOKEN:x]", "v"),
 *   counts: { restored: 1, foreignScope: 0, unknown: 0, expired: 0, corrupt: 0 } }) };
 * const r = await restoreArguments({ q: "[TOKEN:x]" }, restorer, "default");
 * if ((r.value as { q: string }).q !== "v" || !r.touched) throw new Error("restored");
 * ```
 */
export async function restoreArguments(
  value: unknown,
  restorer: TokenRestorer,
  scope: string,
): Promise<RestoredArguments> {
  const counts = emptyRestoreCounts();
  let touched = false;
  async function walk(v: unknown, depth: number): Promise<unknown> {
    if (typeof v === "string") {
      if (!v.includes("[TOKEN:")) return v;
      touched = true;
      const r = await restorer.restoreTokens(v, scope);
      addRestoreCounts(counts, r.counts);
      return r.text;
    }
    if (depth >= MAX_DEPTH || typeof v !== "object" || v === null || isRawNumber(v)) return v;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) out.push(await walk(item, depth + 1));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = await walk(item, depth + 1);
    return out;
  }
  const restored = await walk(value, 0);
  return { value: restored, counts, touched };
}
