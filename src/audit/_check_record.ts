/**
 * Checks shared by the verifier and the writer's head recovery: does one line hold a
 * well-formed record whose hash matches its content?
 *
 * @module
 */
import { AUDIT_SCHEMA_VERSION, hashRecordSync, isHex64 } from "./record.ts";

/** The fields the chain depends on, plus everything else the line held. */
export interface ChainRecord {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly [field: string]: unknown;
}

/** Outcome of {@linkcode checkRecordLine}. */
export type RecordCheck =
  | { readonly ok: true; readonly record: ChainRecord }
  | {
    readonly ok: false;
    readonly reason: "parse-error" | "schema-version" | "hash-mismatch";
    readonly message: string;
    /** The seq the line claims, when it could be read. */
    readonly claimedSeq?: number;
  };

/**
 * Parse one line and check its shape and self-hash. Messages are fixed text: the line may
 * have been tampered with to hold anything, so none of it is quoted back.
 */
export function checkRecordLine(text: string): Promise<RecordCheck> {
  return Promise.resolve(checkRecordLineSync(text));
}

/** {@linkcode checkRecordLine} as a plain call, for the writer's blocking append. */
export function checkRecordLineSync(text: string): RecordCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "parse-error", message: "Line is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "parse-error", message: "Line is not a JSON object" };
  }
  const r = value as Record<string, unknown>;
  const claimedSeq = Number.isSafeInteger(r.seq) ? r.seq as number : undefined;
  if (r.schemaVersion !== AUDIT_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: "schema-version",
      message: `Record schemaVersion is not ${AUDIT_SCHEMA_VERSION}`,
      claimedSeq,
    };
  }
  if (claimedSeq === undefined || claimedSeq < 1 || !isHex64(r.prevHash) || !isHex64(r.hash)) {
    return {
      ok: false,
      reason: "parse-error",
      message: "Record lacks a valid seq, prevHash or hash",
      claimedSeq,
    };
  }
  let expected: string;
  try {
    expected = hashRecordSync(r);
  } catch {
    return { ok: false, reason: "parse-error", message: "Record cannot be canonicalized" };
  }
  if (expected !== r.hash) {
    return {
      ok: false,
      reason: "hash-mismatch",
      message: "Record content does not match its hash (the record was modified)",
      claimedSeq,
    };
  }
  return { ok: true, record: r as ChainRecord };
}
