/**
 * The detection benchmark: per-type precision and recall on the synthetic corpus, scan
 * throughput on prose, chat bodies and hostile inputs, and (when `src/protect` exists)
 * protect throughput. `scripts/bench.ts` runs it and prints the report.
 *
 * The corpus is fake by construction, so failure examples show the value itself.
 *
 * @module
 */
import type { Finding } from "../src/detect/rule.ts";
import type { Scanner } from "../src/detect/scanner.ts";
import { pathExists } from "../src/runtime/mod.ts";
import { DEFAULT_CONFIG } from "../src/config/mod.ts";
import { CORPUS_TYPES, type Sample } from "./corpus.ts";
import { generateChatJson, generateProse, hostileInputs, utf8Bytes } from "./corpus/prose.ts";

/** Precision and recall target per type. */
export const ACCURACY_TARGET = 0.99;
/** Hostile inputs may cost at most this many times prose per byte. */
export const HOSTILE_RATIO_TARGET = 2.0;
/** Protect throughput target on the 32 KB chat body, in MB/s. */
export const PROTECT_TARGET_MBPS = 250;

/** Counts for one finding type. */
export interface TypeRow {
  /** Finding type. */
  type: string;
  /** Labels found by a finding of the same type. */
  tp: number;
  /** Findings that overlap no label of their type. */
  fp: number;
  /** Labels no finding of their type overlaps. */
  fn: number;
}

/** One miss or false alarm, for the failure listing. */
export interface FailureExample {
  /** FN or FP. */
  what: "FN" | "FP";
  /** The sample's generator kind. */
  kind: string;
  /** The value (labelled for FN, found for FP). */
  value: string;
  /** For FN: the types that did overlap the label, if any. */
  foundAs: string[];
  /** Surrounding text, trimmed. */
  context: string;
}

/** The accuracy result. */
export interface AccuracyReport {
  /** One row per type seen in labels or findings, corpus types first. */
  rows: TypeRow[];
  /** Up to a few failure examples per type, one per distinct generator kind first. */
  examples: Map<string, FailureExample[]>;
  /** Failure counts per type by `FN|FP <kind> [<lang>: <template>]`, to show where misses cluster. */
  breakdown: Map<string, Map<string, number>>;
  /** Samples scanned. */
  samples: number;
  /** Seconds spent scanning. */
  seconds: number;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

function around(text: string, start: number, end: number): string {
  const s = Math.max(0, start - 50);
  const e = Math.min(text.length, end + 30);
  return (s > 0 ? "…" : "") + text.slice(s, e).replace(/\n/g, "⏎") + (e < text.length ? "…" : "");
}

/**
 * Scan every sample and count TP/FP/FN per type.
 *
 * TP: a label overlapped by a finding of its type. FN: a label with no such finding.
 * FP: a finding that overlaps no label of its own type (every finding on a negative).
 *
 * @param scanner The scanner under test.
 * @param corpus Labelled samples.
 * @param maxExamples Failure examples kept per type.
 * @returns Counts, examples and timing.
 */
export function evaluateAccuracy(
  scanner: Scanner,
  corpus: readonly Sample[],
  maxExamples = 4,
): AccuracyReport {
  const rows = new Map<string, TypeRow>();
  for (const t of CORPUS_TYPES) rows.set(t, { type: t, tp: 0, fp: 0, fn: 0 });
  const row = (t: string) => {
    let r = rows.get(t);
    if (r === undefined) rows.set(t, r = { type: t, tp: 0, fp: 0, fn: 0 });
    return r;
  };
  const examples = new Map<string, FailureExample[]>();
  const breakdown = new Map<string, Map<string, number>>();
  const seenKinds = new Map<string, Set<string>>();
  const note = (t: string, where: string, ex: FailureExample) => {
    const key = `${ex.what} ${ex.kind} [${where}]`;
    const counts = breakdown.get(t) ?? new Map<string, number>();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    breakdown.set(t, counts);
    const seen = seenKinds.get(t) ?? new Set<string>();
    seenKinds.set(t, seen);
    const list = examples.get(t) ?? [];
    examples.set(t, list);
    // Prefer one example per distinct kind so the listing shows different failure shapes.
    if (seen.has(key) || list.length >= maxExamples) return;
    seen.add(key);
    list.push(ex);
  };
  const t0 = performance.now();
  for (const s of corpus) {
    const found: Finding[] = scanner.scan(s.text);
    for (const l of s.labels) {
      if (found.some((f) => f.type === l.type && overlaps(f, l))) {
        row(l.type).tp++;
      } else {
        row(l.type).fn++;
        note(l.type, `${s.lang}: ${JSON.stringify(s.template)}`, {
          what: "FN",
          kind: s.kind,
          value: s.text.slice(l.start, l.end),
          foundAs: found.filter((f) => overlaps(f, l)).map((f) => `${f.type} (${f.ruleId})`),
          context: around(s.text, l.start, l.end),
        });
      }
    }
    for (const f of found) {
      if (s.labels.some((l) => l.type === f.type && overlaps(f, l))) continue;
      row(f.type).fp++;
      note(f.type, `${s.lang}: ${JSON.stringify(s.template)}`, {
        what: "FP",
        kind: `${s.kind} via ${f.ruleId}`,
        value: s.text.slice(f.start, f.end),
        foundAs: [],
        context: around(s.text, f.start, f.end),
      });
    }
  }
  return {
    rows: [...rows.values()],
    examples,
    breakdown,
    samples: corpus.length,
    seconds: (performance.now() - t0) / 1000,
  };
}

const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);
const fmt = (x: number) => (Number.isNaN(x) ? "   -  " : x.toFixed(4));

