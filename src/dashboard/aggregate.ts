/**
 * Filters and the summary over the tail window: totals (counted by the audit module's own
 * tally), detections over time by type and by action, blocks and errors, top routes, MCP
 * methods and tools, and per-caller counts keyed by fingerprint.
 *
 * @module
 */
import { type AuditSummary, createAuditTally } from "../audit/mod.ts";
import type { DashboardEvent } from "./project.ts";
import type { TailWindow } from "./tail.ts";

/** Which events to look at. */
export interface EventFilter {
  /** Earliest time, ms since the epoch (inclusive). */
  readonly from: number | null;
  /** Latest time, ms since the epoch (inclusive). */
  readonly to: number | null;
  /** Only events with a finding of this type (and only that type's findings counted). */
  readonly type: string | null;
}

/** A name and how often it occurred. */
export interface Count {
  /** The name. */
  readonly name: string;
  /** Occurrences. */
  readonly count: number;
}

/** One time bucket. */
export interface Bucket {
  /** Bucket start, ms since the epoch. */
  readonly t: number;
  /** Events. */
  events: number;
  /** Events blocked. */
  blocked: number;
  /** Events that ended in an error or refusal. */
  errors: number;
  /** Finding counts per type. */
  readonly byType: Record<string, number>;
  /** Finding counts per action. */
  readonly byAction: Record<string, number>;
}

/** Per-caller counts. */
export interface CallerCount {
  /** Keyed fingerprint. */
  readonly caller: string;
  /** Events. */
  events: number;
  /** Findings. */
  findings: number;
  /** Events blocked. */
  blocked: number;
}

/** What `/api/summary` answers. */
export interface DashboardSummary {
  /** The window the summary covers. */
  readonly window: {
    readonly events: number;
    readonly firstSeq: number | null;
    readonly lastSeq: number | null;
    readonly firstTs: string | null;
    readonly lastTs: string | null;
    readonly complete: boolean;
    readonly logBytes: number;
    readonly unreadable: number;
  };
  /** Totals over the filtered events. */
  readonly totals: AuditSummary;
  /** Finding counts per type (the spec's `byType`). */
  readonly byType: Readonly<Record<string, number>>;
  /** Finding counts per action. */
  readonly byAction: Readonly<Record<string, number>>;
  /** Sum of finding counts. */
  readonly detectionCount: number;
  /** Events blocked. */
  readonly blocked: number;
  /** Events that ended in an error or refusal. */
  readonly errors: number;
  /** Events per kind. */
  readonly byKind: readonly Count[];
  /** Detections over time. */
  readonly timeline: { readonly bucketMs: number; readonly buckets: readonly Bucket[] };
  /** Gateway routes by requests. */
  readonly topRoutes: readonly Count[];
  /** MCP methods by messages. */
  readonly topMethods: readonly Count[];
  /** MCP tools by calls. */
  readonly topTools: readonly Count[];
  /** Callers by events. */
  readonly callers: readonly CallerCount[];
  /** Every finding type in the window, unfiltered (for the filter list). */
  readonly types: readonly string[];
}

const BLOCKED = new Set(["blocked"]);
const ERRORS = new Set(["error", "refused", "failed"]);
const MINUTE = 60_000;
const STEPS = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080].map((m) => m * MINUTE);
const MAX_BUCKETS = 60;
const TOP = 10;

/**
 * Whether `event` passes `filter`.
 *
 * @example
 * ```ts
 * import { matches } from "./aggregate.ts";
 * const e = { time: 5, findings: [{ type: "email" }] } as never;
 * if (!matches(e, { from: 1, to: 9, type: "email" }) || matches(e, { from: 6, to: null, type: null })) {
 *   throw new Error();
 * }
 * ```
 */
export function matches(event: DashboardEvent, filter: EventFilter): boolean {
  if (filter.from !== null && event.time < filter.from) return false;
  if (filter.to !== null && event.time > filter.to) return false;
  if (filter.type !== null && !event.findings.some((f) => f.type === filter.type)) return false;
  return true;
}

/**
 * Summarize the filtered events of `window`.
 *
 * @example
 * ```ts
 * import { summarizeWindow } from "./aggregate.ts";
 * const s = summarizeWindow(
 *   { events: [], size: 0, mtimeMs: 0, complete: true, unreadable: 0 },
 *   { from: null, to: null, type: null },
 * );
 * if (s.detectionCount !== 0 || s.timeline.buckets.length !== 0) throw new Error();
 * ```
 */
