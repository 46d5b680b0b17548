/**
 * The audit port: the one shape every part of haechi records decisions through. The CLI's
 * session, the gateway, the MCP filter and the auth gate all take an {@linkcode AuditSink};
 * `openAuditSink` (src/session/) returns one backed by the hash-chained log.
 *
 * @module
 */
import type { AuditDetails } from "./record.ts";
import type { AuditFindingSource } from "./build_event.ts";
import type { Outcome } from "./outcome.ts";

/** One decision to record; the sink adds mode, source and the chain fields. */
export interface AuditInput {
  /** Event kind, e.g. `protect`, `proxy.request`, `mcp.call`. */
  readonly kind: string;
  /** Ties events of one request together. */
  readonly correlationId: string;
  /** What happened. */
  readonly outcome: Outcome;
  /** Findings with their actions and paths (values are never read). */
  readonly findings?: Iterable<AuditFindingSource>;
  /** Safe facts only. */
  readonly details?: AuditDetails;
  /**
   * The caller's scope. Only its keyed fingerprint is recorded (`details.callerHash`), so
   * the log can count per caller without naming anyone.
   */
  readonly callerScope?: string;
}

/** Where decisions are recorded. A rejected promise means the record did not land. */
export interface AuditSink {
  /** Append one event. */
  record(input: AuditInput): Promise<void>;
}
