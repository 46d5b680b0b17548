/**
 * Shared helpers for audit tests: temporary folders, sample events and a fixed clock.
 *
 * @module
 */
import { type AuditEvent, openAuditWriter } from "../../src/audit/mod.ts";

/** A fresh temporary folder; remove it with the returned function. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-audit-" });
  return { dir, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

/** A valid event numbered `n`, for filling logs. */
export function sampleEvent(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    kind: "protect",
    mode: "enforce",
    correlationId: `req-${n}`,
    source: "cli.protect",
    outcome: n % 2 === 0 ? "clean" : "redacted",
    findings: n % 2 === 0
      ? []
      : [{ type: "email", ruleId: "email-address", action: "redact", count: 1 }],
    paths: [],
    details: { bytes: 100 + n },
    ...overrides,
  };
}

/** A clock that starts at `start` and advances one second per call. */
export function steppingClock(start = "2024-05-01T12:00:00.000Z"): () => Date {
  let t = Date.parse(start);
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}

/** The log's lines (without the final empty segment). */
export async function readLogLines(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((l, i, all) => !(i === all.length - 1 && l === ""));
}

/** Write `lines` back, one per line, with a trailing newline. */
export async function writeLogLines(path: string, lines: string[]): Promise<void> {
  await Deno.writeTextFile(path, lines.map((l) => l + "\n").join(""));
}

/** Three days of events: two on May 1, one on May 2, two on May 3. */
export async function writeReportLog(path: string): Promise<void> {
  const days = [
    "2024-05-01T08:00:00Z",
    "2024-05-01T23:59:59Z",
    "2024-05-02T00:00:00Z",
    "2024-05-03T10:00:00Z",
    "2024-05-03T11:00:00Z",
  ];
  let i = 0;
  const writer = await openAuditWriter({ path, now: () => new Date(days[Math.min(i, 4)]) });
  const base = { kind: "protect", mode: "enforce", source: "proxy" } as const;
  const email = { type: "email", ruleId: "email-address", action: "redact" };
  const aws = { type: "aws-access-key", ruleId: "aws-access-key-id", action: "block" };
  const events: AuditEvent[] = [
    { ...base, correlationId: "a", outcome: "redacted", findings: [{ ...email, count: 2 }] },
    { ...base, correlationId: "b", outcome: "clean" },
    { ...base, correlationId: "c", outcome: "blocked", findings: [{ ...aws, count: 1 }] },
    {
      ...base,
      correlationId: "d",
      outcome: "redacted",
      findings: [{ ...email, count: 1 }, { ...email, action: "mask", count: 3 }],
    },
    { ...base, correlationId: "e", mode: "dry-run", outcome: "dry-run" } as const,
  ];
  for (const e of events) {
    await writer.append(e);
    i++;
  }
  await writer.close();
}

/** Events behind the golden fixture `tests/fixtures/audit/valid.jsonl`. */
export async function writeGoldenLog(path: string, anchorPath: string): Promise<void> {
  const writer = await openAuditWriter({
    path,
    anchorPath,
    anchorEvery: 2,
    now: steppingClock("2024-05-01T12:00:00.000Z"),
  });
  for (let i = 1; i <= 3; i++) await writer.append(sampleEvent(i));
  await writer.close();
}
