/**
 * Sibling text parts: a run of consecutive array elements that each carry a string `text`
 * (Gemini `parts`, OpenAI content parts, Anthropic text blocks, Responses `input_text`, MCP
 * content items). A model reads such a run as one text, so a value split over two parts is
 * whole to it, and the run is scanned joined. This is what the stream rewriters do for a
 * reply by pushing every part of a candidate or block into one channel; here the document
 * is whole, so nothing is held back and the parts keep their places.
 *
 * Findings inside one part are reported against that part, as if it had been scanned alone.
 * Only a finding that crosses a part boundary makes the run one site: its replacement goes
 * into the part where the value starts and the rest of the value is cut from the parts that
 * follow, so every part keeps its own text around the value.
 *
 * @module
 */
import type { Finding } from "../detect/rule.ts";

/** One part of a joined run. */
export interface JoinedPart {
  /** The element that holds the part's `text`. */
  readonly holder: Record<string, unknown>;
  /** Offset of the part's text in the joined text. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  /** JSONPath-style location of the part's `text`. */
  readonly path: string;
}

/** A run of sibling text parts, found in one array. */
export interface TextRun {
  /** Indexes of the run's elements in the array. */
  readonly indexes: readonly number[];
  /** The parts' texts joined. */
  readonly text: string;
  /** Start offset of each part in `text` (same order as `indexes`). */
  readonly starts: readonly number[];
}

/**
 * The runs of two or more consecutive elements of `arr` that carry a string `text`.
 *
 * @param arr An array of a parsed JSON value.
 * @returns The runs, in order.
 *
 * @example
 * ```ts
 * import { textRuns } from "./text_parts.ts";
 * const runs = textRuns([{ text: "ab" }, { text: "cd" }, { image: 1 }, { text: "e" }]);
 * if (runs.length !== 1 || runs[0].text !== "abcd") throw new Error();
 * ```
 */
export function textRuns(arr: readonly unknown[]): TextRun[] {
  const runs: TextRun[] = [];
  let i = 0;
  while (i < arr.length) {
    if (partText(arr[i]) === undefined) {
      i++;
      continue;
    }
    const indexes: number[] = [];
    const starts: number[] = [];
    let text = "";
    for (; i < arr.length; i++) {
      const t = partText(arr[i]);
      if (t === undefined) break;
      indexes.push(i);
      starts.push(text.length);
      text += t;
    }
    if (indexes.length > 1) runs.push({ indexes, text, starts });
  }
  return runs;
}

function partText(v: unknown): string | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const t = (v as Record<string, unknown>).text;
  return typeof t === "string" ? t : undefined;
}

/**
 * The findings of a run when a value crosses a part boundary, in joined-text offsets; `null`
 * when none does (then each part's own findings stand).
 *
 * A crossing finding that merely extends a finding of the same type found inside one part
 * (`…@example.org` followed by a part starting `b…` reads as `…@example.orgb` joined) is the
 * concatenation talking, not a split value: the part's own finding is kept instead. Every
 * other crossing finding is kept, together with the parts' own findings, merged so none
 * overlap.
 *
 * @param joined Findings of the joined text.
 * @param own Each part's findings when scanned alone (offsets in the part).
 * @param starts Start offset of each part in the joined text.
 * @returns Findings in joined offsets, in order, or `null`.
 *
 * @example
 * ```ts
 * import { joinFindings } from "./text_parts.ts";
 * const f = (start: number, end: number) => ({ ruleId: "k", type: "key",
 *   category: "secret" as const, start, end, confidence: 1, hardBlock: true });
 * if (joinFindings([f(4, 10)], [[], []], [0, 7])?.length !== 1) throw new Error("split");
 * if (joinFindings([f(1, 3)], [[f(1, 3)], []], [0, 7]) !== null) throw new Error("inside");
 * ```
 */
export function joinFindings(
  joined: readonly Finding[],
  own: readonly (readonly Finding[])[],
  starts: readonly number[],
): Finding[] | null {
  const local = own.flatMap((list, n) =>
    list.map((f) => ({ ...f, start: f.start + starts[n], end: f.end + starts[n] }))
  );
  const crossing = joined.filter((f) =>
    starts.some((s) => s > f.start && s < f.end) &&
    !local.some((p) => p.type === f.type && p.start >= f.start && p.end <= f.end)
  );
  if (crossing.length === 0) return null;
  const all = [...crossing, ...local].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const f of all) {
    const last = out[out.length - 1];
    if (last !== undefined && f.start < last.end) {
      // Overlapping: one replacement covers both, so nothing of either is left behind.
      if (f.end > last.end) out[out.length - 1] = { ...last, end: f.end };
      continue;
    }
    out.push(f);
  }
  return out;
}

/**
 * The new text of each part once every finding of the joined text is replaced: a
 * replacement lands in the part where its finding starts, and the finding's characters are
 * cut from every part they cover.
 *
 * @param text The joined text.
 * @param findings Its findings, in order, not overlapping.
 * @param replacements One replacement per finding.
 * @param parts The parts' ranges in `text`.
 * @returns One text per part.
 *
 * @example
 * ```ts
 * import { splitReplaced } from "./text_parts.ts";
 * const f = { ruleId: "k", type: "key", category: "secret" as const, start: 4, end: 10,
 *   confidence: 1, hardBlock: true };
 * const out = splitReplaced("see abcdef now", [f], ["[X]"], [{ start: 0, end: 7 }, { start: 7, end: 14 }]);
 * if (out.join("|") !== "see [X]| now") throw new Error(out.join("|"));
 * ```
 */
export function splitReplaced(
  text: string,
  findings: readonly Finding[],
  replacements: readonly string[],
  parts: readonly { readonly start: number; readonly end: number }[],
): string[] {
  return parts.map(({ start, end }) => {
    let out = "";
    let pos = start;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i];
      if (f.end <= pos) continue;
      if (f.start >= end) break;
      if (f.start > pos) out += text.slice(pos, f.start);
      if (f.start >= start) out += replacements[i];
      pos = Math.min(f.end, end);
    }
    return out + text.slice(pos, end);
  });
}
