/**
 * Shared helpers for audit tests: temporary folders, sample events and a fixed clock.
 *
 * @module
 */
import type { AuditEvent } from "../../src/audit/mod.ts";

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
