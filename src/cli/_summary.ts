/**
 * Value-free finding summaries for the CLI's stderr lines.
 *
 * @module
 */
import type { AppliedFinding } from "../protect/mod.ts";

/** Counts of findings by type and action; constant size however long the input. */
export type FindingTally = Map<string, { type: string; action: string; count: number }>;

/**
 * Add `findings` to `tally` (a new one when absent) and return it.
 *
 * @example
 * ```ts
 * import { tallyFindings } from "./_summary.ts";
 * const t = tallyFindings([{ type: "email", action: "tokenize" }, { type: "email", action: "tokenize" }]);
 * if ([...t.values()][0].count !== 2) throw new Error("count");
 * ```
 */
export function tallyFindings(
  findings: Iterable<Pick<AppliedFinding, "type" | "action">>,
  tally: FindingTally = new Map(),
): FindingTally {
  for (const f of findings) {
    const key = `${f.type} ${f.action}`;
    const entry = tally.get(key);
    if (entry === undefined) tally.set(key, { type: f.type, action: f.action, count: 1 });
    else entry.count++;
  }
  return tally;
}

/**
 * A one-line, value-free summary of a tally: `email×2 tokenize, github_token×1 redact`.
 *
 * @example
 * ```ts
 * import { summarizeTally, tallyFindings } from "./_summary.ts";
 * const s = summarizeTally(tallyFindings([{ type: "email", action: "tokenize" }]));
 * if (s !== "email×1 tokenize") throw new Error(s);
 * ```
 */
export function summarizeTally(tally: FindingTally): string {
  return [...tally.values()].map((e) => `${e.type}×${e.count} ${e.action}`).join(", ");
}
