/**
 * "Did you mean" for mistyped commands and options: the closest known name by edit
 * distance, when it is close enough to be a typo rather than a different word.
 *
 * @module
 */

/**
 * Edit distance where swapping two neighbouring letters costs one (optimal string
 * alignment), since transposed letters are the commonest typo (`protcet`).
 *
 * @example
 * ```ts
 * import { editDistance } from "./_suggest.ts";
 * if (editDistance("protcet", "protect") !== 1) throw new Error("one swap");
 * ```
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i][0] = i;
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[rows - 1][cols - 1];
}

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
