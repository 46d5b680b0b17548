/**
 * Issue 15's speed targets: the measurements the other bench sections do not already make
 * (`protect --format jsonl` as a whole process, a tokenize-heavy log, hostile-input growth
 * from 100 KB to 1 MB, the text guard fed one character at a time) and the table that
 * `deno task bench` ends with: every target, its figure and ✓/✗.
 *
 * ```sh
 * deno run -A scripts/bench_targets.ts [--quick]
 * ```
 *
 * @module
 */
import { createScanner } from "../src/detect/scanner.ts";
import { BUILTIN_RULES } from "../src/detect/rules/mod.ts";
import { createTextGuard, type TextGuard, type TextGuardResult } from "../src/stream/text_guard.ts";
import { bestTime } from "./bench_detect.ts";
import { type ProxyBenchRow, proxyTargets } from "./bench_proxy.ts";
import { generateChatJson, generateProse, utf8Bytes } from "./corpus/prose.ts";
import { B64, Rng } from "./corpus/rng.ts";

/** One row of the target table. */
export interface TargetRow {
  /** What is measured. */
  readonly what: string;
  /** The measured figure, as printed. */
  readonly now: string;
  /** The target, as printed. */
  readonly target: string;
  /** Whether the target is met; `undefined` when it was not measured. */
  readonly ok: boolean | undefined;
}

/**
 * Render the target table.
 *
 * @example
 * ```ts
 * import { formatTargets } from "./bench_targets.ts";
 * const t = formatTargets([{ what: "x", now: "1", target: "≥ 1", ok: true }]);
 * if (!t.includes("✓")) throw new Error(t);
 * ```
 */
export function formatTargets(rows: readonly TargetRow[]): string {
  const w = Math.max(...rows.map((r) => r.what.length), 4);
  const n = Math.max(...rows.map((r) => r.now.length), 3);
  const t = Math.max(...rows.map((r) => r.target.length), 6);
  const lines = [`${"what".padEnd(w)}  ${"now".padEnd(n)}  ${"target".padEnd(t)}`];
  for (const r of rows) {
    const mark = r.ok === undefined ? "-" : r.ok ? "✓" : "✗";
    lines.push(`${r.what.padEnd(w)}  ${r.now.padEnd(n)}  ${r.target.padEnd(t)}  ${mark}`);
  }
  return lines.join("\n") + "\n";
}

const ENTRY = new URL("../main.ts", import.meta.url).pathname;

/** Whole-process `haechi protect --format jsonl` figures. */
export interface JsonlBench {
  /** Input bytes. */
  readonly bytes: number;
  /** Wall seconds of the whole process (start-up included). */
  readonly seconds: number;
  /** Tokens issued (new values), when the input was the tokenize-heavy log. */
  readonly tokens: number;
}

async function runProtect(dir: string, file: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", ENTRY, "protect", file, "--format", "jsonl"],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  if (!out.success) {
    throw new Error(`protect failed: ${new TextDecoder().decode(out.stderr).slice(-500)}`);
  }
  return seconds;
}

/**
 * Time `haechi protect --format jsonl` on a log of 32 KB chat lines and on a log where
 * most values are new emails (tokenized into the SQLite vault), each in a fresh directory
 * made with `haechi init`.
 */
