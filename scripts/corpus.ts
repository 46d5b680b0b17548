/**
 * A deterministic, labelled synthetic corpus of secrets and personal data for the
 * detection benchmark.
 *
 * Every value is fake but format-valid: checksums are computed by the corpus's own
 * implementations (`scripts/corpus/checksums.ts`), never by `src/detect/validators`, so
 * the two cross-check each other. Values sit in realistic surroundings (chat, tickets,
 * logs, config, JSON) in ten languages; formats that real documents only show next to a
 * keyword (bare SSN digits, BSN, Steuer-ID, Aadhaar, …) always get one. Hard negatives
 * (timestamps, order numbers, hashes, checksum-failing look-alikes, placeholders) have no
 * labels.
 *
 * This lives in `scripts/` on purpose: it is a test and benchmark aid, not product code.
 *
 * @module
 */
import { Rng } from "./corpus/rng.ts";
import { ALL_SPECS, type TypeSpec } from "./corpus/specs.ts";
import { chooseTemplate, render, type Sample } from "./corpus/render.ts";
import { generateNegatives, NEGATIVE_KINDS } from "./corpus/negatives.ts";

export type { Label, Sample } from "./corpus/render.ts";
export { Rng } from "./corpus/rng.ts";
export { NEGATIVE_KINDS } from "./corpus/negatives.ts";

/** Options for {@linkcode generateCorpus}. */
export interface CorpusOptions {
  /** PRNG seed; the same seed gives the same corpus. */
  seed: number;
  /** Positive samples per finding type. */
  perType: number;
  /** Hard negatives in total (default `perType * 10`). */
  negatives?: number;
  /** Restrict to these finding types (default: all). */
  types?: readonly string[];
}

/** Every finding type the corpus generates, secrets first. */
export const CORPUS_TYPES: readonly string[] = ALL_SPECS.map((s) => s.type);

/** The category of each corpus type. */
export const CORPUS_CATEGORY: Readonly<Record<string, "secret" | "pii">> = Object.fromEntries(
  ALL_SPECS.map((s) => [s.type, s.category]),
);

/**
 * Generate one positive sample of `spec`.
 *
 * @param rng Random stream.
 * @param spec Type spec.
 * @returns A sample with at least one label of `spec.type`.
 */
function positive(rng: Rng, spec: TypeSpec): Sample {
  const made = spec.make(rng);
  return render(rng, spec, made, chooseTemplate(rng, spec, made));
}

/**
 * Generate the corpus: `perType` positives for every type, then hard negatives.
 *
 * @param options Seed, size and type filter.
 * @returns Samples in a fixed order; identical for identical options.
 *
 * @example
 * ```ts
 * import { generateCorpus } from "./corpus.ts";
 * const corpus = generateCorpus({ seed: 1, perType: 2, negatives: 4 });
 * const [first] = corpus;
 * const label = first.labels[0];
 * if (first.text.slice(label.start, label.end).length === 0) throw new Error("empty label");
 * if (corpus.filter((s) => s.labels.length === 0).length !== 4) throw new Error("negatives");
 * ```
 */
export function generateCorpus(options: CorpusOptions): Sample[] {
  const root = new Rng(options.seed);
  const wanted = options.types === undefined ? null : new Set(options.types);
  const out: Sample[] = [];
  for (const spec of ALL_SPECS) {
    if (wanted !== null && !wanted.has(spec.type)) continue;
    const rng = root.fork(spec.type);
    for (let i = 0; i < options.perType; i++) out.push(positive(rng, spec));
  }
  const negatives = options.negatives ?? options.perType * 10;
  out.push(...generateNegatives(root.fork("negatives"), negatives));
  return out;
}

/**
 * One fresh value of `type` with its surrounding template, for sprinkling into prose.
 *
 * @param rng Random stream.
 * @param type A corpus type.
 * @returns A sample.
 * @throws {RangeError} When `type` is not a corpus type.
 */
export function sampleOf(rng: Rng, type: string): Sample {
  const spec = ALL_SPECS.find((s) => s.type === type);
  if (spec === undefined) throw new RangeError(`Unknown corpus type "${type}"`);
  return positive(rng, spec);
}

/** How many negative kinds exist (the negatives are spread evenly over them). */
export const NEGATIVE_KIND_COUNT: number = NEGATIVE_KINDS.length;
