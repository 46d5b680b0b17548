/**
 * One log line per MCP request for `mcp-wrap` and `mcp-stdio` (`logging.format`: `text` or
 * `json`), as `haechi proxy` writes one per HTTP request.
 *
 * A line pairs a request with its answer: the method, the tool for `tools/call`, how it
 * ended, how long the answer took, finding counts by type over both directions, the
 * connection's correlation id (the one in its audit records) and the JSON-RPC id. A
 * request haechi refused is logged at once. A notification is logged only when something
 * was found in it or it was refused, so progress and log chatter stay out. Never a value:
 * a JSON-RPC id that is not a plain number or word is written as `-`.
 *
 * @module
 */
import type { McpDecision, McpSender } from "./filter.ts";
import type { JsonRpcId } from "./jsonrpc.ts";

/** One logged MCP exchange. */
export interface McpLogEntry {
  /** Always `mcp_request`. */
  readonly event: "mcp_request";
  /** The connection's correlation id (as in its audit records). */
  readonly correlationId: string;
  /** The JSON-RPC id when it is a plain number or word, else `-`. */
  readonly rpcId: string;
  /** Who sent the request (`client`, or `server` for sampling and the like). */
  readonly from: McpSender;
  /** Method, or `-` when it could not be read safely. */
  readonly method: string;
  /** Tool name for `tools/call`, else null. */
  readonly tool: string | null;
  /**
   * How it ended: `ok` (answered with a result), `error` (answered with an error),
   * `sent` (a notification or, for `mcp-stdio`, a message passed on), or haechi's refusal:
   * `blocked`, `denied`, `invalid`, `failed` (could not be checked), `dropped`.
   */
  readonly status: string;
  /** Milliseconds from the request to its answer (or to haechi's decision). */
  readonly durationMs: number;
  /** Findings by type, both directions. */
  readonly findings: Readonly<Record<string, number>>;
}

/** Options for {@linkcode createMcpRequestLog}. */
export interface McpRequestLogOptions {
  /** Receives each line, newline included. */
  readonly write: (line: string) => void;
  /** `logging.format`. */
  readonly format: "text" | "json";
  /** The connection's correlation id. */
  readonly correlationId: string;
  /**
   * Pair requests with answers (a relay that sees both sides, `mcp-wrap`). Off for
   * `mcp-stdio`, which sees one direction: every message is logged as it passes.
   */
  readonly pair: boolean;
  /** Clock in ms (default `performance.now`). */
  readonly now?: () => number;
}

/** The logger: feed it the filter's decisions. */
export interface McpRequestLog {
  /** Pass as the filter's `onDecision`. */
  readonly onDecision: (decision: McpDecision) => void;
  /** Log requests still waiting for an answer (status `unanswered`) and forget them. */
  close(): void;
}

const PASSED = new Set(["clean", "redacted", "dry-run", "allowed"]);
/** Requests awaiting answers kept per direction before the oldest is logged unanswered. */
const MAX_PENDING = 4096;
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,64}$/;

// A safe integer's digits always pass PLAIN_ID (at most 17 characters, no exponent).
function plainId(id: JsonRpcId | null): string {
  if (id === null) return "-";
  const text = String(id);
  return Number.isSafeInteger(id) || PLAIN_ID.test(text) ? text : "-";
}

interface Pending {
  readonly started: number;
  readonly method: string;
  readonly tool: string | null;
  readonly findings: Map<string, number>;
}

/**
 * Build a logger for one connection.
 *
 * @example
 * ```ts
 * import { createMcpRequestLog } from "./request_log.ts";
 * const lines: string[] = [];
 * let t = 0;
 * const log = createMcpRequestLog({
 *   write: (l) => lines.push(l), format: "text", correlationId: "c1", pair: true, now: () => t,
 * });
 * log.onDecision({ from: "client", outcome: "clean", id: 1, findings: [],
 *   details: { type: "request", method: "tools/call", tool: "search" } });
 * t = 12;
 * log.onDecision({ from: "server", outcome: "redacted", id: 1, findings: [{ type: "email" }],
 *   details: { type: "result", method: "tools/call" } });
 * if (lines[0] !== "MCP tools/call tool=search ok 12ms findings=email=1 id=c1 rpc=1\n") {
 *   throw new Error(lines[0]);
 * }
 * ```
 */
