/**
 * The audit record format (schema version 1) and its hash.
 *
 * A log is JSON Lines: one {@linkcode AuditRecord} per line, each ending in `\n`. Every
 * record carries the hash of the one before it, so changing, removing or reordering a
 * record breaks the chain from that point on.
 *
 * @module
 */
import { sha256Hex } from "../crypto/mod.ts";
import { canonicalJson } from "../signing/mod.ts";
import type { Outcome } from "./outcome.ts";
export { toHex } from "../crypto/mod.ts";

/** Schema version written into every record and anchor. */
export const AUDIT_SCHEMA_VERSION = 1;

/** Longest record or anchor line accepted when reading a log back (1 MiB). */
export const MAX_RECORD_LINE_BYTES = 1024 * 1024;

/** `prevHash` of the first record: 64 zeros. */
export const GENESIS_HASH = "0".repeat(64);

/** Enforce changes payloads; dry-run only reports. */
export type AuditMode = "enforce" | "dry-run";

/** What happened to one kind of finding: aggregated, never the value itself. */
export interface AuditFinding {
  /** Finding type, e.g. `email`. */
  readonly type: string;
  /** Rule that matched, e.g. `email-address`. */
  readonly ruleId: string;
  /** Action applied, e.g. `redact`. */
  readonly action: string;
  /** How many findings of this type, rule and action (a positive integer). */
  readonly count: number;
}

/** Safe scalar facts: byte counts, error codes, durations. */
export type AuditDetails = Readonly<Record<string, string | number | boolean>>;

/** What a caller hands the writer; the writer adds the chain fields. */
export interface AuditEvent {
  /** What happened, e.g. `protect`, `scan`, `token.reveal`, `mcp.call`. */
  readonly kind: string;
  /** Mode the event ran in. */
  readonly mode: AuditMode;
  /** Id that ties this event to a request or CLI run. */
  readonly correlationId: string;
  /** Emitting component, e.g. `cli.protect`, `proxy`. */
  readonly source: string;
  /** What happened. */
  readonly outcome: Outcome;
  /** Aggregated findings (default none). */
  readonly findings?: readonly AuditFinding[];
  /** Keyed path fingerprints from `createPathFingerprinter` (default none). */
  readonly paths?: readonly string[];
  /** Optional safe facts. */
  readonly details?: AuditDetails;
}

/** One line of the log. */
export interface AuditRecord {
  /** Always {@linkcode AUDIT_SCHEMA_VERSION}. */
  readonly schemaVersion: number;
  /** 1-based, consecutive. */
  readonly seq: number;
  /** ISO-8601 UTC time of writing. */
  readonly ts: string;
  /** `hash` of the previous record, or {@linkcode GENESIS_HASH}. */
  readonly prevHash: string;
  /** See {@linkcode AuditEvent.kind}. */
  readonly kind: string;
  /** See {@linkcode AuditEvent.mode}. */
  readonly mode: AuditMode;
  /** See {@linkcode AuditEvent.correlationId}. */
  readonly correlationId: string;
  /** See {@linkcode AuditEvent.source}. */
  readonly source: string;
  /** See {@linkcode AuditEvent.outcome}. */
  readonly outcome: string;
  /** See {@linkcode AuditEvent.findings}. */
  readonly findings: readonly AuditFinding[];
  /** See {@linkcode AuditEvent.paths}. */
  readonly paths: readonly string[];
  /** See {@linkcode AuditEvent.details}. */
  readonly details?: AuditDetails;
  /** Hex SHA-256 of the canonical JSON of this record without `hash`. */
  readonly hash: string;
}

/** An anchor: a copy of the chain head kept in a separate file. */
export interface AuditAnchor {
  /** Always {@linkcode AUDIT_SCHEMA_VERSION}. */
  readonly schemaVersion: number;
  /** Seq of the anchored record. */
  readonly seq: number;
  /** Hash of the anchored record. */
  readonly hash: string;
  /** ISO-8601 UTC time the anchor was written. */
  readonly ts: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Whether `value` is a lowercase 64-digit hex string (a SHA-256 digest).
 *
 * @example
 * ```ts
 * import { GENESIS_HASH, isHex64 } from "./record.ts";
 * if (!isHex64(GENESIS_HASH) || isHex64("abc")) throw new Error("unexpected");
 * ```
 */
export function isHex64(value: unknown): value is string {
  return typeof value === "string" && HEX64.test(value);
}

/**
 * The hash a record must carry: hex SHA-256 over the canonical JSON of every field except
 * `hash`. Extra fields a tamperer adds are covered too, because only `hash` is left out.
 *
 * @param record A record, with or without its `hash` field.
 * @returns 64 lowercase hex digits.
 * @throws {TypeError} When the record holds values canonical JSON rejects.
 *
 * @example
 * ```ts
 * import { GENESIS_HASH, hashRecord } from "./record.ts";
 * const hash = await hashRecord({ schemaVersion: 1, seq: 1, prevHash: GENESIS_HASH });
 * if (hash.length !== 64) throw new Error("expected a SHA-256 hex digest");
 * ```
 */
export function hashRecord(record: Readonly<Record<string, unknown>>): Promise<string> {
  return Promise.resolve(hashRecordSync(record));
}

/**
 * {@linkcode hashRecord} as a plain call, for the writer's head check, which runs inside a
 * blocking append.
 *
 * @param record A record, with or without its `hash` field.
 * @returns 64 lowercase hex digits.
 * @throws {TypeError} When the record holds values canonical JSON rejects.
 */
export function hashRecordSync(record: Readonly<Record<string, unknown>>): string {
  const { hash: _ignored, ...rest } = record;
  // Synchronous SHA-256: a WebCrypto digest costs about 100 µs per call in Deno, and every
  // audited request hashes at least one record on its way out.
  return sha256Hex(canonicalJson(rest));
}

/**
 * Order two strings by UTF-16 code units, as canonical JSON orders keys and as `sort()`
 * does without a comparator.
 *
 * @example
 * ```ts
 * import { compareCodeUnits } from "./record.ts";
 * if (["b", "B", "a"].sort(compareCodeUnits).join() !== "B,a,b") throw new Error();
 * ```
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
