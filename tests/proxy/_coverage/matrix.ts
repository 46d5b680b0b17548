// Running a matrix: cells split into those expected to hold and those on a known-gap list,
// and a failure message that names every cell that let a value through.

/** A gap the matrix knows about: cells whose id matches are reported, not failed. */
export interface KnownGap {
  /** Matches cell ids. */
  readonly cells: RegExp;
  /** What is missing in the gateway, so the ignored test says why. */
  readonly reason: string;
}

/** Cells in `ids` that no gap covers, and per gap the cells it covers. */
export function partition<T extends { readonly id: string }>(
  cells: readonly T[],
  gaps: readonly KnownGap[],
): { checked: T[]; byGap: Map<KnownGap, T[]> } {
  const checked: T[] = [];
  const byGap = new Map<KnownGap, T[]>();
  for (const cell of cells) {
    const gap = gaps.find((g) => g.cells.test(cell.id));
    if (gap === undefined) checked.push(cell);
    else byGap.set(gap, [...byGap.get(gap) ?? [], cell]);
  }
  return { checked, byGap };
}

/** Run `cells` one after another; the ids of those that let a value arrive whole. */
export async function leakingCells<T extends { readonly id: string }>(
  cells: readonly T[],
  run: (cell: T) => Promise<readonly string[]>,
): Promise<string[]> {
  const out: string[] = [];
  for (const cell of cells) {
    const leaked = await run(cell);
    if (leaked.length > 0) out.push(`${cell.id} (${leaked.map(label).join(", ")} arrived whole)`);
  }
  return out;
}

/** A planted value named by its kind, so a failure message never repeats a value. */
function label(value: string): string {
  if (value.startsWith("ghp_")) return "secret";
  if (value.includes("@")) return "email";
  return "card";
}

/** The assertion message for leaking cells. */
export function report(leaks: readonly string[], total: number): string {
  return `${leaks.length} of ${total} cells let a planted value through:\n  ${leaks.join("\n  ")}`;
}