/** Whether a row meets the target (a type with no samples and no findings is not judged). */
export function rowMeetsTarget(r: TypeRow): boolean {
  const p = ratio(r.tp, r.tp + r.fp);
  const rec = ratio(r.tp, r.tp + r.fn);
  return !(p < ACCURACY_TARGET || rec < ACCURACY_TARGET || (r.tp === 0 && r.fn + r.fp > 0));
}

/**
 * Render the accuracy table, micro-averages (all, secrets, PII) and a list of failing types.
 *
 * @param report From {@linkcode evaluateAccuracy}.
 * @param ruleTypes Types that have at least one rule in the table.
 * @param category Category per corpus type.
 * @returns Lines of text.
 */
export function formatAccuracy(
  report: AccuracyReport,
  ruleTypes: ReadonlySet<string>,
  category: Readonly<Record<string, string>>,
): string[] {
  const lines = [
    `${"type".padEnd(28)} ${"TP".padStart(6)} ${"FP".padStart(6)} ${
      "FN".padStart(6)
    }  precision  recall   `,
  ];
  for (const r of report.rows) {
    const p = ratio(r.tp, r.tp + r.fp);
    const rec = ratio(r.tp, r.tp + r.fn);
    const mark = !ruleTypes.has(r.type) ? "  ✗ no rule" : rowMeetsTarget(r) ? "" : "  ✗ below 0.99";
    lines.push(
      `${r.type.padEnd(28)} ${String(r.tp).padStart(6)} ${String(r.fp).padStart(6)} ${
        String(r.fn).padStart(6)
      }` +
        `  ${fmt(p).padStart(9)}  ${fmt(rec).padStart(6)}${mark}`,
    );
  }
  const micro = (pred: (r: TypeRow) => boolean, name: string) => {
    const sel = report.rows.filter(pred);
    const tp = sel.reduce((a, r) => a + r.tp, 0);
    const fp = sel.reduce((a, r) => a + r.fp, 0);
    const fn = sel.reduce((a, r) => a + r.fn, 0);
    lines.push(
      `${("micro avg " + name).padEnd(28)} ${String(tp).padStart(6)} ${String(fp).padStart(6)} ${
        String(fn).padStart(6)
      }` +
        `  ${fmt(ratio(tp, tp + fp)).padStart(9)}  ${fmt(ratio(tp, tp + fn)).padStart(6)}`,
    );
  };
  lines.push("-".repeat(80));
  micro(() => true, "(all)");
  micro((r) => category[r.type] === "secret", "(secrets)");
  micro((r) => category[r.type] === "pii", "(pii)");
  const failing = report.rows.filter((r) => !rowMeetsTarget(r) || !ruleTypes.has(r.type));
  lines.push("");
  lines.push(
    `types under target: ${failing.length === 0 ? "none" : failing.map((r) => r.type).join(", ")}`,
  );
  lines.push(`scanned ${report.samples} samples in ${report.seconds.toFixed(2)} s`);
  return lines;
}

/** Render failure examples for the types under target. */
export function formatExamples(report: AccuracyReport): string[] {
  const lines: string[] = [];
  for (const r of report.rows) {
    if (rowMeetsTarget(r)) continue;
    const list = report.examples.get(r.type) ?? [];
    if (list.length === 0) continue;
    lines.push(`[${r.type}]`);
    const counts = [...(report.breakdown.get(r.type) ?? new Map<string, number>()).entries()]
      .sort((a, b) => b[1] - a[1]);
    lines.push("  where:");
    for (const [k, n] of counts.slice(0, 6)) lines.push(`    ×${String(n).padEnd(4)} ${k}`);
    for (const ex of list) {
      const as = ex.foundAs.length > 0 ? ` (found as ${ex.foundAs.join(", ")})` : "";
      lines.push(`  ${ex.what} ${ex.kind}: ${JSON.stringify(ex.value)}${as}`);
      lines.push(`      in: ${JSON.stringify(ex.context)}`);
    }
  }
  return lines;
}

