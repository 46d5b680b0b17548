/**
 * Token restoration for text that is JSON source, not prose: tool-call `arguments`
 * strings (OpenAI chat and Responses) and Anthropic `partial_json` deltas.
 *
 * A token the model copies into tool-call arguments sits inside a JSON string literal
 * (`{"to":"[TOKEN:email:…]"}`). Putting the raw value back would let a `"` or `\` in it end
 * the literal early and corrupt (or inject into) the arguments, so each restored value is
 * written as the body of a JSON string: `a"b` becomes `a\"b`. Token text itself only uses
 * `[`, `]`, `:`, `_` and alphanumerics, so nothing around it needs to change.
 *
 * @module
 */
import {
  addRestoreCounts,
  emptyRestoreCounts,
  type RestoreResult,
  TOKEN_PATTERN,
  type TokenRestorer,
} from "./reversible.ts";

/** Fields whose string value is JSON source text (tool-call arguments). */
const JSON_TEXT_FIELDS = new Set(["arguments", "partial_json"]);

/**
 * Whether a string under `key` holds JSON source text whose restored values need escaping.
 *
 * @param key The object key the string sits under.
 * @returns True for `arguments` and `partial_json`.
 *
 * @example
 * ```ts
 * import { isJsonTextField } from "./json_restorer.ts";
 * if (!isJsonTextField("arguments") || isJsonTextField("content")) throw new Error();
 * ```
 */
export function isJsonTextField(key: string): boolean {
  return JSON_TEXT_FIELDS.has(key);
}

/**
 * Escape `value` for use between the quotes of a JSON string literal.
 *
 * @param value Raw text.
 * @returns The escaped body, without the surrounding quotes.
 *
 * @example
 * ```ts
 * import { escapeJsonStringBody } from "./json_restorer.ts";
 * if (escapeJsonStringBody('a"b\\c') !== 'a\\"b\\\\c') throw new Error();
 * ```
 */
export function escapeJsonStringBody(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * Wrap a restorer so every value it puts back is JSON-string-escaped.
 *
 * Tokens are restored one at a time so the wrapper knows exactly which characters came
 * from the vault; text between tokens is left byte for byte.
 *
 * @param inner The vault (or any restorer).
 * @returns A restorer for JSON source text.
 *
 * @example
 * ```ts
 * import { jsonStringRestorer } from "./json_restorer.ts";
 * const zero = { restored: 0, foreignScope: 0, unknown: 0, expired: 0, corrupt: 0 };
 * const inner = {
 *   restoreTokens: (t: string) =>
 *     Promise.resolve({ text: t.replace(/\[TOKEN:[^\]]+\]/, 'say "hi"'), counts: { ...zero, restored: 1 } }),
 * };
 * const r = await jsonStringRestorer(inner).restoreTokens(
 *   '{"q":"[TOKEN:note:aaaaaaaaaaaaaaaaaaaa]"}', "s");
 * if (JSON.parse(r.text).q !== 'say "hi"') throw new Error(r.text);
 * ```
 */
export function jsonStringRestorer(inner: TokenRestorer): TokenRestorer {
  return {
    async restoreTokens(text: string, scope: string): Promise<RestoreResult> {
      const counts = emptyRestoreCounts();
      if (!text.includes("[TOKEN:")) return { text, counts };
      let out = "";
      let pos = 0;
      for (const m of text.matchAll(TOKEN_PATTERN)) {
        const r = await inner.restoreTokens(m[0], scope);
        addRestoreCounts(counts, r.counts);
        out += text.slice(pos, m.index) + (r.text === m[0] ? m[0] : escapeJsonStringBody(r.text));
        pos = m.index + m[0].length;
      }
      return { text: out + text.slice(pos), counts };
    },
  };
}
