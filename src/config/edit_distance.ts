/**
 * How far apart two spellings are, for "did you mean" hints in config errors and on the
 * command line.
 *
 * @module
 */

/**
 * Edit distance where swapping two neighbouring letters costs one (optimal string
 * alignment), since transposed letters are the commonest typo (`protcet`).
 *
 * @example
 * ```ts
 * import { editDistance } from "./edit_distance.ts";
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
