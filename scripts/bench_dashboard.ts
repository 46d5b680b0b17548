/**
 * Dashboard benchmark: how fast `haechi dashboard` answers on a large audit log (1 GiB by
 * default), through a real HTTP server on 127.0.0.1.
 *
 * The log is a valid chain made by a fast generator (the writer's record shape and
 * `hashRecord`, written in 4 MiB batches, an anchor every 100k records), then extended by
 * the real audit writer, whose head recovery accepts only a well-formed chain end. Measured:
 * the first full chain walk and the answers given while it runs, then `/api/chain`,
 * `/api/summary` and `/api/events` once verified (first answer, p50, p99), and right after
 * the writer appends (the tail is re-read; the chain answers with its last verdict).
 * "first" is the first answer of a series (a cold tail cache where it applies).
 *
 * Run: `deno run -A scripts/bench_dashboard.ts [--quick] [--mib=N]` (quick: 64 MiB).
 *
 * @module
 */
import { hashRecord, openAuditWriter } from "../src/audit/mod.ts";
import { startDashboard } from "../src/dashboard/mod.ts";

/** Latency of one route, ms. */
export interface RouteTiming {
  /** What was asked. */
  readonly name: string;
  /** First answer (cold cache). */
  readonly first: number;
  /** Median of the repeats. */
  readonly p50: number;
  /** 99th percentile of the repeats. */
  readonly p99: number;
}

/** Everything measured. */
export interface DashboardBench {
  /** Log size. */
  readonly bytes: number;
  /** Records in the log. */
  readonly records: number;
  /** Time to generate the log, ms. */
  readonly generateMs: number;
  /** First full chain walk, ms. */
  readonly walkMs: number;
  /** Whether the walk found the chain intact. */
  readonly valid: boolean;
  /** Route timings while the first walk runs. */
  readonly duringWalk: readonly RouteTiming[];
  /** Route timings on the idle log. */
  readonly idle: readonly RouteTiming[];
  /** Route timings right after an append. */
  readonly afterAppend: readonly RouteTiming[];
}

/** Requests answered faster than this meet the target. */
export const DASHBOARD_TARGET_MS = 100;

const KINDS = ["proxy.request", "proxy.response", "mcp.message"];
const TYPES = ["email", "phone", "aws-access-key-id", "credit-card", "ip-address"];
const ACTIONS = ["tokenize", "redact", "mask", "block"];

/** Write a valid chain of about `targetBytes` to `path`, anchors to `anchorPath`. */
async function generate(
  path: string,
  anchorPath: string,
  targetBytes: number,
): Promise<{ records: number; bytes: number }> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true, mode: 0o600 });
  const anchors = await Deno.open(anchorPath, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let prevHash = "0".repeat(64);
  let seq = 0;
  let bytes = 0;
  let t = Date.parse("2026-11-01T00:00:00.000Z");
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const data = enc.encode(batch.join(""));
    for (let off = 0; off < data.length;) off += await file.write(data.subarray(off));
    batch = [];
    batchBytes = 0;
  };
  while (bytes < targetBytes) {
    seq++;
    t += 250;
    const kind = KINDS[seq % 3];
    const type = TYPES[seq % 5];
    const action = ACTIONS[(seq >> 2) % 4];
    const record: Record<string, unknown> = {
      schemaVersion: 1,
      seq,
      ts: new Date(t).toISOString(),
      prevHash,
      kind,
      mode: "enforce",
      correlationId: crypto.randomUUID(),
      source: kind === "mcp.message" ? "mcp.http" : "proxy",
      outcome: action === "block" ? "blocked" : seq % 4 === 0 ? "clean" : "redacted",
      findings: seq % 4 === 0 ? [] : [{ type, ruleId: type, action, count: 1 + (seq % 3) }],
      paths: ["8450dfa0978a5b544d5921dc95bf9057"],
      details: kind === "mcp.message"
        ? { from: "client", method: "tools/call", tool: "search", part: "params" }
        : { protocol: "openai", route: "chat.completions", stream: seq % 2 === 0 },
    };
    record.hash = await hashRecord(record);
    prevHash = record.hash as string;
    const line = JSON.stringify(record) + "\n";
    batch.push(line);
    batchBytes += line.length;
    bytes += line.length;
    if (seq % 100_000 === 0) {
      const a = { schemaVersion: 1, seq, hash: prevHash, ts: record.ts };
      await anchors.write(enc.encode(JSON.stringify(a) + "\n"));
    }
    if (batchBytes >= 4 << 20) await flush();
  }
  await flush();
  file.close();
  anchors.close();
  return { records: seq, bytes };
}

async function time(url: string): Promise<number> {
  const start = performance.now();
  const r = await fetch(url);
  await r.arrayBuffer();
  const ms = performance.now() - start;
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return ms;
}

function summarize(name: string, samples: number[]): RouteTiming {
  const first = samples[0] ?? 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { name, first, p50: at(0.5), p99: at(0.99) };
}

async function route(name: string, url: string, repeats: number): Promise<RouteTiming> {
  const samples: number[] = [];
  for (let i = 0; i <= repeats; i++) samples.push(await time(url));
  return summarize(name, samples);
}

/**
 * Generate the log, serve it, measure.
 *
 * @example
 * ```ts ignore
 * const r = await runDashboardBench({ bytes: 64 << 20 });
 * ```
 */