export function summarizeWindow(window: TailWindow, filter: EventFilter): DashboardSummary {
  const events = window.events.filter((e) => matches(e, filter));
  const tally = createAuditTally();
  const kinds = new Map<string, number>();
  const routes = new Map<string, number>();
  const methods = new Map<string, number>();
  const tools = new Map<string, number>();
  const callers = new Map<string, CallerCount>();
  const allTypes = new Set<string>();
  for (const e of window.events) for (const f of e.findings) allTypes.add(f.type);
  let blocked = 0;
  let errors = 0;
  const timeline = bucketsFor(events);
  for (const e of events) {
    const findings = filter.type === null
      ? e.findings
      : e.findings.filter((f) => f.type === filter.type);
    tally.add({ day: e.ts.slice(0, 10), outcome: e.outcome, findings });
    bump(kinds, e.kind);
    const isBlocked = BLOCKED.has(e.outcome);
    const isError = ERRORS.has(e.outcome);
    if (isBlocked) blocked++;
    if (isError) errors++;
    const d = e.details;
    if (e.kind === "proxy.request" && typeof d.route === "string") {
      bump(routes, typeof d.protocol === "string" ? `${d.protocol} ${d.route}` : d.route);
    }
    // A result carries its request's method too; count each request once.
    if (
      e.kind === "mcp.message" && typeof d.method === "string" && d.part !== "result" &&
      d.part !== "error"
    ) bump(methods, d.method);
    if (e.kind === "mcp.message" && typeof d.tool === "string") bump(tools, d.tool);
    const found = findings.reduce((n, f) => n + f.count, 0);
    if (e.caller !== null) {
      const c = callers.get(e.caller) ?? { caller: e.caller, events: 0, findings: 0, blocked: 0 };
      c.events++;
      c.findings += found;
      if (isBlocked) c.blocked++;
      callers.set(e.caller, c);
    }
    if (timeline !== null) {
      const b = timeline.buckets[Math.floor((e.time - timeline.start) / timeline.bucketMs)];
      b.events++;
      if (isBlocked) b.blocked++;
      if (isError) b.errors++;
      for (const f of findings) {
        b.byType[f.type] = (b.byType[f.type] ?? 0) + f.count;
        b.byAction[f.action] = (b.byAction[f.action] ?? 0) + f.count;
      }
    }
  }
  const totals = tally.result();
  const first = window.events[0];
  const last = window.events[window.events.length - 1];
  return {
    window: {
      events: window.events.length,
      firstSeq: first?.seq ?? null,
      lastSeq: last?.seq ?? null,
      firstTs: first?.ts ?? null,
      lastTs: last?.ts ?? null,
      complete: window.complete,
      logBytes: window.size,
      unreadable: window.unreadable,
    },
    totals,
    byType: totals.byFindingType,
    byAction: totals.byAction,
    detectionCount: totals.findings,
    blocked,
    errors,
    byKind: top(kinds, Infinity),
    timeline: {
      bucketMs: timeline?.bucketMs ?? 0,
      buckets: timeline?.buckets ?? [],
    },
    topRoutes: top(routes, TOP),
    topMethods: top(methods, TOP),
    topTools: top(tools, TOP),
    callers: [...callers.values()]
      .sort((a, b) => b.events - a.events || (a.caller < b.caller ? -1 : 1))
      .slice(0, TOP),
    types: [...allTypes].sort(),
  };
}

function bucketsFor(
  events: readonly DashboardEvent[],
): { start: number; bucketMs: number; buckets: Bucket[] } | null {
  if (events.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    if (e.time < min) min = e.time;
    if (e.time > max) max = e.time;
  }
  const span = max - min;
  const bucketMs = STEPS.find((s) => span / s < MAX_BUCKETS) ??
    Math.ceil(span / MAX_BUCKETS / MINUTE) * MINUTE;
  const start = Math.floor(min / bucketMs) * bucketMs;
  const n = Math.floor((max - start) / bucketMs) + 1;
  const buckets: Bucket[] = [];
  for (let i = 0; i < n; i++) {
    buckets.push({
      t: start + i * bucketMs,
      events: 0,
      blocked: 0,
      errors: 0,
      byType: {},
      byAction: {},
    });
  }
  return { start, bucketMs, buckets };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function top(map: Map<string, number>, n: number): Count[] {
  return [...map]
    .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, n)
    .map(([name, count]) => ({ name, count }));
}
