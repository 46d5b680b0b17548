/**
 * The audit append's cost, and what the multi-writer lock adds to it.
 *
 * Four rows, each the median of several runs of `records` appends to a fresh log:
 * - `bare write`: the record bytes written with one blocking `write`, nothing else;
 * - `write + lock`: the same write between the lock, the size check and the unlock the
 *   writer adds around it, so the difference with `bare write` is the lock's cost;
 * - `writer, alone`: `openAuditWriter(...).append` (seal, hash, lock, head check, write,
 *   unlock), the path every proxied request takes;
 * - `writer, 2 processes`: the same while a second process appends to the same log, so
 *   half the appends find the file grown and read the head again.
 *
 * @module
 */
import { openAuditWriter } from "../src/audit/writer.ts";
import { openSharedAppend } from "../src/runtime/shared_file.ts";
import type { AuditEvent } from "../src/audit/record.ts";

/** One measured row. */
export interface AuditBenchRow {
  /** What was measured. */
  readonly name: string;
  /** Median microseconds per record. */
  readonly usPerRecord: number;
}

const EVENT: AuditEvent = {
  kind: "proxy.request",
  mode: "enforce",
  correlationId: "0b8e9a52-3c55-4a4e-9d0b-6a1f2f0f6a11",
  source: "proxy",
  outcome: "redacted",
  findings: [{ type: "email", ruleId: "email-address", action: "tokenize", count: 1 }],
  paths: ["8450dfa0978a5b544d5921dc95bf9057"],
  details: { route: "openai.chat", status: 200 },
};

/**
 * Run the audit bench.
 *
 * @param options `records` per run (default 20,000) and `runs` (default 5).
 * @returns One row per variant.
 */
export async function runAuditBench(
  options: { records?: number; runs?: number } = {},
): Promise<AuditBenchRow[]> {
  const records = options.records ?? 20_000;
  const runs = options.runs ?? 5;
  const dir = await Deno.makeTempDir({ prefix: "haechi-bench-audit-" });
  try {
    const line = new TextEncoder().encode(
      JSON.stringify({ ...EVENT, seq: 1, hash: "0".repeat(64), prevHash: "0".repeat(64) }) +
        "\n",
    );
    const bare = await median(runs, async (i) => {
      const file = await openSharedAppend(`${dir}/bare-${i}.jsonl`);
      const t0 = performance.now();
      for (let n = 0; n < records; n++) file.appendSync(line);
      const t = performance.now() - t0;
      file.close();
      return t;
    });
    const locked = await median(runs, async (i) => {
      const file = await openSharedAppend(`${dir}/locked-${i}.jsonl`);
      const t0 = performance.now();
      for (let n = 0; n < records; n++) {
        file.lockSync();
        file.sizeSync();
        file.appendSync(line);
        file.unlockSync();
      }
      const t = performance.now() - t0;
      file.close();
      return t;
    });
    const alone = await median(runs, async (i) => {
      const writer = await openAuditWriter({ path: `${dir}/alone-${i}.jsonl` });
      const t0 = performance.now();
      for (let n = 0; n < records; n++) await writer.append(EVENT);
      const t = performance.now() - t0;
      await writer.close();
      return t;
    });
    const shared = await median(runs, async (i) => {
      const path = `${dir}/shared-${i}.jsonl`;
      const other = new Deno.Command(Deno.execPath(), {
        args: ["eval", OTHER_WRITER, path, String(records)],
        stdout: "null",
        stderr: "inherit",
      }).spawn();
      const writer = await openAuditWriter({ path });
      const t0 = performance.now();
      for (let n = 0; n < records; n++) await writer.append(EVENT);
      const t = performance.now() - t0;
      await writer.close();
      await other.status;
      return t;
    });
    const us = (ms: number) => (ms * 1000) / records;
    return [
      { name: "bare write (no lock, no chain)", usPerRecord: us(bare) },
      { name: "write + lock, size check, unlock", usPerRecord: us(locked) },
      { name: "writer, alone (lock + head check)", usPerRecord: us(alone) },
      { name: "writer, 2 processes on one log", usPerRecord: us(shared) },
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const OTHER_WRITER = `
import { openAuditWriter } from ${
  JSON.stringify(new URL("../src/audit/writer.ts", import.meta.url).href)
};
const [path, count] = Deno.args;
const w = await openAuditWriter({ path });
for (let i = 0; i < Number(count); i++) {
  await w.append({ kind: "cli", mode: "enforce", correlationId: "other", source: "cli", outcome: "clean" });
}
await w.close();
`;

async function median(runs: number, run: (i: number) => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await run(i));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Render rows as a table. */
export function formatAuditBench(rows: readonly AuditBenchRow[]): string {
  return rows.map((r) => `${r.name.padEnd(40)} ${r.usPerRecord.toFixed(2).padStart(8)} µs/record`)
    .join("\n") + "\n";
}

if (import.meta.main) {
  await Deno.stdout.write(new TextEncoder().encode(formatAuditBench(await runAuditBench())));
}
