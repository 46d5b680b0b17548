/**
 * Sibling text parts, joined where a value spans them.
 *
 * A reader of a tool result or a model message shows consecutive text parts as one text, so
 * a value written half in one part and half in the next is whole for the reader, yet each
 * part alone holds no finding. Here the parts' texts are scanned joined; where a finding
 * crosses a boundary, the parts it touches are merged into one part (the first's other
 * fields, the texts concatenated), so protecting each string afterwards sees the value
 * whole. Parts no finding crosses are left exactly as they were.
 *
 * @module
 */

/** Where a finding sits in a text. */
export interface Span {
  /** Start offset (inclusive). */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
}

/** Part types that hold text a reader shows (MCP and Anthropic, OpenAI Responses). */
const TEXT_TYPES = new Set([undefined, "text", "input_text", "output_text"]);

/** A part a reader shows as text: `{text}` (Gemini), or `{type: "text", text, …}`. */
function isTextPart(part: unknown): part is { text: string } & Record<string, unknown> {
  if (typeof part !== "object" || part === null || Array.isArray(part)) return false;
  const p = part as Record<string, unknown>;
  return typeof p.text === "string" && TEXT_TYPES.has(p.type as string | undefined);
}

/**
 * `parts` with each run of text parts that a finding spans merged into one part.
 *
 * @param parts An array of parts (e.g. an MCP tool result's `content`).
 * @param scan Finds values in a text (the protector's scanner).
 * @returns `parts` itself when no finding crosses a boundary, else a new array.
 *
 * @example
 * ```ts
 * import { joinSplitTextParts } from "./join_parts.ts";
 * const scan = (t: string) => {
 *   const i = t.indexOf("SECRET");
 *   return i < 0 ? [] : [{ start: i, end: i + 6 }];
 * };
 * const out = joinSplitTextParts([{ type: "text", text: "a SEC" }, { type: "text", text: "RET" }], scan);
 * if (out.length !== 1 || (out[0] as { text: string }).text !== "a SECRET") throw new Error();
 * ```
 */
export function joinSplitTextParts(
  parts: readonly unknown[],
  scan: (text: string) => readonly Span[],
): readonly unknown[] {
  // Join with the previous part: set for each part a finding crosses into.
  const joinPrev = new Array<boolean>(parts.length).fill(false);
  let any = false;
  let i = 0;
  while (i < parts.length) {
    if (!isTextPart(parts[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < parts.length && isTextPart(parts[j + 1])) j++;
    if (j > i) {
      const starts: number[] = [];
      let text = "";
      for (let k = i; k <= j; k++) {
        starts.push(text.length);
        text += (parts[k] as { text: string }).text;
      }
      for (const f of scan(text)) {
        for (let k = 1; k < starts.length; k++) {
          if (f.start < starts[k] && f.end > starts[k]) {
            joinPrev[i + k] = true;
            any = true;
          }
        }
      }
    }
    i = j + 1;
  }
  if (!any) return parts;
  const out: unknown[] = [];
  parts.forEach((part, k) => {
    if (joinPrev[k]) {
      const prev = out[out.length - 1] as { text: string } & Record<string, unknown>;
      out[out.length - 1] = { ...prev, text: prev.text + (part as { text: string }).text };
    } else out.push(part);
  });
  return out;
}
