/**
 * The shape every value generator returns, and small helpers shared by them.
 *
 * @module
 */
import type { Rng } from "./rng.ts";

/**
 * One generated value, possibly embedded in a larger literal (a URL, a header line). The
 * labelled span is `text.slice(start, end)`.
 */
export interface Made {
  /** The literal placed in the sample. */
  text: string;
  /** Start of the sensitive part inside `text`. */
  start: number;
  /** End of the sensitive part inside `text` (exclusive). */
  end: number;
  /** Whether real documents would show a naming keyword next to this format. */
  needsKeyword: boolean;
  /** Short name of the format variant, for reports. */
  variant: string;
}

/** A value generator; `broken` asks for a checksum-failing look-alike where that makes sense. */
export type MakeValue = (rng: Rng, broken?: boolean) => Made;

/** A value whose whole text is the labelled span. */
export function whole(text: string, variant: string, needsKeyword = false): Made {
  return { text, start: 0, end: text.length, needsKeyword, variant };
}

/** A check character different from `correct`, drawn from `alphabet`. */
export function wrong(rng: Rng, correct: string, alphabet: string): string {
  let c = correct;
  while (c === correct) c = rng.pick(alphabet.split(""));
  return c;
}

/** Split `digits` into groups of the given sizes joined by `sep`. */
export function group(digits: string, sizes: readonly number[], sep: string): string {
  const out: string[] = [];
  let i = 0;
  for (const n of sizes) {
    out.push(digits.slice(i, i + n));
    i += n;
  }
  if (i < digits.length) out.push(digits.slice(i));
  return out.join(sep);
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
