/**
 * `deno task bench`: detection accuracy on the synthetic corpus, scan throughput on prose,
 * chat bodies and hostile inputs, protect throughput, then the gateway proxy
 * (`bench_proxy.ts`), the token vault (`bench_vault.ts`), the audit append
 * (`bench_audit.ts`), the MCP wrapper (`bench_mcp.ts`, run as a child process because it is
 * a standalone script), the audit dashboard on a 1 GiB log (`bench_dashboard.ts`;
 * 64 MiB with `--quick`), the fleet: nginx in front of 1 and 3 replicas on one Redis
 * (`bench_fleet.ts`; skipped, saying why, without nginx or redis-server), and last the table
 * of issue 15's targets with ✓/✗ (`bench_targets.ts`).
 *
 * Flags: `--quick` (smaller corpus, shorter timings), `--seed=N`, `--per-type=N`.
 * Not part of the unit tests. Failure examples go to stderr.
 *
 * @module
 */
import { createScanner } from "../src/detect/scanner.ts";
import { BUILTIN_RULES } from "../src/detect/rules/mod.ts";
import { stderrSink, stdoutSink } from "../src/runtime/mod.ts";
import { CORPUS_CATEGORY, generateCorpus } from "./corpus.ts";
import {
  evaluateAccuracy,
  formatAccuracy,
  formatExamples,
  formatScan,
  hostileRatios,
  measureProtect,
  measureScan,
  throughputInputs,
} from "./bench_detect.ts";
import { formatProxyBench, runProxyBench } from "./bench_proxy.ts";
import { formatVaultBench, runVaultBench } from "./bench_vault.ts";
import { formatAuditBench, runAuditBench } from "./bench_audit.ts";
import { formatDashboardBench, runDashboardBench } from "./bench_dashboard.ts";
import { formatFleetBench, runFleetBench } from "./bench_fleet.ts";
import { issue15Targets } from "./bench_targets.ts";
import { formatTargets } from "./bench_targets.ts";

/** Parsed command-line flags. */
export interface BenchArgs {
  /** Smaller and faster. */
  quick: boolean;
  /** Corpus seed. */
  seed: number;
  /** Positives per type. */
  perType: number;
}

/**
 * Parse bench flags.
 *
 * @example
 * ```ts
 * import { parseBenchArgs } from "./bench.ts";
 * const a = parseBenchArgs(["--quick"]);
 * if (!a.quick || a.perType !== 40) throw new Error("quick defaults");
 * ```
 */
export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const quick = args.includes("--quick");
  const num = (name: string, dflt: number) => {
    const a = args.find((x) => x.startsWith(`--${name}=`));
    const n = a === undefined ? dflt : Number(a.slice(name.length + 3));
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Invalid --${name}: "${a}"`);
    return n;
  };
  return { quick, seed: num("seed", 20240501), perType: num("per-type", quick ? 40 : 200) };
}

async function main(args: readonly string[]): Promise<number> {
  const opts = parseBenchArgs(args);
  const out = stdoutSink();
  const err = stderrSink();
  const print = (lines: string[]) => out.write(lines.join("\n") + "\n");
  const header = (title: string) =>
    out.write(`\n== ${title} ${"=".repeat(Math.max(0, 74 - title.length))}\n`);
  const budget = opts.quick ? 200 : 700;

  const ruleTypes = new Set(BUILTIN_RULES.map((r) => r.type));
  await out.write(
    `haechi detection bench — ${BUILTIN_RULES.length} rules covering ${ruleTypes.size} types, ` +
      `seed ${opts.seed}, ${opts.perType}/type${opts.quick ? " (quick)" : ""}\n`,
  );
  const scanner = createScanner(BUILTIN_RULES);

  header("1. Accuracy on the synthetic corpus (target ≥ 0.99 precision and recall)");
  const corpus = generateCorpus({ seed: opts.seed, perType: opts.perType });
  const report = evaluateAccuracy(scanner, corpus);
  await print(formatAccuracy(report, ruleTypes, CORPUS_CATEGORY));
  const examples = formatExamples(report);
  if (examples.length > 0) {
    await err.write("\n== failure examples (synthetic values) ==\n" + examples.join("\n") + "\n");
  }

  header("2. Scan throughput (best of several runs after warm-up)");
  const inputs = throughputInputs(opts.seed, opts.quick ? 256 * 1024 : 1 << 20);
  const scanFigures = await measureScan(scanner, inputs, budget);
  await print(formatScan(scanFigures));

  header("3. Protect throughput: createProtector(DEFAULT_CONFIG).protectJsonText");
  const protectMbps = new Map<string, number>();
  await print(await measureProtect(inputs, budget, protectMbps));

  header("4. Gateway proxy: direct, bare relay, pass-through, parse-only, enforce");
  const proxyRows = await runProxyBench({ quick: opts.quick });
  await out.write(formatProxyBench(proxyRows));

  header("5. Token vault (scripts/bench_vault.ts)");
  const vaultRows = await runVaultBench({
    sizes: opts.quick ? [1_000, 10_000] : [1_000, 100_000, 1_000_000],
    samples: opts.quick ? 500 : 2_000,
  });
  await out.write(formatVaultBench(vaultRows));

  header("6. Audit append and its multi-writer lock (scripts/bench_audit.ts)");
  await out.write(formatAuditBench(await runAuditBench({ records: opts.quick ? 5000 : 20_000 })));

  header("7. MCP wrapper (scripts/bench_mcp.ts, child process)");
  const mcp = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./bench_mcp.ts", import.meta.url).pathname,
      ...(opts.quick ? ["--calls", "100", "--burst", "500"] : []),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const mcpText = new TextDecoder().decode(mcp.stdout);
  await out.write(mcpText);
  if (!mcp.success) {
    await err.write(new TextDecoder().decode(mcp.stderr).slice(-2000) + "\n");
    return 1;
  }

  header("8. Audit dashboard on a large log (scripts/bench_dashboard.ts)");
  const dashboard = await runDashboardBench({ bytes: (opts.quick ? 64 : 1024) * (1 << 20) });
  await out.write(formatDashboardBench(dashboard));

  header("9. Fleet: nginx, 1 and 3 replicas, one Redis (scripts/bench_fleet.ts)");
  const fleet = await runFleetBench({ quick: opts.quick });
  await out.write(
    Array.isArray(fleet) ? formatFleetBench(fleet, 16) : `skipped: ${fleet.skip}\n`,
  );

  header("10. Issue 15 targets (every ratio against the bare relay)");
  const targets = await issue15Targets(opts.quick, budget, {
    proxyRows,
    protectMbps: protectMbps.get("chat JSON 32 KB"),
    hostileRatios: hostileRatios(scanFigures),
    mcpAddedMs: Number(/added latency per tools\/call: ([-\d.]+) ms/.exec(mcpText)?.[1] ?? NaN),
  }, print);
  await out.write(formatTargets(targets));
  return 0;
}

if (import.meta.main) {
  // Deno.args is the entry point's own argument list; exiting stays here.
  Deno.exitCode = await main(Deno.args);
}