export function createMcpRequestLog(options: McpRequestLogOptions): McpRequestLog {
  const now = options.now ?? (() => performance.now());
  const pending: Record<McpSender, Map<string, Pending>> = {
    client: new Map(),
    server: new Map(),
  };
  const key = (id: JsonRpcId) => `${typeof id}:${id}`;
  const emit = (
    from: McpSender,
    id: JsonRpcId | null,
    p: Pending,
    status: string,
  ) => {
    const entry: McpLogEntry = {
      event: "mcp_request",
      correlationId: options.correlationId,
      rpcId: plainId(id),
      from,
      method: p.method,
      tool: p.tool,
      status,
      durationMs: Math.round((now() - p.started) * 10) / 10,
      findings: p.findings.size === 0
        ? {}
        : Object.fromEntries([...p.findings].sort(([a], [b]) => a < b ? -1 : 1)),
    };
    options.write(formatMcpLog(entry, options.format));
  };
  const count = (into: Map<string, number>, list: readonly { type: string }[]) => {
    for (const f of list) into.set(f.type, (into.get(f.type) ?? 0) + 1);
  };
  const refusal = (outcome: string) => outcome === "error" ? "failed" : outcome;

  function onDecision(d: McpDecision): void {
    const type = d.details.type;
    const method = typeof d.details.method === "string" ? d.details.method : "-";
    const tool = typeof d.details.tool === "string" ? d.details.tool : null;
    const passed = PASSED.has(d.outcome);
    if (type !== "result" && type !== "error") {
      const p: Pending = { started: now(), method, tool, findings: new Map() };
      count(p.findings, d.findings);
      if (!passed) return emit(d.from, d.id, p, refusal(d.outcome));
      if (type !== "request" || !options.pair || d.id === null) {
        if (type === "request" || d.findings.length > 0) emit(d.from, d.id, p, "sent");
        return;
      }
      const waiting = pending[d.from];
      waiting.set(key(d.id), p);
      if (waiting.size > MAX_PENDING) {
        const [oldest, first] = waiting.entries().next().value!;
        waiting.delete(oldest);
        emit(d.from, null, first, "unanswered");
      }
      return;
    }
    // An answer: to a request the other side sent.
    const asker: McpSender = d.from === "client" ? "server" : "client";
    const p = d.id === null ? undefined : pending[asker].get(key(d.id));
    if (p === undefined) {
      // Unpaired (mcp-stdio, or an answer to nothing seen): logged on its own.
      const own: Pending = { started: now(), method, tool, findings: new Map() };
      count(own.findings, d.findings);
      emit(asker, d.id, own, passed ? (type === "error" ? "error" : "ok") : refusal(d.outcome));
      return;
    }
    pending[asker].delete(key(d.id!));
    count(p.findings, d.findings);
    emit(asker, d.id, p, passed ? (type === "error" ? "error" : "ok") : refusal(d.outcome));
  }

  return {
    onDecision,
    close() {
      for (const side of ["client", "server"] as const) {
        for (const p of pending[side].values()) emit(side, null, p, "unanswered");
        pending[side].clear();
      }
    },
  };
}

/**
 * Render an entry as one line (with its newline) in `logging.format`.
 *
 * @example
 * ```ts
 * import { formatMcpLog } from "./request_log.ts";
 * const line = formatMcpLog({ event: "mcp_request", correlationId: "c", rpcId: "7",
 *   from: "client", method: "tools/list", tool: null, status: "ok", durationMs: 1,
 *   findings: {} }, "json");
 * if (JSON.parse(line).method !== "tools/list") throw new Error(line);
 * ```
 */
export function formatMcpLog(entry: McpLogEntry, format: "text" | "json"): string {
  if (format === "json") return JSON.stringify({ level: "info", ...entry }) + "\n";
  const findings = Object.entries(entry.findings).map(([t, n]) => `${t}=${n}`).join(",");
  return `MCP ${entry.method}${entry.tool === null ? "" : ` tool=${entry.tool}`}` +
    `${entry.from === "server" ? " from=server" : ""} ${entry.status} ${entry.durationMs}ms` +
    ` findings=${findings === "" ? "0" : findings} id=${entry.correlationId} rpc=${entry.rpcId}\n`;
}
