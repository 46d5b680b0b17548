/**
 * Verify an audit log end to end in constant memory: every record's hash, the chain of
 * `prevHash` links, consecutive seqs, and (optionally) the anchors kept in a second file.
 *
 * The log and the anchor file are read line by line side by side; anchors are written in
 * seq order, so each is checked when the log reaches its seq and nothing is buffered.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { isNotFound, type LineItem, openReadStream, readLines } from "../runtime/mod.ts";
import { checkRecordLine } from "./_check_record.ts";
import { MAX_RECORD_LINE_BYTES } from "./record.ts";

type TextLine = Extract<LineItem, { kind: "text" }>;
import { AUDIT_SCHEMA_VERSION, GENESIS_HASH, isHex64 } from "./record.ts";

/** Why verification stopped. */
export type AuditBreakReason =
  /** A record's content no longer matches its hash: it was modified. */
  | "hash-mismatch"
  /** A record does not link to the one before it. */
  | "prev-hash-mismatch"
  /** A seq is missing: a record was deleted. */
  | "seq-gap"
  /** Seqs are out of order: records were moved or duplicated. */
  | "seq-order"
  /** A line is not a well-formed record (including an incomplete last line). */
  | "parse-error"
  /** A record has a schema version this build does not know. */
  | "schema-version"
  /** An anchor holds a different hash for its seq than the log. */
  | "anchor-mismatch"
  /** The anchor file holds a malformed or out-of-order anchor. */
  | "anchor-invalid"
  /** An anchor points past the end of the log: records were cut off the end. */
  | "truncated";

/** The first problem found. */
export interface AuditBreak {
  /**
   * First seq the log fails to vouch for: the seq expected at the broken line, the anchored
   * seq for `anchor-mismatch`, or head + 1 for `truncated`.
   */
  readonly seq: number;
  /** What went wrong. */
  readonly reason: AuditBreakReason;
  /** Fixed explanation; never quotes the file. */
  readonly message: string;
  /** 1-based line in the log, when the problem is on a log line. */
  readonly line?: number;
  /** 1-based line in the anchor file, for anchor problems. */
  readonly anchorLine?: number;
}

/** Result of {@linkcode verifyAuditLog}. */
export interface VerifyAuditResult {
  /** True when no problem was found. */
  readonly ok: boolean;
  /** Records verified (before the break, if any). */
  readonly records: number;
  /** Seq of the last verified record; 0 when none. */
  readonly headSeq: number;
  /** Hash of the last verified record; 64 zeros when none. */
  readonly headHash: string;
  /** Anchors matched against the log. */
  readonly anchorsChecked: number;
  /** Set when `ok` is false. */
  readonly broken?: AuditBreak;
}

/** What to verify. */
export interface VerifyAuditOptions {
  /** JSONL log. */
  readonly path: string;
  /** Anchor file to check against the log; omitted or empty for none. */
  readonly anchorPath?: string;
  /**
   * Called after every {@linkcode VERIFY_PROGRESS_EVERY} records with the count so far. A
   * returned promise is awaited: a server walking a large log in-process awaits a timer
   * here so its requests are not starved until the walk ends.
   */
  readonly onProgress?: (records: number) => void | Promise<void>;
}

/** Records between {@linkcode VerifyAuditOptions.onProgress} calls. */
export const VERIFY_PROGRESS_EVERY = 256;

interface Anchor {
  readonly seq: number;
  readonly hash: string;
  readonly line: number;
}

type Next<T> = { value: T | null } | { error: string };