export async function runDashboardBench(
  options: { bytes: number; repeats?: number },
): Promise<DashboardBench> {
  const repeats = options.repeats ?? 30;
  const dir = await Deno.makeTempDir({ prefix: "haechi-bench-dashboard-" });
  const path = `${dir}/audit.jsonl`;
  const anchorPath = `${dir}/audit.anchors`;
  try {
    const genStart = performance.now();
    const gen = await generate(path, anchorPath, options.bytes);
    // The real writer takes over the generated chain and appends to it.
    let writer = await openAuditWriter({ path, anchorPath });
    const appendOne = () =>
      writer.append({
        kind: "proxy.request",
        mode: "enforce",
        correlationId: crypto.randomUUID(),
        source: "proxy",
        outcome: "redacted",
        findings: [{ type: "email", ruleId: "email", action: "tokenize", count: 1 }],
        details: { protocol: "openai", route: "chat.completions" },
      });
    await appendOne();
    await writer.close();
    const generateMs = performance.now() - genStart;

    // Serve by the same code path the CLI uses (a rate limit high enough for a bench).
    const dash = await startDashboard({
      auditPath: path,
      anchorPath,
      port: 0,
      rateLimit: 1_000_000,
    });
    try {
      const u = (p: string) => `${dash.url}${p.slice(1)}`;
      // During the first walk: every request is answered while verification runs.
      const during = { chain: [] as number[], summary: [] as number[], events: [] as number[] };
      const walkStart = performance.now();
      let chain = await (await fetch(u("/api/chain"))).json();
      while (chain.checking || chain.valid === null) {
        await new Promise((r) => setTimeout(r, 250));
        during.summary.push(await time(u("/api/summary")));
        during.events.push(await time(u("/api/events?limit=50")));
        const t0 = performance.now();
        chain = await (await fetch(u("/api/chain"))).json();
        during.chain.push(performance.now() - t0);
      }
      const walkMs = performance.now() - walkStart;
      const routes = [
        ["/api/chain (cached)", "/api/chain"],
        ["/api/summary", "/api/summary"],
        ["/api/summary?type=email", "/api/summary?type=email"],
        ["/api/events?limit=50", "/api/events?limit=50"],
        ["/api/events page 2", `/api/events?limit=50&cursor=${chain.headSeq - 50}`],
      ];
      const idle = [];
      for (const [name, p] of routes) idle.push(await route(name, u(p), repeats));

      writer = await openAuditWriter({ path, anchorPath });
      await appendOne();
      await writer.close();
      const afterAppend = [
        await route("/api/summary (tail re-read)", u("/api/summary"), repeats),
        await route("/api/chain (last verdict)", u("/api/chain"), repeats),
      ];
      const duringWalk = [
        summarize("/api/chain (progress)", during.chain),
        summarize("/api/summary", during.summary),
        summarize("/api/events?limit=50", during.events),
      ];
      return {
        bytes: gen.bytes,
        records: gen.records + 2,
        generateMs,
        walkMs,
        valid: chain.valid === true,
        duringWalk,
        idle,
        afterAppend,
      };
    } finally {
      await dash.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The result as a table. */
export function formatDashboardBench(b: DashboardBench): string {
  const mib = b.bytes / (1 << 20);
  const lines = [
    `log: ${mib.toFixed(0)} MiB, ${b.records.toLocaleString("en-US")} records ` +
    `(generated in ${(b.generateMs / 1000).toFixed(1)} s, extended by the real writer)`,
    `first full chain walk (verifyAuditLog with anchors): ${(b.walkMs / 1000).toFixed(1)} s ` +
    `(${(mib / (b.walkMs / 1000)).toFixed(0)} MiB/s), chain ${b.valid ? "valid" : "NOT valid"}`,
    "",
    `${"route".padEnd(34)}${"first ms".padStart(10)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}`,
  ];
  const row = (r: RouteTiming) =>
    `${r.name.padEnd(34)}${r.first.toFixed(1).padStart(10)}${r.p50.toFixed(1).padStart(9)}${
      r.p99.toFixed(1).padStart(9)
    }`;
  lines.push("while the first walk runs:");
  for (const r of b.duringWalk) lines.push(row(r));
  lines.push("once verified:");
  for (const r of b.idle) lines.push(row(r));
  lines.push("after the writer appends one record:");
  for (const r of b.afterAppend) lines.push(row(r));
  const all = [...b.duringWalk, ...b.idle, ...b.afterAppend];
  const worst = Math.max(...all.map((r) => Math.max(r.first, r.p99)));
  lines.push(
    `slowest answer ${worst.toFixed(1)} ms: ` +
      (worst < DASHBOARD_TARGET_MS ? "within" : "OVER") + ` the ${DASHBOARD_TARGET_MS} ms target`,
  );
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const mibArg = Deno.args.find((a) => a.startsWith("--mib="));
  const mib = mibArg === undefined ? (quick ? 64 : 1024) : Number(mibArg.slice(6));
  if (!Number.isInteger(mib) || mib < 1) throw new RangeError(`Invalid ${mibArg}`);
  console.log(formatDashboardBench(await runDashboardBench({ bytes: mib * (1 << 20) })));
}
