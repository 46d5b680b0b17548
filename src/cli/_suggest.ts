/**
 * "Did you mean" for mistyped commands and options: the closest known name by edit
 * distance, when it is close enough to be a typo rather than a different word.
 *
 * @module
 */
import { editDistance } from "../config/mod.ts";

/**
 * The known name closest to `typed`, or `undefined` when none is within typo distance
 * (a third of the name's length, at least 1, at most 3) or two are equally close.
 *
 * @example
 * ```ts
 * import { closest } from "./_suggest.ts";
 * if (closest("protcet", ["protect", "proxy", "scan"]) !== "protect") throw new Error("found");
 * if (closest("zzz", ["protect"]) !== undefined) throw new Error("too far");
 * ```
 */
export function closest(typed: string, known: Iterable<string>): string | undefined {
  const needle = typed.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const name of known) {
    const distance = editDistance(needle, name.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
    if (distance > limit) continue;
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** ` Did you mean `x`?` for an error message, or nothing when there is no close name. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const hit = closest(typed, known);
  return hit === undefined ? "" : ` Did you mean \`${hit}\`?`;
}