/**
 * Verify the log at `options.path`.
 *
 * Without anchors, removing records from the end of a log is undetectable (the shorter log
 * is a valid chain); anchors close that gap up to the last anchored seq.
 *
 * @param options Paths.
 * @returns The verdict; a broken chain is a result, not an exception.
 * @throws {HaechiError} `audit.io` when a file is missing or unreadable.
 *
 * @example
 * ```ts
 * import { openAuditWriter } from "./writer.ts";
 * import { verifyAuditLog } from "./verify.ts";
 * const dir = await Deno.makeTempDir();
 * const writer = await openAuditWriter({ path: `${dir}/a.jsonl`, anchorPath: `${dir}/a.anchors` });
 * await writer.append({
 *   kind: "scan", mode: "enforce", correlationId: "c1", source: "cli.scan", outcome: "clean",
 * });
 * await writer.close();
 * const result = await verifyAuditLog({ path: `${dir}/a.jsonl`, anchorPath: `${dir}/a.anchors` });
 * if (!result.ok || result.headSeq !== 1) throw new Error("expected a valid one-record log");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function verifyAuditLog(options: VerifyAuditOptions): Promise<VerifyAuditResult> {
  const logStream = await open(options.path, "Audit log");
  let anchorLines: AsyncGenerator<LineItem> | null = null;
  if (options.anchorPath) {
    try {
      anchorLines = readLines(await open(options.anchorPath, "Anchor file"), {
        maxLineBytes: MAX_RECORD_LINE_BYTES,
      });
    } catch (e) {
      await logStream.cancel();
      throw e;
    }
  }
  const logLines = readLines(logStream, { maxLineBytes: MAX_RECORD_LINE_BYTES });
  try {
    return await walk(logLines, anchorLines, options.onProgress);
  } finally {
    await logLines.return(undefined);
    await anchorLines?.return(undefined);
  }
}

async function walk(
  logLines: AsyncGenerator<LineItem>,
  anchorLines: AsyncGenerator<LineItem> | null,
  onProgress: VerifyAuditOptions["onProgress"],
): Promise<VerifyAuditResult> {
  let records = 0;
  let headSeq = 0;
  let headHash = GENESIS_HASH;
  let anchorsChecked = 0;
  let lineNo = 0;
  let anchorLineNo = 0;
  let lastAnchorSeq = 0;

  const result = (broken?: AuditBreak): VerifyAuditResult =>
    broken === undefined
      ? { ok: true, records, headSeq, headHash, anchorsChecked }
      : { ok: false, records, headSeq, headHash, anchorsChecked, broken };

  const nextLine = async (): Promise<Next<TextLine>> => {
    const r = await logLines.next();
    if (r.done) return { value: null };
    lineNo = r.value.number;
    if (r.value.kind === "too-long") return { error: "Line is too long" };
    if (r.value.kind === "invalid-utf8") return { error: "Line is not valid UTF-8" };
    return { value: r.value };
  };

  const nextAnchor = async (): Promise<Next<Anchor>> => {
    if (anchorLines === null) return { value: null };
    const r = await anchorLines.next();
    if (r.done) return { value: null };
    anchorLineNo = r.value.number;
    if (r.value.kind !== "text") return { error: "Anchor line is unreadable" };
    const anchor = parseAnchor(r.value);
    if (anchor === null) return { error: "Anchor line is not a valid anchor record" };
    if (anchor.seq < lastAnchorSeq) return { error: "Anchors are out of seq order" };
    lastAnchorSeq = anchor.seq;
    return { value: anchor };
  };

  const anchorBreak = (message: string): AuditBreak => ({
    seq: headSeq + 1,
    reason: "anchor-invalid",
    message,
    anchorLine: anchorLineNo,
  });

  let anchor = await nextAnchor();
  if ("error" in anchor) return result(anchorBreak(anchor.error));
  let current = await nextLine();

  while (true) {
    if ("error" in current) {
      return result({
        seq: headSeq + 1,
        reason: "parse-error",
        message: current.error,
        line: lineNo,
      });
    }
    const line = current.value;
    if (line === null) break;
    const expectedSeq = headSeq + 1;
    const at = { seq: expectedSeq, line: line.number };
    if (!line.terminated) {
      return result({
        ...at,
        reason: "parse-error",
        message: "Last record is incomplete (no trailing newline): a write was cut off",
      });
    }
    const check = await checkRecordLine(line.text);
    if (!check.ok) return result({ ...at, reason: check.reason, message: check.message });
    const record = check.record;
    if (record.seq !== expectedSeq) {
      let reason: AuditBreakReason = "seq-order";
      if (record.seq > expectedSeq) {
        // A missing seq is a gap unless the next line goes back down: then lines were moved.
        const peek = await nextLine();
        const peekSeq = "error" in peek || peek.value === null ? null : claimedSeq(peek.value);
        reason = peekSeq !== null && peekSeq < record.seq ? "seq-order" : "seq-gap";
      }
      return result({
        ...at,
        reason,
        message: reason === "seq-gap"
          ? `Expected seq ${expectedSeq} but found ${record.seq}: records are missing`
          : `Expected seq ${expectedSeq} but found ${record.seq}: records are out of order`,
      });
    }
    if (record.prevHash !== headHash) {
      return result({
        ...at,
        reason: "prev-hash-mismatch",
        message: "Record does not link to the previous record's hash",
      });
    }
    while ("value" in anchor && anchor.value !== null && anchor.value.seq <= record.seq) {
      if (anchor.value.seq < record.seq) return result(anchorBreak("Anchors are out of seq order"));
      if (anchor.value.hash !== record.hash) {
        return result({
          seq: record.seq,
          reason: "anchor-mismatch",
          message: "Anchor holds a different hash for this seq than the log",
          line: line.number,
          anchorLine: anchor.value.line,
        });
      }
      anchorsChecked++;
      anchor = await nextAnchor();
    }
    if ("error" in anchor) return result(anchorBreak(anchor.error));
    records++;
    headSeq = record.seq;
    headHash = record.hash;
    if (onProgress !== undefined && records % VERIFY_PROGRESS_EVERY === 0) {
      await onProgress(records);
    }
    current = await nextLine();
  }

  if ("value" in anchor && anchor.value !== null) {
    return result({
      seq: headSeq + 1,
      reason: "truncated",
      message:
        `Anchor for seq ${anchor.value.seq} is past the end of the log (head seq ${headSeq}): ` +
        "records were removed from the end",
      anchorLine: anchor.value.line,
    });
  }
  return result();
}

function parseAnchor(line: TextLine): Anchor | null {
  if (!line.terminated) return null;
  let v: unknown;
  try {
    v = JSON.parse(line.text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const a = v as Record<string, unknown>;
  if (a.schemaVersion !== AUDIT_SCHEMA_VERSION) return null;
  if (!Number.isSafeInteger(a.seq) || (a.seq as number) < 1 || !isHex64(a.hash)) return null;
  return { seq: a.seq as number, hash: a.hash, line: line.number };
}

function claimedSeq(line: TextLine): number | null {
  try {
    const v = JSON.parse(line.text);
    return typeof v === "object" && v !== null && Number.isSafeInteger(v.seq) ? v.seq : null;
  } catch {
    return null;
  }
}

async function open(path: string, what: string): Promise<ReadableStream<Uint8Array>> {
  try {
    return await openReadStream(path);
  } catch (e) {
    if (isNotFound(e)) throw new HaechiError("audit.io", `${what} not found: ${path}`, { path });
    throw new HaechiError("audit.io", `Cannot read ${what.toLowerCase()} ${path}`, {
      path,
      kind: e instanceof Error ? e.name : typeof e,
    });
  }
}