/** One throughput measurement. */
export interface Throughput {
  /** Input name. */
  name: string;
  /** UTF-8 bytes per call. */
  bytes: number;
  /** Best seconds per call. */
  seconds: number;
}

/** MB/s of a measurement (MB = 10^6 bytes). */
export const mbps = (t: Throughput) => t.bytes / t.seconds / 1e6;
/** Nanoseconds per byte of a measurement. */
export const nsPerByte = (t: Throughput) => (t.seconds * 1e9) / t.bytes;

/**
 * Best time per call of `fn` after a warm-up, within about `budgetMs`. Small inputs are
 * batched so each timed batch lasts at least a few milliseconds.
 */
export async function bestTime(fn: () => unknown, budgetMs: number): Promise<number> {
  let t = performance.now();
  await fn();
  const first = performance.now() - t;
  if (first > budgetMs) return first / 1000;
  const reps = Math.max(1, Math.ceil(5 / Math.max(first, 0.001)));
  let best = Infinity;
  const stop = performance.now() + budgetMs;
  let runs = 0;
  while (runs < 3 || performance.now() < stop) {
    t = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    best = Math.min(best, (performance.now() - t) / reps);
    runs++;
    if (runs > 10_000) break;
  }
  return best / 1000;
}

/** Inputs for the throughput sections. */
export interface ThroughputInputs {
  /** Ordinary prose, about 1 MB, with a few sensitive values in several languages. */
  prose: string;
  /** The same prose without sprinkled values: only ASCII and Hangul, so Unicode folding can skip it. */
  plainProse: string;
  /** Chat bodies by label (1 KB, 32 KB, 1 MB). */
  chat: [string, string][];
  /** Hostile inputs by name. */
  hostile: [string, string][];
}

/** Build the throughput inputs (deterministic for a seed). */
export function throughputInputs(seed: number, proseBytes = 1 << 20): ThroughputInputs {
  return {
    prose: generateProse({ seed, bytes: proseBytes }),
    plainProse: generateProse({ seed, bytes: proseBytes, sensitiveEvery: 0 }),
    chat: [
      ["chat JSON 1 KB", generateChatJson(seed, 1024)],
      ["chat JSON 32 KB", generateChatJson(seed, 32 * 1024)],
      ["chat JSON 1 MB", generateChatJson(seed, 1 << 20)],
    ],
    hostile: Object.entries(hostileInputs(seed)),
  };
}

/** Scan throughput results. */
export interface ScanThroughput {
  /** The baseline for hostile ratios. */
  prose: Throughput;
  /** Prose that stays on the Unicode-folding fast path. */
  plainProse: Throughput;
  /** Chat bodies. */
  chat: Throughput[];
  /** Hostile inputs. */
  hostile: Throughput[];
}

/** Measure scan throughput on prose, chat bodies and hostile inputs. */
export async function measureScan(
  scanner: Scanner,
  inputs: ThroughputInputs,
  budgetMs: number,
): Promise<ScanThroughput> {
  const one = async (name: string, text: string): Promise<Throughput> => ({
    name,
    bytes: utf8Bytes(text),
    seconds: await bestTime(() => scanner.scan(text), budgetMs),
  });
  const prose = await one("prose (en+ko, multilingual PII)", inputs.prose);
  const plainProse = await one("prose (en+ko, no PII)", inputs.plainProse);
  const chat: Throughput[] = [];
  for (const [n, t] of inputs.chat) chat.push(await one(n, t));
  const hostile: Throughput[] = [];
  for (const [n, t] of inputs.hostile) hostile.push(await one(n, t));
  return { prose, plainProse, chat, hostile };
}

/**
 * Each hostile input's per-byte cost ÷ the per-byte cost of prose with PII, by input name:
 * the figure issue 15's hostile rows are judged by.
 */
export function hostileRatios(r: ScanThroughput): Map<string, number> {
  const base = nsPerByte(r.prose);
  return new Map(r.hostile.map((t) => [t.name, nsPerByte(t) / base]));
}

/**
 * Render scan throughput lines. Hostile ratios are against ordinary prose (the target);
 * the ratio against fast-path prose is shown beside it, since a slow baseline can hide a
 * hostile input's cost.
 */