export async function measureJsonl(
  o: { chatBytes: number; tokenLines: number },
): Promise<{ chat: JsonlBench; tokens: JsonlBench }> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-bench-jsonl-" });
  try {
    const init = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", ENTRY, "init"],
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!init.success) throw new Error(new TextDecoder().decode(init.stderr));
    const line = JSON.stringify(JSON.parse(generateChatJson(7, 32 * 1024))) + "\n";
    const lines = Math.max(1, Math.round(o.chatBytes / line.length));
    const chatFile = `${dir}/chat.jsonl`;
    await Deno.writeTextFile(chatFile, line.repeat(lines));
    const chatSeconds = await runProtect(dir, chatFile);
    // Two new emails per line, every value distinct: the vault grows by one row per value.
    const tokFile = `${dir}/tokens.jsonl`;
    const parts: string[] = [];
    for (let i = 0; i < o.tokenLines; i++) {
      parts.push(JSON.stringify({
        messages: [{
          role: "user",
          content: `Please reply to user${i}.a@example.org and cc ops${i}@corp.example.com ` +
            `about ticket ${i}; the log line follows with nothing else sensitive in it.`,
        }],
      }));
    }
    const tokText = parts.join("\n") + "\n";
    await Deno.writeTextFile(tokFile, tokText);
    const tokSeconds = await runProtect(dir, tokFile);
    return {
      chat: { bytes: lines * line.length, seconds: chatSeconds, tokens: 0 },
      tokens: { bytes: utf8Bytes(tokText), seconds: tokSeconds, tokens: 2 * o.tokenLines },
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Per-byte scan cost of the hostile families at 100 KB and 1 MB, against prose. */
export interface HostileGrowth {
  /** Family name. */
  readonly name: string;
  /** The same family's 1 MB input in section 2 (`hostileInputs`). */
  readonly section2Name: string;
  /** ns per byte at 1 MB ÷ ns per byte of prose with PII. */
  readonly ratio: number;
  /** Time at 1 MB ÷ time at 100 KB (10 for linear). */
  readonly growth: number;
}

/** Measure the three hostile families issue 15 names. */
export async function measureHostileGrowth(budgetMs: number): Promise<HostileGrowth[]> {
  const scanner = createScanner(BUILTIN_RULES);
  const prose = generateProse({ seed: 11, bytes: 1 << 20 });
  const nsPerByte = async (text: string) =>
    (await bestTime(() => scanner.scan(text), budgetMs)) * 1e9 / utf8Bytes(text);
  const base = await nsPerByte(prose);
  const families: [string, string, (bytes: number) => string][] = [
    ['"@a."', '"@a." x 1MB', (b) => "@a.".repeat(Math.floor(b / 3))],
    // The generator of section 2's input: an LCG written with plain `*` loses its low bits
    // past 2^53 and repeats a 6k block, which is not what "random" promises.
    ["random base64", "random base64 1MB", (b) => new Rng(12345).chars(B64, b)],
    [
      "full-width text",
      "full-width text 1MB",
      (b) => "ｔｏｋｅｎ＝ＡＢＣ１２３ ".repeat(Math.floor(b / 37)),
    ],
  ];
  const out: HostileGrowth[] = [];
  for (const [name, section2Name, make] of families) {
    const small = make(100 * 1024);
    const big = make(1 << 20);
    const tSmall = await bestTime(() => scanner.scan(small), budgetMs);
    const tBig = await bestTime(() => scanner.scan(big), budgetMs);
    out.push({
      name,
      section2Name,
      ratio: (tBig * 1e9 / utf8Bytes(big)) / base,
      growth: tBig / tSmall,
    });
  }
  return out;
}

/**
 * The text guard on a short word then a 16k run without spaces: fed in 1-character deltas
 * versus in one delta. Returns seconds for each (the guard scans with the built-in rules and
 * protects by returning the text unchanged, so the figure is the guard's own cost).
 */
export async function measureTextGuard(): Promise<{ oneDelta: number; charDeltas: number }> {
  const scanner = createScanner(BUILTIN_RULES);
  const text = "hello " + "x".repeat(16 * 1024);
  const guard = () =>
    createTextGuard({
      protect: (t) => Promise.resolve({ output: t, findings: [], blocked: false }),
      scan: (t) => scanner.scan(t),
    });
  const run = async (deltas: readonly string[]) => {
    const g = guard();
    for (let i = 0; i < deltas.length;) {
      const step = pushUntilWait(g, deltas, i);
      i = step.next;
      if (step.wait !== undefined) await step.wait;
    }
    await g.flush();
  };
  const chars = [...text];
  // Both sides timed the same way: best of repeated runs after a warm-up.
  const oneDelta = await bestTime(() => run([text]), 300);
  const charDeltas = await bestTime(() => run(chars), 300);
  return { oneDelta, charDeltas };
}

/**
 * Push `deltas` from `from` on until one returns a promise, as the stream rewriter takes
 * frames (`rewriteStream`): a push that releases nothing comes back at once, and the loop
 * that awaits the one that does is outside this plain one.
 */
function pushUntilWait(
  g: TextGuard,
  deltas: readonly string[],
  from: number,
): { next: number; wait?: Promise<TextGuardResult> } {
  for (let i = from; i < deltas.length; i++) {
    const r = g.push(deltas[i]);
    if (r instanceof Promise) return { next: i + 1, wait: r };
  }
  return { next: deltas.length };
}

/** Figures the earlier bench sections measured, passed in to avoid measuring twice. */
export interface EarlierFigures {
  /** Section 4's rows. */
  readonly proxyRows: readonly ProxyBenchRow[];
  /** Section 3's `protectJsonText` MB/s on the 32 KB chat body. */
  readonly protectMbps: number | undefined;
  /**
   * Section 2's hostile per-byte ratios by input name; the hostile rows use these when
   * given, so the two sections never disagree about the same figure.
   */
  readonly hostileRatios?: ReadonlyMap<string, number>;
  /** Section 7's added ms per MCP `tools/call`. */
  readonly mcpAddedMs: number;
}

/**
 * Measure what is left and build every row of issue 15's table.
 *
 * @param quick Smaller inputs.
 * @param budgetMs Time per throughput measurement.
 * @param earlier Figures from the earlier sections.
 * @param print Where detail lines go (hostile growth, jsonl sizes).
 */
export async function issue15Targets(
  quick: boolean,
  budgetMs: number,
  earlier: EarlierFigures,
  print: (lines: string[]) => unknown,
): Promise<TargetRow[]> {
  const fin = (x: number | undefined, f: (v: number) => string) =>
    x !== undefined && Number.isFinite(x) ? f(x) : "-";
  const check = (x: number | undefined, ok: (v: number) => boolean) =>
    x !== undefined && Number.isFinite(x) ? ok(x) : undefined;
  const rows: TargetRow[] = [...proxyTargets(earlier.proxyRows)];
  rows.push({
    what: "protectJsonText, 32 KB chat JSON (section 3)",
    now: fin(earlier.protectMbps, (v) => `${v.toFixed(1)} MB/s`),
    target: "≥ 250 MB/s",
    ok: check(earlier.protectMbps, (v) => v >= 250),
  });
  const j = await measureJsonl({
    chatBytes: (quick ? 8 : 62) << 20,
    tokenLines: quick ? 5_000 : 100_000,
  });
  const chatMbps = j.chat.bytes / j.chat.seconds / 1e6;
  const tokMbps = j.tokens.bytes / j.tokens.seconds / 1e6;
  const tokPerS = j.tokens.tokens / j.tokens.seconds;
  await print([
    `protect --format jsonl: ${(j.chat.bytes / 1e6).toFixed(0)} MB of 32 KB chat lines in ` +
    `${j.chat.seconds.toFixed(2)} s; ${(j.tokens.bytes / 1e6).toFixed(1)} MB with ` +
    `${j.tokens.tokens} new emails in ${j.tokens.seconds.toFixed(2)} s (whole process)`,
  ]);
  rows.push({
    what: "protect --format jsonl, 32 KB chat lines, whole process",
    now: `${chatMbps.toFixed(1)} MB/s`,
    target: "≥ 150 MB/s",
    ok: chatMbps >= 150,
  });
  rows.push({
    what: "protect --format jsonl, new emails (tokenize into SQLite)",
    now: `${tokMbps.toFixed(2)} MB/s, ${(tokPerS / 1000).toFixed(1)}k tokens/s`,
    target: "≥ 20 MB/s and ≥ 50k tokens/s",
    ok: tokMbps >= 20 && tokPerS >= 50_000,
  });
  const hostile = await measureHostileGrowth(budgetMs);
  await print([
    "hostile families (per-byte cost ÷ prose with PII, here and in section 2; " +
    "time growth 100 KB → 1 MB, 10 is linear):",
    ...hostile.map((h) => {
      const s2 = earlier.hostileRatios?.get(h.section2Name);
      return `  ${h.name.padEnd(18)} ×${h.ratio.toFixed(2)}` +
        (s2 === undefined ? "" : ` (section 2: ×${s2.toFixed(2)})`) +
        `   growth ×${h.growth.toFixed(1)}`;
    }),
  ]);
  for (const h of hostile) {
    // The issue judges this row by section 2's figure; without it (this file run alone) the
    // ratio measured here stands in.
    const s2 = earlier.hostileRatios?.get(h.section2Name);
    const ratio = s2 ?? h.ratio;
    rows.push({
      what: `hostile ${h.name}, per-byte cost ÷ prose (growth 100 KB→1 MB)`,
      now: `×${ratio.toFixed(2)}${s2 === undefined ? "" : " (section 2)"} (growth ×${
        h.growth.toFixed(1)
      })`,
      target: "≤ ×2, linear",
      ok: ratio <= 2 && h.growth <= 15,
    });
  }
  const g = await measureTextGuard();
  rows.push({
    what: "text guard, word + 16k run, 1-char deltas ÷ one delta",
    now: `${(g.charDeltas * 1000).toFixed(1)} ms vs ${(g.oneDelta * 1000).toFixed(2)} ms = ×${
      (g.charDeltas / g.oneDelta).toFixed(1)
    }`,
    target: "≤ ×2",
    ok: g.charDeltas <= 2 * g.oneDelta,
  });
  rows.push({
    what: "mcp-wrap added latency per tools/call (section 7)",
    now: fin(earlier.mcpAddedMs, (v) => `${v.toFixed(3)} ms`),
    target: "≤ 0.1 ms",
    ok: check(earlier.mcpAddedMs, (v) => v <= 0.1),
  });
  return rows;
}

if (import.meta.main) {
  // Alone, without the proxy and MCP sections: their rows print as "-".
  const quick = Deno.args.includes("--quick");
  const rows = await issue15Targets(quick, quick ? 200 : 700, {
    proxyRows: [],
    protectMbps: undefined,
    mcpAddedMs: NaN,
  }, (lines) => console.log(lines.join("\n")));
  console.log(formatTargets(rows));
}
