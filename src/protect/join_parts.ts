/**
 * Sibling text parts: a run of consecutive array elements that each carry a string `text`
 * (Gemini `parts`, OpenAI content parts, Anthropic text blocks, Responses `input_text`, MCP
 * content items). A reader (a model, or a client showing a tool result) takes such a run as
 * one text, so a value written half in one part and half in the next is whole to it, while
 * each part alone holds no finding. The run is scanned joined.
 *
 * Two ways to act on a value that crosses a boundary live here, on the same notion of a run:
 *
 * - {@linkcode joinFindings} and {@linkcode splitReplaced} (the protector's walk): the parts
 *   keep their places; the value's replacement goes into the part where it starts and the
 *   rest of it is cut from the parts that follow.
 * - {@linkcode joinSplitTextParts}: the parts the value spans are merged into one part, so
 *   protecting each string afterwards sees it whole.
 *
 * @module
 */
import type { Finding } from "../detect/mod.ts";
import { isRawNumber } from "./json_text.ts";

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
 * import { textRuns } from "./join_parts.ts";
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
  if (v === null || typeof v !== "object" || Array.isArray(v) || isRawNumber(v)) return undefined;
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
 * import { joinFindings } from "./join_parts.ts";
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
 * import { splitReplaced } from "./join_parts.ts";
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

/** Where a finding sits in a text. */
export interface Span {
  /** Start offset (inclusive). */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
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
  for (const run of textRuns(parts)) {
    for (const f of scan(run.text)) {
      for (let k = 1; k < run.starts.length; k++) {
        if (f.start < run.starts[k] && f.end > run.starts[k]) {
          joinPrev[run.indexes[k]] = true;
          any = true;
        }
      }
    }
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
