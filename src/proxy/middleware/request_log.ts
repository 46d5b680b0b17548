/**
 * One log line per gateway request (`logging.format`: `text` or `json`), and the request id
 * that ties it to the caller's reply and the audit record.
 *
 * A line says what happened, never what was said: method, route name, status, duration,
 * the upstream's status or why it could not be reached, finding counts by type, and the
 * correlation id. No value, header, path beyond the route name, scope or credential.
 *
 * @module
 */

/** What the gateway learns about one request while handling it. */
export interface RequestTrace {
  /** Correlation id: the caller's validated `x-request-id`, or a fresh UUID. */
  readonly correlationId: string;
  /** HTTP method. */
  readonly method: string;
  /** Route name (`chat.completions`, `unknown`, ...), never the raw path. */
  route: string;
  /** Upstream reply status, or null when none arrived. */
  upstreamStatus: number | null;
  /** Why the upstream gave no reply: `timeout`, `refused`, `dns`, `reset` or `unreachable`. */
  upstreamFailure: string | null;
  /** Findings by type, both directions. */
  readonly findings: Map<string, number>;
  /** On the MCP route: the JSON-RPC method and tool name, when they are plain names. */
  rpc?: { readonly method: string; readonly tool?: string };
}

/** One finished request, as logged. */
export interface RequestLogEntry {
  /** Always `proxy_request`. */
  readonly event: "proxy_request";
  /** Correlation id (also in the audit record and the `x-haechi-request-id` reply header). */
  readonly correlationId: string;
  /** HTTP method. */
  readonly method: string;
  /** Route name. */
  readonly route: string;
  /** Status sent to the caller. */
  readonly status: number;
  /** Milliseconds from the request's arrival to its reply's end. */
  readonly durationMs: number;
  /** Upstream status, or null. */
  readonly upstreamStatus: number | null;
  /** Upstream failure class, or null. */
  readonly upstreamFailure: string | null;
  /** Refusal class (`auth_denied`, `rate_limited`, `blocked`, ...), or null when forwarded. */
  readonly decision: string | null;
  /** Findings by type. */
  readonly findings: Readonly<Record<string, number>>;
  /** MCP route only: the JSON-RPC method. */
  readonly rpcMethod?: string;
  /** MCP route only: the tool of a `tools/call`. */
  readonly tool?: string;
}

// The audit log's correlation id shape: letters, digits and ._:- only, so the id can never
// smuggle a line break, a quote or a value into a log line or an audit record.
const REQUEST_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The request's correlation id: its `x-request-id` when that is 1-128 characters of letters,
 * digits and `._:-`, else a fresh UUID.
 *
 * @example
 * ```ts
 * import { requestIdFrom } from "./request_log.ts";
 * if (requestIdFrom(new Headers({ "x-request-id": "req-42" })) !== "req-42") throw new Error();
 * if (requestIdFrom(new Headers({ "x-request-id": "a b" })) === "a b") throw new Error();
 * ```
 */
export function requestIdFrom(headers: Headers): string {
  const id = headers.get("x-request-id")?.trim() ?? "";
  return REQUEST_ID_RE.test(id) ? id : crypto.randomUUID();
}

/** Start a trace for a request. */
export function startTrace(method: string, route: string, correlationId: string): RequestTrace {
  return {
    correlationId,
    method: /^[A-Z]{1,16}$/.test(method) ? method : "OTHER",
    route,
    upstreamStatus: null,
    upstreamFailure: null,
    findings: new Map(),
  };
}

/** Add findings to the trace's counts by type. */
export function countFindings(trace: RequestTrace, list: Iterable<{ type: string }>): void {
  for (const f of list) trace.findings.set(f.type, (trace.findings.get(f.type) ?? 0) + 1);
}

/**
 * Classify why an upstream fetch failed, from the error alone (its text is never logged).
 *
 * @example
 * ```ts
 * import { upstreamFailure } from "./request_log.ts";
 * if (upstreamFailure(new TypeError("error sending request: Connection refused (os error 111)"), false) !== "refused") throw new Error();
 * ```
 */
export function upstreamFailure(err: unknown, timedOut: boolean): string {
  if (timedOut) return "timeout";
  const text = describe(err).toLowerCase();
  if (/refused|econnrefused|os error 111/.test(text)) return "refused";
  if (/dns|name or service not known|failed to lookup|enotfound|no address/.test(text)) {
    return "dns";
  }
  if (/reset|broken pipe|econnreset|closed/.test(text)) return "reset";
  if (/timed out|timeout/.test(text)) return "timeout";
  return "unreachable";
}

function describe(err: unknown): string {
  let out = "";
  for (let e: unknown = err, i = 0; e !== undefined && e !== null && i < 4; i++) {
    out += ` ${e instanceof Error ? `${e.name} ${e.message}` : String(e)}`;
    e = e instanceof Error ? e.cause : undefined;
  }
  return out;
}

/** Close a trace into its log entry. */
export function finishTrace(
  trace: RequestTrace,
  status: number,
  durationMs: number,
  decision: string | undefined,
): RequestLogEntry {
  return {
    event: "proxy_request",
    correlationId: trace.correlationId,
    method: trace.method,
    route: trace.route,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    upstreamStatus: trace.upstreamStatus,
    upstreamFailure: trace.upstreamFailure,
    decision: decision ?? null,
    findings: Object.fromEntries([...trace.findings].sort(([a], [b]) => a < b ? -1 : 1)),
    ...(trace.rpc === undefined ? {} : { rpcMethod: trace.rpc.method }),
    ...(trace.rpc?.tool === undefined ? {} : { tool: trace.rpc.tool }),
  };
}

/**
 * Render an entry as one line (with its newline) in `logging.format`.
 *
 * @example
 * ```ts
 * import { formatRequestLog, finishTrace, startTrace } from "./request_log.ts";
 * const line = formatRequestLog(finishTrace(startTrace("POST", "chat.completions", "r1"), 200, 3, undefined), "text");
 * if (!line.startsWith("POST chat.completions 200")) throw new Error(line);
 * ```
 */
export function formatRequestLog(entry: RequestLogEntry, format: "text" | "json"): string {
  if (format === "json") return JSON.stringify({ level: "info", ...entry }) + "\n";
  const findings = Object.entries(entry.findings).map(([t, n]) => `${t}=${n}`).join(",");
  const upstream = entry.upstreamStatus !== null
    ? `upstream=${entry.upstreamStatus}`
    : entry.upstreamFailure !== null
    ? `upstream=${entry.upstreamFailure}`
    : "upstream=-";
  const rpc = (entry.rpcMethod === undefined ? "" : ` rpc=${entry.rpcMethod}`) +
    (entry.tool === undefined ? "" : ` tool=${entry.tool}`);
  return `${entry.method} ${entry.route}${rpc} ${entry.status} ${entry.durationMs}ms ${upstream}` +
    `${entry.decision === null ? "" : ` decision=${entry.decision}`}` +
    ` findings=${findings === "" ? "0" : findings} id=${entry.correlationId}\n`;
}
