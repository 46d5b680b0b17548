/**
 * Count what an audit log says happened: findings by type and by action, events by outcome
 * and by UTC day. Reads line by line, so memory grows with the number of distinct names and
 * days, not with the log.
 *
 * Summarizing does not verify the chain; run `verifyAuditLog` for that.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { isNotFound, openReadStream, readLines } from "../runtime/mod.ts";
import { compareCodeUnits, MAX_RECORD_LINE_BYTES } from "./record.ts";

/** Totals over a log. */
export interface AuditSummary {
  /** Events counted (after `since`). */
  readonly events: number;
  /** Sum of finding counts. */
  readonly findings: number;
  /** Finding counts per finding type. */
  readonly byFindingType: Readonly<Record<string, number>>;
  /** Finding counts per action. */
  readonly byAction: Readonly<Record<string, number>>;
  /** Event counts per outcome. */
  readonly byOutcome: Readonly<Record<string, number>>;
  /** Event counts per UTC day (`YYYY-MM-DD`), oldest first. */
  readonly byDay: Readonly<Record<string, number>>;
}

/** What to summarize. */
export interface SummarizeAuditOptions {
  /** JSONL log. */
  readonly path: string;
  /** Count only events on or after this UTC day (`YYYY-MM-DD`). */
  readonly since?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether `text` is a real calendar day written `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * import { isIsoDay } from "./summarize.ts";
 * if (!isIsoDay("2024-02-29") || isIsoDay("2023-02-29") || isIsoDay("2024-2-1")) {
 *   throw new Error("unexpected");
 * }
 * ```
 */
export function isIsoDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Summarize the log at `options.path`.
 *
 * @param options Path and optional start day.
 * @returns Totals; names within each table are sorted by count (highest first), then name.
 * @throws {HaechiError} `audit.io` when the log is missing or unreadable; `audit.parse`
 *   (naming the line) when a line is not a record.
 *
 * @example
 * ```ts
 * import { openAuditWriter } from "./writer.ts";
 * import { summarizeAuditLog } from "./summarize.ts";
 * const dir = await Deno.makeTempDir();
 * const writer = await openAuditWriter({ path: `${dir}/a.jsonl` });
 * await writer.append({
 *   kind: "scan", mode: "enforce", correlationId: "c1", source: "cli.scan", outcome: "redacted",
 *   findings: [{ type: "email", ruleId: "email-address", action: "redact", count: 2 }],
 * });
 * await writer.close();
 * const summary = await summarizeAuditLog({ path: `${dir}/a.jsonl` });
 * if (summary.byFindingType.email !== 2) throw new Error("expected 2 emails");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function summarizeAuditLog(options: SummarizeAuditOptions): Promise<AuditSummary> {
  if (options.since !== undefined && !isIsoDay(options.since)) {
    throw new HaechiError("usage.invalid", `Invalid day "${options.since}": use YYYY-MM-DD`);
  }
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = await openReadStream(options.path);
  } catch (e) {
    const message = isNotFound(e)
      ? `Audit log not found: ${options.path}`
      : `Cannot read audit log ${options.path}`;
    throw new HaechiError("audit.io", message, { path: options.path });
  }
  const tally = createAuditTally();
  let lineNo = 0;
  try {
    for await (const line of readLines(stream, { maxLineBytes: MAX_RECORD_LINE_BYTES })) {
      lineNo = line.number;
      const record = line.kind === "text" ? parseForSummary(line.text, line.terminated) : null;
      if (record === null) throw badLine(options.path, lineNo);
      if (options.since !== undefined && record.day < options.since) continue;
      tally.add(record);
    }
  } catch (e) {
    if (e instanceof HaechiError) throw e;
    throw badLine(options.path, lineNo + 1);
  }
  return tally.result();
}

/** One event as {@linkcode AuditTally} counts it. */
export interface SummaryRecord {
  /** UTC day of the event, `YYYY-MM-DD`. */
  readonly day: string;
  /** The event's outcome. */
  readonly outcome: string;
  /** Its findings (type, action and count are all that is counted). */
  readonly findings: readonly { type: string; action: string; count: number }[];
}

/** Running totals over events, the counting half of {@linkcode summarizeAuditLog}. */
export interface AuditTally {
  /** Count one event. */
  add(record: SummaryRecord): void;
  /** Totals so far, sorted as {@linkcode summarizeAuditLog} sorts them. */
  result(): AuditSummary;
}

/**
 * Start a tally, for callers that already hold records (the dashboard counts a tail window
 * it has read into memory).
 *
 * @example
 * ```ts
 * import { createAuditTally } from "./summarize.ts";
 * const t = createAuditTally();
 * t.add({ day: "2024-05-01", outcome: "redacted", findings: [{ type: "email", action: "redact", count: 2 }] });
 * if (t.result().byAction.redact !== 2) throw new Error("expected 2 redactions");
 * ```
 */
export function createAuditTally(): AuditTally {
  const byType = new Map<string, number>();
  const byAction = new Map<string, number>();
  const byOutcome = new Map<string, number>();
  const byDay = new Map<string, number>();
  let events = 0;
  let findings = 0;
  return {
    add(record) {
      events++;
      bump(byOutcome, record.outcome, 1);
      bump(byDay, record.day, 1);
      for (const f of record.findings) {
        findings += f.count;
        bump(byType, f.type, f.count);
        bump(byAction, f.action, f.count);
      }
    },
    result() {
      return {
        events,
        findings,
        byFindingType: byCount(byType),
        byAction: byCount(byAction),
        byOutcome: byCount(byOutcome),
        byDay: Object.fromEntries([...byDay].sort(([a], [b]) => (a < b ? -1 : 1))),
      };
    },
  };
}

function parseForSummary(text: string, terminated: boolean): SummaryRecord | null {
  if (!terminated) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.ts !== "string" || typeof r.outcome !== "string" || !Array.isArray(r.findings)) {
    return null;
  }
  const time = new Date(r.ts);
  if (Number.isNaN(time.getTime())) return null;
  const findings = [];
  for (const f of r.findings) {
    if (
      typeof f !== "object" || f === null || typeof f.type !== "string" ||
      typeof f.action !== "string" || !Number.isSafeInteger(f.count)
    ) return null;
    findings.push({ type: f.type, action: f.action, count: f.count });
  }
  return { day: time.toISOString().slice(0, 10), outcome: r.outcome, findings };
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function byCount(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries(
    [...map].sort(([ka, a], [kb, b]) => b - a || compareCodeUnits(ka, kb)),
  );
}

function badLine(path: string, line: number): HaechiError {
  return new HaechiError(
    "audit.parse",
    `Audit log ${path} line ${line} is not a readable record; run "haechi audit-verify"`,
    { path, line },
  );
}
