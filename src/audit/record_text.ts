/**
 * An event's two texts, encoded once: the canonical JSON its hash covers and the log line.
 *
 * Both texts hold the same values in a different key order (canonical JSON sorts keys, the
 * line keeps the record's own order), so each value is JSON-encoded once, when the event is
 * accepted, and the two texts are put together from those pieces when the record is sealed:
 * only `seq`, `ts`, `prevHash` and `hash` are known that late, and none of them needs
 * escaping (a safe integer, an ISO time, two hex digests). Encoding each record twice, once
 * sorted for the hash and once more with `JSON.stringify` for the line, was a sixth of the
 * audit path's cost on every proxied request.
 *
 * The result is byte for byte what the generic path gives (`canonicalJson` of the record
 * without `hash`, and `JSON.stringify` of the record); tests compare the two.
 *
 * @module
 */
import { sha256Hex } from "../crypto/mod.ts";
import {
  AUDIT_SCHEMA_VERSION,
  type AuditEvent,
  type AuditRecord,
  compareCodeUnits,
} from "./record.ts";

/** An accepted event with its values already encoded. */
export interface EventText {
  /** The event as accepted (a copy the caller cannot change). */
  readonly event: AuditEvent;
  /** Canonical text up to the opening quote of `prevHash`'s value. */
  readonly canonicalHead: string;
  /** Canonical text from `,"source"` to the opening quote of `ts`'s value. */
  readonly canonicalSource: string;
  /** The line's fields from `"kind"` to the end of `details` (or `paths`). */
  readonly lineBody: string;
}

/** A sealed record and its line (without the trailing newline). */
export interface SealedRecord {
  /** The record, as `append` resolves with it. */
  readonly record: AuditRecord;
  /** `JSON.stringify(record)`. */
  readonly line: string;
}

const q = JSON.stringify;
const VERSION = q(AUDIT_SCHEMA_VERSION);

/**
 * Encode the values of `event`, a checked copy (known fields only, scalar `details`,
 * findings of exactly four fields).
 *
 * @param event The accepted event.
 * @returns Its encoded pieces.
 *
 * @example
 * ```ts
 * import { encodeEvent, sealEvent } from "./record_text.ts";
 * const text = encodeEvent({ kind: "scan", mode: "dry-run", correlationId: "r1",
 *   source: "cli", outcome: "clean", findings: [], paths: [] });
 * const { record, line } = sealEvent(text, { seq: 0, hash: "0".repeat(64) },
 *   "2024-05-01T00:00:00.000Z");
 * if (line !== JSON.stringify(record)) throw new Error("line differs");
 * ```
 */
export function encodeEvent(event: AuditEvent): EventText {
  const findings = event.findings ?? [];
  const paths = event.paths ?? [];
  let sortedFindings = "";
  let lineFindings = "";
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const type = q(f.type);
    const ruleId = q(f.ruleId);
    const action = q(f.action);
    const count = q(f.count);
    const sep = i > 0 ? "," : "";
    sortedFindings +=
      `${sep}{"action":${action},"count":${count},"ruleId":${ruleId},"type":${type}}`;
    lineFindings += `${sep}{"type":${type},"ruleId":${ruleId},"action":${action},"count":${count}}`;
  }
  let pathList = "";
  for (let i = 0; i < paths.length; i++) pathList += (i > 0 ? "," : "") + q(paths[i]);
  const kind = q(event.kind);
  const mode = q(event.mode);
  const correlationId = q(event.correlationId);
  const source = q(event.source);
  const outcome = q(event.outcome);
  let canonicalHead = `{"correlationId":${correlationId}`;
  let lineBody = `"kind":${kind},"mode":${mode},"correlationId":${correlationId},` +
    `"source":${source},"outcome":${outcome},"findings":[${lineFindings}],"paths":[${pathList}]`;
  if (event.details !== undefined) {
    const details = event.details;
    // `JSON.stringify` writes own keys in this order (array-index keys first, ascending).
    const keys = Object.keys(details);
    const pairs: string[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) pairs[i] = `${q(keys[i])}:${q(details[keys[i]])}`;
    lineBody += `,"details":{${pairs.join(",")}}`;
    // Canonical JSON sorts keys by UTF-16 code units, as `<` compares them.
    const order = keys.map((_, i) => i).sort((a, b) => compareCodeUnits(keys[a], keys[b]));
    let sorted = "";
    for (let i = 0; i < order.length; i++) sorted += (i > 0 ? "," : "") + pairs[order[i]];
    canonicalHead += `,"details":{${sorted}}`;
  }
  canonicalHead += `,"findings":[${sortedFindings}],"kind":${kind},"mode":${mode},` +
    `"outcome":${outcome},"paths":[${pathList}],"prevHash":"`;
  return { event, canonicalHead, canonicalSource: `,"source":${source},"ts":"`, lineBody };
}

/**
 * Seal an encoded event on top of `prev` at time `ts`: its hash, record and line.
 *
 * @param text From {@linkcode encodeEvent}.
 * @param prev The chain head: its hash is 64 hex digits (computed here, or checked when read
 *   back from the log), so it needs no escaping.
 * @param ts An ISO-8601 time from `Date.prototype.toISOString`: digits and `T:.Z+-` only.
 * @returns The record and its line.
 */
export function sealEvent(
  text: EventText,
  prev: { readonly seq: number; readonly hash: string },
  ts: string,
): SealedRecord {
  const seq = prev.seq + 1;
  const hash = sha256Hex(
    `${text.canonicalHead}${prev.hash}","schemaVersion":${VERSION},"seq":${seq}` +
      `${text.canonicalSource}${ts}"}`,
  );
  return {
    record: recordOf(text.event, seq, ts, prev.hash, hash),
    line: `{"schemaVersion":${VERSION},"seq":${seq},"ts":"${ts}","prevHash":"${prev.hash}",` +
      `${text.lineBody},"hash":"${hash}"}`,
  };
}

/** The record's fields in the line's order. */
function recordOf(
  e: AuditEvent,
  seq: number,
  ts: string,
  prevHash: string,
  hash: string,
): AuditRecord {
  const record: Record<string, unknown> = {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    seq,
    ts,
    prevHash,
    kind: e.kind,
    mode: e.mode,
    correlationId: e.correlationId,
    source: e.source,
    outcome: e.outcome,
    findings: e.findings ?? [],
    paths: e.paths ?? [],
  };
  if (e.details !== undefined) record.details = e.details;
  record.hash = hash;
  return record as unknown as AuditRecord;
}