export function formatScan(r: ScanThroughput): string[] {
  const line = (t: Throughput, extra = "") =>
    `${t.name.padEnd(32)} ${(t.bytes / 1024).toFixed(0).padStart(6)} KiB ${
      mbps(t).toFixed(1).padStart(7)
    } MB/s ${nsPerByte(t).toFixed(2).padStart(8)} ns/B${extra}`;
  const lines = [
    line(r.prose),
    line(r.plainProse),
    ...r.chat.map((t) => line(t)),
    "",
    "hostile inputs (per-byte cost ÷ prose with PII; ÷ prose without PII in brackets):",
  ];
  const ratios = hostileRatios(r);
  const fast = nsPerByte(r.plainProse);
  for (const t of r.hostile) {
    const x = ratios.get(t.name) as number;
    const y = nsPerByte(t) / fast;
    const over = x > HOSTILE_RATIO_TARGET ? "  ✗ over 2.0" : "";
    lines.push(line(t, `  ×${x.toFixed(2)} [×${y.toFixed(2)}]${over}`));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// PROTECT HOOK: measured only when src/protect/mod.ts exists and exports createProtector.
// The import is dynamic so this benchmark runs before that module lands.
// ---------------------------------------------------------------------------------------

interface ProtectorLike {
  protectJsonText(text: string): unknown;
}

type CreateProtector = (config: unknown, deps?: unknown) => ProtectorLike | Promise<ProtectorLike>;

const errText = (e: unknown) => (e instanceof Error ? e.message.split("\n")[0] : String(e));

async function importIfPresent(rel: string): Promise<Record<string, unknown> | string> {
  const url = new URL(rel, import.meta.url);
  if (!(await pathExists(decodeURIComponent(url.pathname)))) {
    return `${rel.slice(3)} does not exist yet`;
  }
  try {
    return await import(url.href);
  } catch (e) {
    return `${rel.slice(3)} failed to load (${errText(e)})`;
  }
}

/**
 * Build a protector that can run the default policy on `probe`. The default preset
 * tokenizes some types, which needs a vault; when the bare protector refuses, retry with
 * the in-memory vault from `src/vault/memory.ts` (as `haechi protect` would use).
 */
async function buildProtector(
  create: CreateProtector,
  probe: string,
): Promise<[ProtectorLike, string] | string> {
  let why = "";
  try {
    const p = await create(DEFAULT_CONFIG);
    await p.protectJsonText(probe);
    return [p, "no vault"];
  } catch (e) {
    why = errText(e);
  }
  const vaultMod = await importIfPresent("../src/vault/memory.ts");
  if (typeof vaultMod === "string" || typeof vaultMod.createMemoryVault !== "function") {
    return `protectJsonText failed without a vault (${why}) and no memory vault is available`;
  }
  try {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const reversible = await (vaultMod.createMemoryVault as (k: Uint8Array) => Promise<unknown>)(
      key,
    );
    const p = await create(DEFAULT_CONFIG, { reversible });
    await p.protectJsonText(probe);
    return [p, "memory vault"];
  } catch (e) {
    return `protectJsonText failed (${errText(e)})`;
  }
}

/**
 * PROTECT HOOK. Measure `createProtector(DEFAULT_CONFIG).protectJsonText(text)` on the
 * chat bodies.
 *
 * @param figures When given, receives MB/s by input name.
 * @returns Lines to print; a single explanatory line when the module is not usable yet.
 */
export async function measureProtect(
  inputs: ThroughputInputs,
  budgetMs: number,
  figures?: Map<string, number>,
): Promise<string[]> {
  const mod = await importIfPresent("../src/protect/mod.ts");
  if (typeof mod === "string") return [`skipped: ${mod}`];
  if (typeof mod.createProtector !== "function") {
    return ["skipped: src/protect/mod.ts does not export createProtector"];
  }
  // Probe with the largest body: it holds the most finding types, so a missing vault shows.
  const probe = inputs.chat[inputs.chat.length - 1][1];
  const built = await buildProtector(mod.createProtector as CreateProtector, probe);
  if (typeof built === "string") return [`skipped: ${built}`];
  const [protector, mode] = built;
  const lines = [`(default config, ${mode})`];
  for (const [name, text] of inputs.chat) {
    let first: { output?: unknown; blocked?: unknown };
    try {
      first = await protector.protectJsonText(text) as typeof first;
    } catch (e) {
      lines.push(`${name.padEnd(28)} failed: ${errText(e)}`);
      continue;
    }
    const shape = typeof first?.output !== "string"
      ? "  (result has no string .output)"
      : first.blocked === true
      ? "  (blocked)"
      : "";
    const t: Throughput = {
      name,
      bytes: utf8Bytes(text),
      seconds: await bestTime(() => protector.protectJsonText(text), budgetMs),
    };
    figures?.set(name, mbps(t));
    const target = name.includes("32 KB")
      ? `  target ≥ ${PROTECT_TARGET_MBPS} MB/s${
        mbps(t) < PROTECT_TARGET_MBPS ? "  ✗ under target" : "  ✓"
      }`
      : "";
    lines.push(`${name.padEnd(28)} ${mbps(t).toFixed(1).padStart(8)} MB/s${target}${shape}`);
  }
  return lines;
}
