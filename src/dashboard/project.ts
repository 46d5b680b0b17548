/**
 * The event projection: the only shape of an audit record the dashboard ever sends.
 *
 * Every field is copied key by key from an allowlist, never spread, so a field added to the
 * log later (or planted in a tampered one) does not reach the browser. Strings must look
 * like identifiers; anything else is dropped. Caller identity is reduced to keyed
 * fingerprints: no scopes, labels, tokens or raw subjects.
 *
 * @module
 */

/** One finding count, as the dashboard shows it. */
export interface DashboardFinding {
  /** Finding type, e.g. `email`. */
  readonly type: string;
  /** Rule that matched. */
  readonly ruleId: string;
  /** Action applied. */
  readonly action: string;
  /** How many. */
  readonly count: number;
}

/** An audit record reduced to what the dashboard may show. */
export interface DashboardEvent {
  /** Record seq (also the paging cursor). */
  readonly seq: number;
  /** ISO-8601 time. */
  readonly ts: string;
  /** Milliseconds since the epoch, for bucketing. */
  readonly time: number;
  /** Event kind, e.g. `proxy.request`. */
  readonly kind: string;
  /** `enforce` or `dry-run`. */
  readonly mode: string;
  /** Emitting component. */
  readonly source: string;
  /** Result, e.g. `redacted`, `blocked`. */
  readonly outcome: string;
  /** Finding counts. */
  readonly findings: readonly DashboardFinding[];
  /** Allowlisted scalar details. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** Keyed fingerprint of the caller, when the record names one. */
  readonly caller: string | null;
}

// Facts the gateway, MCP filter and CLI record that say what happened, not what was said.
// Deliberately absent: `token` (a vault reference), `keyId`, free-form messages.
const DETAIL_KEYS = new Set([
  "protocol",
  "route",
  "status",
  "code",
  "errorCode",
  "stream",
  "passthrough",
  "restored",
  "refused",
  "format",
  "method",
  "tool",
  "server",
  "from",
  "part",
  "reason",
  "replied",
  "items",
  "type",
  "line",
  "fromLine",
  "toLine",
  "bytes",
  "count",
  "pluginId",
  "failure",
  "exitCode",
  "foreignScope",
  "unknown",
  "expired",
  "corrupt",
]);

// Detail keys that may carry a caller's keyed fingerprint.
const CALLER_KEYS = ["subjectHash", "callerHash", "caller"] as const;

const SAFE_STRING = /^[A-Za-z0-9_$.:\/@+-]{1,128}$/;
const FINGERPRINT = /^[0-9a-f]{16,128}$/;

function safeString(v: unknown): string | null {
  return typeof v === "string" && SAFE_STRING.test(v) ? v : null;
}

function safeCount(v: unknown): number | null {
  return Number.isSafeInteger(v) && (v as number) >= 0 ? v as number : null;
}

/**
 * Project one parsed log line, or null when it is not a readable record.
 *
 * @example
 * ```ts
 * import { projectRecord } from "./project.ts";
 * const e = projectRecord({
 *   seq: 3, ts: "2024-05-01T00:00:00Z", kind: "scan", mode: "enforce", source: "cli",
 *   outcome: "clean", findings: [], details: { token: "[[x]]", status: 200 },
 * });
 * if (e === null || "token" in e.details || e.details.status !== 200) throw new Error();
 * ```
 */
export function projectRecord(value: unknown): DashboardEvent | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const r = value as Record<string, unknown>;
  const seq = safeCount(r.seq);
  if (seq === null || seq < 1 || typeof r.ts !== "string") return null;
  const time = Date.parse(r.ts);
  if (Number.isNaN(time)) return null;
  const findings: DashboardFinding[] = [];
  if (Array.isArray(r.findings)) {
    for (const f of r.findings.slice(0, 64)) {
      if (typeof f !== "object" || f === null) continue;
      const type = safeString(f.type);
      const action = safeString(f.action);
      const count = safeCount(f.count);
      if (type === null || action === null || count === null) continue;
      findings.push({ type, ruleId: safeString(f.ruleId) ?? "unknown", action, count });
    }
  }
  const details: Record<string, string | number | boolean> = {};
  let caller: string | null = null;
  if (typeof r.details === "object" && r.details !== null && !Array.isArray(r.details)) {
    const d = r.details as Record<string, unknown>;
    for (const key of Object.keys(d)) {
      if (!DETAIL_KEYS.has(key)) continue;
      const v = d[key];
      if (typeof v === "boolean") details[key] = v;
      else if (typeof v === "number" && Number.isFinite(v)) details[key] = v;
      else {
        const s = safeString(v);
        if (s !== null) details[key] = s;
      }
    }
    for (const key of CALLER_KEYS) {
      if (caller === null && typeof d[key] === "string" && FINGERPRINT.test(d[key] as string)) {
        caller = d[key] as string;
      }
    }
  }
  // Records from gateways with authentication carry an identity object; only its keyed
  // subject fingerprint is read.
  if (caller === null && typeof r.identity === "object" && r.identity !== null) {
    const h = (r.identity as Record<string, unknown>).subjectHash;
    if (typeof h === "string" && FINGERPRINT.test(h)) caller = h;
  }
  return {
    seq,
    ts: new Date(time).toISOString(),
    time,
    kind: safeString(r.kind) ?? "unknown",
    mode: safeString(r.mode) ?? "unknown",
    source: safeString(r.source) ?? "unknown",
    outcome: safeString(r.outcome) ?? "unknown",
    findings,
    details,
    caller,
  };
}
